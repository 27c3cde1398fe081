#!/bin/sh
# bench/rules.sh BUILD — the bind doctor's model against the kernel on
# 20,000 seeded random scenarios (tests/tools/bindprop): mismatches (target
# 0) and scenarios per second.  Each mismatch is printed as a command line
# that replays it.  No reference tool predicts bind(); the kernel is the
# reference, so the figure is the agreement itself.
set -u
build=${1:-build}
out=$("$build/tests/tools/bindprop" --seed 1 --count 20000)
st=$?
printf '%s\n' "$out" | grep '^mismatch' || true
summary=$(printf '%s\n' "$out" | tail -1)
echo "bind model vs kernel: $summary"
echo "  target: 0 mismatches — $( [ "$st" -eq 0 ] && echo met || echo MISSED )"
