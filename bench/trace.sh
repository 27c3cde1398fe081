#!/bin/sh
# bench/trace.sh [BUILD] — socklab trace against strace, in one run.
#
# Two programs (bench/tracee-heavy.c, compiled here with ${CC:-cc} -O2):
#   sockets: 2,000 x (socket, bind, close) + 20,000 sendto, loopback only;
#   cpu:     a long computation with 10 socket calls.
# Each runs bare, under `socklab trace -o /dev/null`, under
# `strace -f -e trace=network -o /dev/null` and under
# `strace -f --seccomp-bpf -e trace=network -o /dev/null`; the best of 3
# wall-clock runs each.  Targets: sockets under socklab <= the faster
# strace; cpu under socklab within 5 % of bare.  Exit 0 when it ran
# (targets met or not), 1 when something broke.
set -eu

build=${1:-build}
case $build in /*) ;; *) build=$(pwd)/$build ;; esac
bin=$build/socklab
prog=$build/bench/tracee-heavy
mkdir -p "$build/bench"
${CC:-cc} -O2 -o "$prog" "$(dirname "$0")/tracee-heavy.c" || { echo "bench: cannot compile" >&2; exit 1; }
[ -x "$bin" ] || { echo "bench: no $bin" >&2; exit 1; }

best() {	# best of 3, in ms: best CMD...
	b=""
	for _ in 1 2 3; do
		t0=$(date +%s%N)
		"$@" > /dev/null 2>&1 || { echo "bench: failed: $*" >&2; exit 1; }
		t=$(( ($(date +%s%N) - t0) / 1000000 ))
		if [ -z "$b" ] || [ "$t" -lt "$b" ]; then b=$t; fi
	done
	echo "$b"
}

have_strace=0
command -v strace >/dev/null 2>&1 && have_strace=1
seccomp_ok=0
[ $have_strace = 1 ] && strace -f --seccomp-bpf -e trace=network -o /dev/null true 2>/dev/null && seccomp_ok=1

for w in sockets cpu; do
	eval "${w}_bare=\$(best \"\$prog\" $w)"
	eval "${w}_sl=\$(best \"\$bin\" trace -o /dev/null -- \"\$prog\" $w)"
	if [ $have_strace = 1 ]; then
		eval "${w}_st=\$(best strace -f -e trace=network -o /dev/null \"\$prog\" $w)"
	else
		eval "${w}_st=-"
	fi
	if [ $seccomp_ok = 1 ]; then
		eval "${w}_sb=\$(best strace -f --seccomp-bpf -e trace=network -o /dev/null \"\$prog\" $w)"
	else
		eval "${w}_sb=-"
	fi
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == "-" || b == 0) print "-"; else printf "%.2fx", a / b }'; }

echo "socklab trace beside strace: wall-clock ms, best of 3 (lower is better)"
printf '  %-10s %8s %14s %16s %24s\n' program bare "socklab trace" "strace -f" "strace --seccomp-bpf"
printf '  %-10s %8s %14s %16s %24s\n' sockets "$sockets_bare" "$sockets_sl" "$sockets_st" "$sockets_sb"
printf '  %-10s %8s %14s %16s %24s\n' cpu "$cpu_bare" "$cpu_sl" "$cpu_st" "$cpu_sb"
echo
faster=$sockets_st
if [ "$sockets_sb" != - ] && { [ "$faster" = - ] || [ "$sockets_sb" -lt "$faster" ]; }; then faster=$sockets_sb; fi
r1=$(ratio "$sockets_sl" "$faster")
r2=$(ratio "$cpu_sl" "$cpu_bare")
res1=ok
[ "$faster" = - ] && res1=- || [ "$sockets_sl" -le "$faster" ] || res1=MISSED
res2=ok
awk -v a="$cpu_sl" -v b="$cpu_bare" 'BEGIN { exit !(a <= b * 1.05) }' || res2=MISSED
echo "Results"
printf '  %-44s %8s  %s\n' "sockets: socklab / the faster strace" "$r1" "$res1 (target <= 1.00x)"
printf '  %-44s %8s  %s\n' "cpu: socklab / bare" "$r2" "$res2 (target <= 1.05x)"
