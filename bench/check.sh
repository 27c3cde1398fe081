#!/bin/sh
# bench/check.sh BUILD — time `socklab check 1-7` end to end: seven labs,
# each in a fresh network namespace, every expectation verified.
# Target: under 1 s on 2 cores.  There is no reference tool doing the
# same job, so the figure stands alone; `unshare -n true` is timed beside
# it as the floor one namespace costs.
set -eu
build=${1:-build}
bin="$build/socklab"
runs=${BENCH_RUNS:-20}

ms_now() { echo $(( $(date +%s%N) / 1000000 )); }

time_runs() {	# time_runs N CMD... -> mean ms per run
	n=$1; shift
	start=$(ms_now)
	i=0
	while [ "$i" -lt "$n" ]; do
		"$@" >/dev/null 2>&1 || { echo "bench: '$*' failed" >&2; exit 1; }
		i=$((i + 1))
	done
	end=$(ms_now)
	echo $(( (end - start) / n ))
}

echo "socklab check 1-7, mean of $runs runs (wall clock, $(nproc) cores)"
check_ms=$(time_runs "$runs" "$bin" check 1-7)
echo "  socklab check 1-7        ${check_ms} ms   (target < 1000 ms)"
if [ "$(id -u)" = 0 ]; then
	ns_ms=$(time_runs "$runs" unshare -n true)
	echo "  unshare -n true          ${ns_ms} ms   (one namespace, for scale)"
	if [ "$ns_ms" -gt 0 ]; then
		echo "  ratio check/7 namespaces $(awk "BEGIN { printf \"%.2f\", $check_ms / (7 * $ns_ms) }")"
	fi
fi
[ "$check_ms" -lt 1000 ] && echo "  within target" || echo "  OVER target"
