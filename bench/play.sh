#!/bin/sh
# bench/play.sh [BUILD] — the playground: from a line sent to the engine to
# its socket table printed (SOCKLAB_PLAY_TRACE), over a 50-line script piped
# into `socklab play`, beside `ss -tuan` printing this host's table once per
# line in the same run (the reference: what one table costs a known tool).
#
# The script: 5 roles, each making a UDP socket, setting SO_REUSEADDR,
# binding 127.0.0.1:5000 (they share it), sending to it and receiving,
# asking its name and option, and a receive with nothing queued: 50
# lines, each followed by a read of the table.  Everything runs
# in the sandbox socklab makes (only lo); ss only reads.
# Target: median under 20 ms.  Exit 0 when it ran (target met or not), 1
# when something broke.
set -eu

build=${1:-build}
case $build in /*) ;; *) build=$(pwd)/$build ;; esac
bin=$build/socklab
target=20	# ms, median
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

[ -x "$bin" ] || { echo "bench: no $bin: run make first" >&2; exit 1; }

i=0
while [ $i -lt 5 ]; do
	echo "r$i: s$i = socket(udp)"
	echo "r$i: setsockopt(s$i, SO_REUSEADDR, 1)"
	echo "r$i: bind(s$i, 127.0.0.1:5000)"
	echo "r$i: sendto(s$i, \"x$i\", 127.0.0.1:5000)"
	echo "r$i: recv(s$i)"
	echo "r$i: sendto(s$i, \"y$i\", 127.0.0.1:5000)"
	echo "r$i: recv(s$i)"
	echo "r$i: getsockname(s$i)"
	echo "r$i: getsockopt(s$i, SO_REUSEADDR)"
	echo "r$i: recv(s$i)"
	i=$((i + 1))
done > "$tmp/script.play"

start=$(date +%s%N)
SOCKLAB_PLAY_TRACE=$tmp/trace "$bin" play --batch "$tmp/script.play" > "$tmp/out" 2>&1 ||
	{ cat "$tmp/out" >&2; echo "bench: socklab play failed" >&2; exit 1; }
whole=$(( ($(date +%s%N) - start) / 1000000 ))
n=$(wc -l < "$tmp/trace")
[ "$n" -eq 50 ] || { echo "bench: $n lines traced, not 50" >&2; cat "$tmp/out" >&2; exit 1; }

# the reference: ss printing this host's table, once per line
if command -v ss >/dev/null 2>&1; then
	: > "$tmp/ss"
	i=0
	while [ $i -lt 50 ]; do
		t0=$(date +%s%N)
		ss -tuan > /dev/null
		echo $(( ($(date +%s%N) - t0) / 1000 )) >> "$tmp/ss"
		i=$((i + 1))
	done
fi

stats() {	# FILE of µs, one a line: "median max" in ms
	sort -n "$1" | awk '{ v[NR] = $1 } END {
		m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%.1f %.1f\n", m / 1000, v[NR] / 1000 }'
}

awk '{ print $4 }' "$tmp/trace" > "$tmp/play"
set -- $(stats "$tmp/play")
pmed=$1 pmax=$2
echo "The playground: a line to its table printed (SOCKLAB_PLAY_TRACE), 50 lines"
echo "  socklab play     median $pmed ms, max $pmax ms (whole run ${whole} ms: sandbox, roles, 50 lines)"
if [ -s "$tmp/ss" ]; then
	set -- $(stats "$tmp/ss")
	smed=$1 smax=$2
	echo "  ss -tuan         median $smed ms, max $smax ms (one table of this host, for scale)"
	ratio=$(awk -v a="$pmed" -v b="$smed" 'BEGIN { r = 0; if (b > 0) r = a / b; printf "%.2fx", r }')
else
	smed=- ratio=-
	echo "  ss -tuan         (no ss here: no reference)"
fi
echo
echo "Results: ratio = socklab / ss, lower is better (no target)"
printf '  %-28s %8s %9s %8s %7s  %s\n' figure socklab target ss ratio result
res=ok
awk -v m="$pmed" -v t="$target" 'BEGIN { exit !(m < t) }' || res=MISSED
printf '  %-28s %8s %9s %8s %7s  %s\n' "line to table, median ms" "$pmed" "< $target" "$smed" "$ratio" "$res"
printf '  %-28s %8s %9s %8s %7s  %s\n' "line to table, max ms" "$pmax" "-" "-" "-" "-"
