#!/usr/bin/env bats
# exercise-wrong.bats — the grader decides from what the kernel holds, not
# from what a program prints: every wrong-but-plausible program in
# tests/exercises/NN-slug/ fails the criterion its header names, and every
# right-*.c (a correct program written another way) passes.  See
# tests/exercises/README.md.

load helpers

setup() {
	common_setup
	command -v cc >/dev/null || skip "no C compiler"
	# Python submissions too, where there is a python3
	PY=$(command -v /usr/bin/python3 || command -v python3 || true)
	[ -z "$PY" ] || export SOCKLAB_PYTHON="$PY"
}

# fails_line FILE: the criterion text its header names ("fails: ..."
# in a C comment, "# fails: ..." in Python)
fails_line() {
	case $1 in
	*.py) sed -n 's/^# *fails: *//p' "$1" | head -n 1 ;;
	*) sed -n 's/^ *\*\{0,1\} *fails: *//p; s/^\/\* *fails: *//p' "$1" | head -n 1 | sed 's/ *\*\/$//' ;;
	esac
}

# judge_wrong N FILE...: each fails the criterion its header names; sets
# count (how many there were) and bad
judge_wrong() {
	local n=$1 f want
	shift
	count=0
	for f; do
		[ -e "$f" ] || continue
		count=$((count + 1))
		want=$(fails_line "$f")
		[ -n "$want" ] || { echo "$f: no 'fails:' line" >&2; bad=1; continue; }
		run "$SOCKLAB" exercise check "$n" "$f"
		if [ "$status" -ne 1 ] ||
			! grep -F -- "✘ " <<<"$output" | grep -qF -- "$want"; then
			echo "--- $f should fail \"$want\" (status $status):" >&2
			printf '%s\n' "$output" >&2
			bad=1
		fi
	done
}

# judge N: every wrong-*.c and wrong-*.py of exercise N fails the
# criterion its "fails:" line names; every right-* passes; at least three
# wrong C programs and two wrong Python ones (where there is a python3).
judge() {
	local n=$1 dir f count bad=0
	dir=$(ls -d tests/exercises/"$n"-*/ 2>/dev/null | head -n 1)
	[ -n "$dir" ] || { echo "no tests/exercises/$n-*/" >&2; return 1; }
	judge_wrong "$n" "$dir"wrong-*.c
	[ "$count" -ge 3 ] || { echo "exercise $n: $count wrong programs, want at least 3" >&2; bad=1; }
	if [ -n "$PY" ]; then
		judge_wrong "$n" "$dir"wrong-*.py
		[ "$count" -ge 2 ] || { echo "exercise $n: $count wrong Python programs, want 2" >&2; bad=1; }
	fi
	for f in "$dir"right-*.c "$dir"right-*.py; do
		[ -e "$f" ] || continue
		run "$SOCKLAB" exercise check "$n" "$f"
		if [ "$status" -ne 0 ]; then
			echo "--- $f should pass (status $status):" >&2
			printf '%s\n' "$output" >&2
			bad=1
		fi
	done
	return "$bad"
}

@test "exercise 01: wrong programs fail the criterion they miss" { judge 01; }
@test "exercise 02: wrong programs fail the criterion they miss" { judge 02; }
@test "exercise 03: wrong programs fail the criterion they miss" { judge 03; }
@test "exercise 04: wrong programs fail the criterion they miss" { judge 04; }
@test "exercise 05: wrong programs fail the criterion they miss" { judge 05; }
@test "exercise 06: wrong programs fail the criterion they miss" { judge 06; }
@test "exercise 07: wrong programs fail the criterion they miss" { judge 07; }
@test "exercise 08: wrong programs fail the criterion they miss" { judge 08; }
@test "exercise 09: wrong programs fail the criterion they miss" { judge 09; }
@test "exercise 10: wrong programs fail the criterion they miss" { judge 10; }
