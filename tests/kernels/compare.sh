#!/bin/sh
# tests/kernels/compare.sh RESULTS BASE KERNEL... — the tables of
# tests/kernels/run.sh.  Per kernel: lab expectations passed, failed and
# skipped in the first `socklab check --tap` ("flaky": expectations whose
# outcome changed between repeated runs; a run cut short, whose TAP plan
# was not met, is "cut"), matrix cells measured and cells whose kernel
# answer differs from BASE's (the running kernel), the bind model's
# disagreements with that kernel (matrix cells + bindprop scenarios), and
# how its UDP bind walks a port (bindprop's "udp walk").  Then the time
# each part took, then every failed or flaky expectation, differing cell
# and mismatch by name, and the notes run.sh left (a part of a kernel that
# could not be had).
#
# PARTS (check,matrix,bindprop: run.sh's --parts) says what must be there.
# Exit status: 0 every kernel has the results of every part, no
# expectation failed in any run and the model agreed everywhere; 1
# otherwise; 2 bad usage.
set -eu
[ $# -ge 2 ] && [ -d "$1" ] || {
	echo "usage: tests/kernels/compare.sh RESULTS BASE [KERNEL...] (RESULTS: a directory)" >&2
	exit 2
}
res=$1; base=$2; shift 2
PARTS=${PARTS:-check,matrix,bindprop}
has() { case ",$PARTS," in *,$1,*) return 0 ;; esac; return 1; }
bad=0

# "key<TAB>ok|not ok" per expectation of one TAP file; the key is what
# stays the same whatever the outcome: "NN slug: step S line L" (and the
# call), or "NN slug: claim ID (step S)"
keyed() {
	sed -n -e 's/^\(ok\|not ok\) [0-9]* - \(.*: step [0-9]* line [0-9]*: [^(]*\).*/\2\t\1/p' \
		-e 's/^\(ok\|not ok\) [0-9]* - \(.*: claim [^ ]* (step [0-9]*)\).*/\2\t\1/p' "$1"
}
flaky() {	# flaky DIR: the keys with both outcomes across the check runs
	for t in "$1"/check*.tap; do [ -s "$t" ] && keyed "$t"; done | sort -u | cut -f1 | uniq -d
}
tap() {	# tap DIR: "passed failed skipped flaky cut"
	[ -s "$1/check.tap" ] || { echo "- - - - -"; return; }
	awk '/^ok .*# [Ss][Kk][Ii][Pp]/{s++; next} /^ok /{p++} /^not ok /{f++}
		END{printf "%d %d %d ", p, f, s}' "$1/check.tap"
	printf '%s ' "$(flaky "$1" | wc -l)"
	cut=0
	for t in "$1"/check*.tap; do
		awk '/^1\.\.[0-9]+/{plan = substr($0, 4)} /^(ok|not ok) /{n++}
			END{exit !(plan != "" && plan == n)}' "$t" || cut=$((cut + 1))
	done
	echo "$cut"
}
cells() {	# cells DIR: "table | scenario<TAB>kernel" per matrix cell
	cat "$1"/matrix-udp.json "$1"/matrix-tcp.json 2>/dev/null |
		sed -n 's/^{"table":"\([^"]*\)","scenario":"\([^"]*\)","kernel":"\([^"]*\)".*/\1 | \2\t\3/p'
}
model() {	# model DIR: "matrix-disagreements bindprop-mismatches udp-walk"
	m=- b=- w=-
	if [ -s "$1/matrix-udp.json" ] || [ -s "$1/matrix-tcp.json" ]; then
		m=$(cat "$1"/matrix-udp.json "$1"/matrix-tcp.json 2>/dev/null | grep -c '"agree":false' || true)
	fi
	if [ -s "$1/bindprop.out" ]; then
		b=$(sed -n 's/.* scenarios, \([0-9]*\) mismatches.*/\1/p' "$1/bindprop.out" | tail -1)
		w=$(sed -n 's/.*; udp walk: \([a-z-]*\)).*/\1/p' "$1/bindprop.out" | tail -1)
	fi
	echo "$m ${b:-?} ${w:-?}"
}
num() { case $1 in ''|*[!0-9]*) return 1 ;; esac; }

cells "$res/$base" | sort >"$res/$base.cells"
w=12
for k in "$base" "$@"; do [ ${#k} -le $w ] || w=${#k}; done

printf "%-${w}s %-24s %6s %6s %6s %5s %6s %6s %7s %s\n" kernel uname passed failed skipped flaky \
	cells differ "model!" "udp walk"
for k in "$base" "$@"; do
	d=$res/$k
	if [ -e "$d/missing" ]; then
		printf "%-${w}s %s\n" "$k" "$(cat "$d/missing")"
		bad=1
		continue
	fi
	read -r p f s fl cut <<EOT
$(tap "$d")
EOT
	n=$(cells "$d" | wc -l)
	diff=$(cells "$d" | sort | comm -13 "$res/$base.cells" - | wc -l)
	read -r mm bp walk <<EOT
$(model "$d")
EOT
	[ "$cut" = 0 ] || [ "$cut" = - ] || fl="$fl cut:$cut"
	printf "%-${w}s %-24s %6s %6s %6s %5s %6s %6s %7s %s\n" "$k" "$(cat "$d/uname" 2>/dev/null || echo none)" \
		"$p" "$f" "$s" "$fl" "$n" "$diff" "$mm+$bp" "$walk"
	# every part asked for must have left its results
	if has check && ! num "$p"; then bad=1; fi
	if has matrix && [ "$n" -eq 0 ]; then bad=1; fi
	if has bindprop && ! num "$bp"; then bad=1; fi
	for v in $f $mm $bp; do
		if num "$v" && [ "$v" -gt 0 ]; then bad=1; fi
	done
	if num "$cut" && [ "$cut" -gt 0 ]; then bad=1; fi
	if cat "$d"/check*.tap 2>/dev/null | grep -q '^not ok'; then bad=1; fi
done
echo "# failed: in the first check run; flaky: expectations whose outcome changed between"
echo "#   runs (--repeat), cut:N runs that ended before their TAP plan"
echo "# differ: matrix cells whose kernel answer is not the running kernel's"
echo "# model!: the model's disagreements with this kernel: matrix cells + bindprop scenarios"
echo "# udp walk: a UDP bind stops at the first SO_REUSEPORT partner, or asks every socket"
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
	[ ! -s "$d/notes" ] || sed "s|^|$k: note: |" "$d/notes"
	for t in "$d"/check*.tap; do
		[ -s "$t" ] || continue
		run=${t##*/check}; run=${run%.tap}; run=${run#-}
		grep '^not ok' "$t" | sed "s|^|$k${run:+ (run $run)}: |" || true
	done
	flaky "$d" | sed "s|^|$k: flaky: |" || true
	[ "$k" = "$base" ] || cells "$d" | sort | comm -13 "$res/$base.cells" - | sed "s|^|$k: differs: |" || true
	grep '^mismatch:' "$d/bindprop.out" 2>/dev/null | sed "s|^|$k: |" || true
done
exit $bad
