#!/bin/sh
# bench/check.sh BUILD — time `socklab check` of every lab end to end:
# each lab in a fresh network namespace, every expectation verified.
# Target: all labs under 3 s on 2 cores (taskset to two CPUs when there
# are more).  No reference tool does the same job, so the figure stands
# beside `unshare -n true`, the floor one namespace costs, as a ratio.
set -eu
build=${1:-build}
bin="$build/socklab"
runs=${BENCH_RUNS:-10}
target_ms=3000
nlabs=$("$bin" list | grep -c '^[0-9][0-9]  ')

ms_now() { echo $(( $(date +%s%N) / 1000000 )); }

# two cores, as the target says, when taskset can pin us
pin=""
if command -v taskset >/dev/null 2>&1 && [ "$(nproc)" -gt 2 ]; then
	pin="taskset -c 0,1"
fi

time_runs() {	# time_runs N CMD... -> mean ms per run
	n=$1; shift
	start=$(ms_now)
	i=0
	while [ "$i" -lt "$n" ]; do
		$pin "$@" >/dev/null 2>&1 || { echo "bench: '$*' failed" >&2; exit 1; }
		i=$((i + 1))
	done
	end=$(ms_now)
	echo $(( (end - start) / n ))
}

echo "socklab check (all $nlabs labs), mean of $runs runs (wall clock, ${pin:+2 of }$(nproc) cores)"
check_ms=$(time_runs "$runs" "$bin" check)
echo "  socklab check            ${check_ms} ms   (target < ${target_ms} ms)"
if [ "$(id -u)" = 0 ]; then
	ns_ms=$(time_runs "$runs" unshare -n true)
	echo "  unshare -n true          ${ns_ms} ms   (one namespace, for scale)"
	if [ "$ns_ms" -gt 0 ]; then
		echo "  ratio check / $nlabs namespaces $(awk "BEGIN { printf \"%.2f\", $check_ms / ($nlabs * $ns_ms) }")x"
	fi
fi
[ "$check_ms" -lt "$target_ms" ] && echo "  within target" || echo "  OVER target"
