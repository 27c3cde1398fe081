#!/bin/sh
# run.sh DIR SECONDS TARGET... — `make fuzz`: run DIR/fuzz_TARGET (DIR is
# the build directory's fuzz/, build/fuzz by default) under libFuzzer for
# SECONDS each, one after the other, on a working copy of its corpus
# (DIR/corpus-TARGET, seeded from tests/fuzz/corpus/TARGET and
# tests/fuzz/regressions/TARGET: the committed files are never written).
# Prints executions and crashes per target; a crash input is left in
# DIR/crash-TARGET/ and makes the run fail.
set -u
out=$1
secs=$2
shift 2
status=0
summary=""
for t in "$@"; do
	work=$out/corpus-$t
	crashes=$out/crash-$t
	log=$out/fuzz-$t.log
	mkdir -p "$work" "$crashes"
	for d in tests/fuzz/corpus/$t tests/fuzz/regressions/$t; do
		[ -d "$d" ] && find "$d" -type f -exec cp {} "$work/" \;
	done
	dict=""
	[ -f tests/fuzz/$t.dict ] && dict="-dict=tests/fuzz/$t.dict"
	before=$(find "$crashes" -type f | wc -l)
	echo "== fuzz_$t: ${secs}s (log: $log)"
	rc=0
	# shellcheck disable=SC2086 # $dict is one word or none
	"$out/fuzz_$t" -max_total_time="$secs" -print_final_stats=1 \
		-max_len=8192 -timeout=10 -rss_limit_mb=1024 $dict \
		-artifact_prefix="$crashes/" "$work" > "$log" 2>&1 || rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	found=$(($(find "$crashes" -type f | wc -l) - before))
	if [ "$rc" != 0 ] && [ "$found" = 0 ]; then
		found=1	# died without leaving an input (e.g. the harness itself)
	fi
	if [ "$found" != 0 ]; then
		status=1
		grep -m 3 -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error)' "$log" || tail -n 20 "$log"
	fi
	line="fuzz_$t: ${execs:-0} executions, $found crashes"
	echo "$line"
	summary="$summary$line
"
done
printf '\n== fuzz summary (%ss each)\n%s' "$secs" "$summary"
[ "$status" = 0 ] || echo "fuzz: crash inputs are in $out/crash-*/ (see docs/fuzzing.md)" >&2
exit $status
