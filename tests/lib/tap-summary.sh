#!/bin/sh
# tap-summary.sh FILE — "N passed, N failed" for a TAP file; exit 1 on
# any "not ok" or when the plan does not match the test lines.
set -eu
awk '
/^ok /      { pass++ }
/^not ok /  { fail++ }
/^1\.\.[0-9]+$/ { plan = substr($0, 4) + 0; seen = 1 }
END {
	printf "%d passed, %d failed\n", pass, fail
	if (fail > 0 || !seen || plan != pass + fail) exit 1
}' "$1"
