#!/bin/sh
# bench/grade.sh BUILD — grading a class: 100 submissions of exercise 01
# (copies of its starters, solutions, right and wrong programs, in C and,
# where there is a python3, Python), graded by `socklab exercise grade`
# with 1 and with 2 jobs, beside the way a class was graded before it: a
# shell loop of `socklab exercise check`, one file at a time.  Prints
# submissions per minute for each, and the ratios.  Then 20 of exercise
# 03, half of them waiting out the time limit, with 1, 2 and 4 jobs.
# BENCH_SUBS=N and BENCH_SUBS3=N for other class sizes.
set -eu
build=${1:-build}
bin="$build/socklab"
n=${BENCH_SUBS:-100}
py=$(command -v /usr/bin/python3 || command -v python3 || true)
[ -z "$py" ] || export SOCKLAB_PYTHON="$py"
command -v cc >/dev/null 2>&1 || { echo "bench grade: no C compiler, skipped"; exit 0; }

dir=$(mktemp -d "${TMPDIR:-/tmp}/socklab-bench-grade.XXXXXX")
trap 'rm -rf "$dir"' EXIT INT TERM
set --
for f in exercises/01-*/starter.c exercises/01-*/starter.py exercises/solutions/01-* \
	tests/exercises/01-*/*; do
	case $f in *.py) [ -n "$py" ] || continue ;; esac
	set -- "$@" "$f"
done
i=0
while [ "$i" -lt "$n" ]; do
	k=$((i % $# + 1))
	eval "f=\${$k}"
	cp "$f" "$dir/$(printf 'student%03d' "$i").${f##*.}"
	i=$((i + 1))
done

ms_now() { echo $(( $(date +%s%N) / 1000000 )); }
per_min() { awk -v n="$n" -v ms="$1" 'BEGIN { r = 0; if (ms > 0) r = n * 60000 / ms; printf "%.0f", r }'; }

echo "grading $n submissions of exercise 01 ($# programs, $(nproc) cores)"
t=$(ms_now)
for f in "$dir"/*; do
	"$bin" exercise check 1 "$f" >/dev/null 2>&1 || true
done
loop_ms=$(( $(ms_now) - t ))
t=$(ms_now)
"$bin" exercise grade 1 "$dir" -j 1 --csv > "$dir.j1" 2>/dev/null || true
j1_ms=$(( $(ms_now) - t ))
t=$(ms_now)
"$bin" exercise grade 1 "$dir" -j 2 --csv > "$dir.j2" 2>/dev/null || true
j2_ms=$(( $(ms_now) - t ))
graded=$(grep -c ',graded,' "$dir.j2" || true)
same=same
[ "$(cut -d, -f1-7 "$dir.j1")" = "$(cut -d, -f1-7 "$dir.j2")" ] || same=DIFFERENT
rm -f "$dir.j1" "$dir.j2"

printf '  %-34s %7d ms  %5s per minute\n' "for f; do socklab exercise check" "$loop_ms" \
	"$(per_min "$loop_ms")"
printf '  %-34s %7d ms  %5s per minute\n' "socklab exercise grade -j 1" "$j1_ms" "$(per_min "$j1_ms")"
printf '  %-34s %7d ms  %5s per minute\n' "socklab exercise grade -j 2" "$j2_ms" "$(per_min "$j2_ms")"
awk -v l="$loop_ms" -v a="$j1_ms" -v b="$j2_ms" 'BEGIN {
	r1 = 0; r2 = 0; if (b > 0) { r1 = a / b; r2 = l / b }
	printf "  speed-up -j 2 / -j 1: %.2fx; -j 2 / the loop: %.2fx\n", r1, r2 }'
echo "  $graded of $n graded; results with 1 and 2 jobs: $same"

# Where programs wait out the 5 s limit (exercise 03's wrong receivers
# never hear the stream), jobs overlap their waits: more jobs than cores
# still pay.
n3=${BENCH_SUBS3:-20}
dir3=$(mktemp -d "${TMPDIR:-/tmp}/socklab-bench-grade3.XXXXXX")
trap 'rm -rf "$dir" "$dir3"' EXIT INT TERM
i=0
while [ "$i" -lt "$n3" ]; do
	if [ $((i % 2)) = 0 ]; then f=exercises/solutions/03-multicast-two-receivers.c
	else f=tests/exercises/03-multicast-two-receivers/wrong-no-join.c; fi
	cp "$f" "$dir3/$(printf 'student%03d' "$i").c"
	i=$((i + 1))
done
echo "grading $n3 submissions of exercise 03, half of them waiting out the 5 s limit"
for j in 1 2 4; do
	t=$(ms_now)
	"$bin" exercise grade 3 "$dir3" -j "$j" --csv > /dev/null 2>&1 || true
	ms=$(( $(ms_now) - t ))
	eval "ms_$j=$ms"
	printf '  %-34s %7d ms  %5s per minute\n' "socklab exercise grade -j $j" "$ms" \
		"$(awk -v n="$n3" -v ms="$ms" 'BEGIN { r = 0; if (ms > 0) r = n * 60000 / ms; printf "%.0f", r }')"
done
awk -v a="$ms_1" -v b="$ms_2" -v c="$ms_4" 'BEGIN {
	r2 = 0; r4 = 0; if (b > 0) r2 = a / b; if (c > 0) r4 = a / c
	printf "  speed-up -j 2 / -j 1: %.2fx; -j 4 / -j 1: %.2fx\n", r2, r4 }'
