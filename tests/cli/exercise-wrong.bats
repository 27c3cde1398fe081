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

# judge N: every wrong-*.c and wrong-*.py of exercise N fails the
# criterion its "fails:" line names; every right-* meets every criterion;
# at least three wrong C programs and two wrong Python ones (where there is
# a python3).  They are graded together as a class (exercise grade -j 4,
# each in its own sandbox: most of the time is programs waiting out their
# 5 s), and the JSON read per file.
judge() {
	local n=$1 dir f want files=() nc=0 npy=0 bad=0 json
	dir=$(ls -d tests/exercises/"$n"-*/ 2>/dev/null | head -n 1)
	[ -n "$dir" ] || { echo "no tests/exercises/$n-*/" >&2; return 1; }
	for f in "$dir"wrong-*.c "$dir"right-*.c; do
		[ -e "$f" ] && files+=("$f")
	done
	[ -z "$PY" ] || for f in "$dir"wrong-*.py "$dir"right-*.py; do
		[ -e "$f" ] && files+=("$f")
	done
	json=$("$SOCKLAB" exercise grade "$n" "${files[@]}" -j 4 --json) ||
		{ echo "exercise $n: some could not be graded" >&2; printf '%s\n' "$json" >&2; return 1; }
	for f in "${files[@]}"; do
		# this file's results: "met<TAB>criterion" lines
		res=$(jq -r --arg f "$f" '.submissions[] | select(.file == $f) |
			if .status != "graded" then "ungradable\t" + .reason
			else (.results[] | "\(.met)\t\(.criterion)"),
			     (if .unchecked > 0 then "false\tunchecked" else empty end) end' <<<"$json")
		case $f in
		*/wrong-*)
			[[ $f == *.c ]] && nc=$((nc + 1)) || npy=$((npy + 1))
			want=$(fails_line "$f")
			[ -n "$want" ] || { echo "$f: no 'fails:' line" >&2; bad=1; continue; }
			grep '^false'$'\t' <<<"$res" | grep -qF -- "$want" || {
				echo "--- $f should fail \"$want\":" >&2
				printf '%s\n' "$res" >&2
				bad=1
			} ;;
		*)
			if [ -z "$res" ] || grep -q '^\(false\|ungradable\)'$'\t' <<<"$res"; then
				echo "--- $f should pass:" >&2
				printf '%s\n' "$res" >&2
				bad=1
			fi ;;
		esac
	done
	[ "$nc" -ge 3 ] || { echo "exercise $n: $nc wrong programs, want at least 3" >&2; bad=1; }
	if [ -n "$PY" ] && [ "$npy" -lt 2 ]; then
		echo "exercise $n: $npy wrong Python programs, want 2" >&2
		bad=1
	fi
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
