#!/bin/sh
# tests/kernels/compare.sh RESULTS BASE KERNEL... — the table of
# tests/kernels/run.sh: per kernel, lab expectations passed/failed/skipped
# (socklab check --tap), matrix cells whose kernel answer differs from
# BASE's (the running kernel), the model's disagreements with that kernel
# (matrix cells plus bindprop scenarios), and the time the VM took.
# Then every failed expectation and every differing cell, by name.
set -eu
res=$1; base=$2; shift 2

tap() {	# tap FILE: "passed failed skipped"
	[ -s "$1" ] || { echo "- - -"; return; }
	awk '/^ok .*# [Ss][Kk][Ii][Pp]/{s++; next} /^ok /{p++} /^not ok /{f++}
		END{printf "%d %d %d\n", p, f, s}' "$1"
}
cells() {	# cells DIR: "scenario<TAB>kernel" per matrix cell, both protocols
	cat "$1"/matrix-udp.json "$1"/matrix-tcp.json 2>/dev/null |
		sed -n 's/^{"table":"\([^"]*\)","scenario":"\([^"]*\)","kernel":"\([^"]*\)".*/\1 | \2\t\3/p'
}
model() {	# model DIR: matrix disagreements + bindprop mismatches
	m=$(cat "$1"/matrix-udp.json "$1"/matrix-tcp.json 2>/dev/null | grep -c '"agree":false' || true)
	b=$(sed -n 's/.* scenarios, \([0-9]*\) mismatches.*/\1/p' "$1/bindprop.out" 2>/dev/null | tail -1)
	echo "${m:-?} ${b:-?}"
}
cells "$res/$base" | sort >"$res/$base.cells"

printf '%-34s %-26s %6s %6s %6s %7s %7s %9s %6s\n' kernel uname passed failed skipped "cells" differ "model!" "vm s"
for k in "$base" "$@"; do
	d=$res/$k
	read -r p f s <<EOT
$(tap "$d/check.tap")
EOT
	n=$(cells "$d" | wc -l)
	diff=$(cells "$d" | sort | comm -13 "$res/$base.cells" - | wc -l)
	read -r mm bp <<EOT
$(model "$d")
EOT
	vm=$(awk '/^download/{print $6}' "$d/times" 2>/dev/null || true)
	printf '%-34s %-26s %6s %6s %6s %7s %7s %9s %6s\n' "$k" "$(cat "$d/uname" 2>/dev/null || echo none)" \
		"$p" "$f" "$s" "$n" "$diff" "$mm+$bp" "${vm:-host}"
done
echo "# cells: matrix cells measured; differ: cells whose kernel answer is not the running kernel's"
echo "# model!: the model's disagreements, matrix cells + bindprop scenarios (of 2000)"
for k in "$@"; do
	d=$res/$k
	grep '^not ok' "$d/check.tap" 2>/dev/null | sed "s|^|$k: |" || true
	cells "$d" | sort | comm -13 "$res/$base.cells" - | sed "s|^|$k: differs: |" || true
done
