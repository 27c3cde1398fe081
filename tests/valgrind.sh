#!/bin/sh
# valgrind.sh BUILD — memcheck on socklab's CLI paths: no invalid access,
# no uninitialised bytes to the kernel, no definite leak.  A lab's own
# exit status is part of each case (check of the wrong lab exits 1).
set -u
bin="${1:-build}/socklab"
wrong="${1:-build}/tests/labs/wrong-expectation"
fail=0
pass=0
vg() {	# vg EXPECTED_STATUS ARGS...
	want=$1; shift
	valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
		--error-exitcode=99 "$bin" "$@" >/dev/null 2>"${TMPDIR:-/tmp}/socklab-vg.$$"
	got=$?
	if [ "$got" -eq "$want" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "valgrind: socklab $*: exit $got, expected $want" >&2
		grep -v '^socklab' "${TMPDIR:-/tmp}/socklab-vg.$$" | head -20 >&2
	fi
	rm -f "${TMPDIR:-/tmp}/socklab-vg.$$"
}
vg 0 list
vg 0 --help
vg 0 run 4
vg 0 run 7
vg 0 run 2 --markdown
vg 0 check
vg 1 check --tap "$wrong"
vg 0 watch --once
vg 0 watch --once --owners --json
vg 2 run 99
vg 2 check 7-1
vg 2 run 4 --port-base 70000
echo "valgrind: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
