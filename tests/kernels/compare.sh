#!/bin/sh
# tests/kernels/compare.sh RESULTS BASE KERNEL... — the tables of
# tests/kernels/run.sh.  Per kernel: lab expectations passed, failed and
# skipped (socklab check --tap; "flaky": expectations whose outcome
# changed between repeated runs), matrix cells measured and cells whose
# kernel answer differs from BASE's (the running kernel), and the bind
# model's disagreements with that kernel (matrix cells + bindprop
# scenarios).  Then the time each part took, then every failed
# expectation and every differing cell by name.
#
# Exit status: 0 every kernel has results, no expectation failed and the
# model agreed everywhere; 1 otherwise.
set -eu
res=$1; base=$2; shift 2
bad=0

tap() {	# tap DIR: "passed failed skipped flaky"
	[ -s "$1/check.tap" ] || { echo "- - - -"; return; }
	awk '/^ok .*# [Ss][Kk][Ii][Pp]/{s++; next} /^ok /{p++} /^not ok /{f++}
		END{printf "%d %d %d ", p, f, s}' "$1/check.tap"
	# an expectation is named by its text after the number; flaky when
	# its ok/not ok differs in any of the repeated runs
	cat "$1"/check*.tap | sed -n 's/^\(ok\|not ok\) [0-9]* - \([^#]*\).*/\2\t\1/p' |
		sort -u | cut -f1 | uniq -d | wc -l
}
cells() {	# cells DIR: "table | scenario<TAB>kernel" per matrix cell
	cat "$1"/matrix-udp.json "$1"/matrix-tcp.json 2>/dev/null |
		sed -n 's/^{"table":"\([^"]*\)","scenario":"\([^"]*\)","kernel":"\([^"]*\)".*/\1 | \2\t\3/p'
}
model() {	# model DIR: "matrix-disagreements bindprop-mismatches"
	m=- b=-
	if [ -s "$1/matrix-udp.json" ]; then
		m=$(cat "$1"/matrix-udp.json "$1"/matrix-tcp.json 2>/dev/null | grep -c '"agree":false' || true)
	fi
	if [ -s "$1/bindprop.out" ]; then
		b=$(sed -n 's/.* scenarios, \([0-9]*\) mismatches.*/\1/p' "$1/bindprop.out" | tail -1)
	fi
	echo "$m ${b:-?}"
}
num() { case $1 in ''|*[!0-9]*) return 1 ;; esac; }

cells "$res/$base" | sort >"$res/$base.cells"
w=12
for k in "$base" "$@"; do [ ${#k} -le $w ] || w=${#k}; done

printf "%-${w}s %-24s %6s %6s %6s %5s %6s %6s %7s\n" kernel uname passed failed skipped flaky cells differ "model!"
for k in "$base" "$@"; do
	d=$res/$k
	if [ -e "$d/missing" ]; then
		printf "%-${w}s %s\n" "$k" "$(cat "$d/missing")"
		bad=1
		continue
	fi
	read -r p f s fl <<EOT
$(tap "$d")
EOT
	n=$(cells "$d" | wc -l)
	diff=$(cells "$d" | sort | comm -13 "$res/$base.cells" - | wc -l)
	read -r mm bp <<EOT
$(model "$d")
EOT
	printf "%-${w}s %-24s %6s %6s %6s %5s %6s %6s %7s\n" "$k" "$(cat "$d/uname" 2>/dev/null || echo none)" \
		"$p" "$f" "$s" "$fl" "$n" "$diff" "$mm+$bp"
	num "$p" || bad=1
	for v in $f $fl $mm $bp; do
		if num "$v" && [ "$v" -gt 0 ]; then bad=1; fi
	done
done
echo "# flaky: expectations whose outcome changed between repeated runs (--repeat)"
echo "# differ: matrix cells whose kernel answer is not the running kernel's"
echo "# model!: the model's disagreements with this kernel: matrix cells + bindprop scenarios (of 2000)"
echo

# seconds per part; "-" where a part did not run
printf "%-${w}s %8s %6s %6s %6s %7s %9s %6s\n" seconds download image boot check matrix bindprop "vm"
for k in "$base" "$@"; do
	t=$res/$k/times
	[ -s "$t" ] || continue
	get() { v=$(awk -v n="$1" '$1 == n {print $2}' "$t"); echo "${v:--}"; }
	vm=$(get vm); [ "$vm" != - ] || vm="host"
	printf "%-${w}s %8s %6s %6s %6s %7s %9s %6s\n" "$k" "$(get download)" "$(get image)" \
		"$(get boot)" "$(get check)" "$(get matrix)" "$(get bindprop)" "$vm"
done
accel=$(cat "$res"/*/times 2>/dev/null | awk '$1 == "accel" {print $2; exit}')
[ -z "$accel" ] || echo "# boot: seconds from power-on to /init; vm: the whole VM run, under ${accel}"

for k in "$base" "$@"; do
	d=$res/$k
	grep '^not ok' "$d/check.tap" 2>/dev/null | sed "s|^|$k: |" || true
	cat "$d"/check*.tap 2>/dev/null | sed -n 's/^\(ok\|not ok\) [0-9]* - \([^#]*\).*/\2\t\1/p' |
		sort -u | cut -f1 | uniq -d | sed "s|^|$k: flaky: |" || true
	[ "$k" = "$base" ] || cells "$d" | sort | comm -13 "$res/$base.cells" - | sed "s|^|$k: differs: |" || true
	grep '^mismatch:' "$d/bindprop.out" 2>/dev/null | sed "s|^|$k: |" || true
done
exit $bad
