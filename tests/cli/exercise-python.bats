#!/usr/bin/env bats
# exercise-python.bats — Python submissions, graded exactly like C ones:
# the same sandbox, limits and kernel observations; the starter fails for
# the exercise's reason, the solution passes; hostile programs are
# stopped and leave nothing.  (Wrong-but-plausible Python programs:
# exercise-wrong.bats.)

load helpers

setup() {
	common_setup
	T="$BATS_TEST_TMPDIR"
	python_setup
}

# no interpreter runs our program NAME any more (the grader runs it as
# python3 -I -B -c BOOT NAME)
no_program_left() {
	! pgrep -f -- "-I -B -c .* $1\$" >/dev/null || { ps -ef | grep -- "[-]I -B -c" >&2; false; }
}

# failed_of JSON FILE: the criteria FILE failed in a grade --json, sorted
failed_of() {
	jq -r --arg f "$2" '.submissions[] | select(.file == $f) | .results[] |
		select(.met == false) | .criterion' <<<"$1" | sort
}

@test "every exercise: the Python starter fails where the C one does, the Python solution passes" {
	command -v cc >/dev/null || skip "no C compiler (the C starter is the yardstick)"
	for dir in "$REPO_ROOT"/exercises/[0-9][0-9]-*/; do
		slug=$(basename "$dir")
		n=${slug%%-*}
		[ -f "$dir/starter.py" ] || { echo "$slug: no starter.py" >&2; false; }
		sol="$REPO_ROOT/exercises/solutions/$slug.py"
		# the three graded side by side, each in its own sandbox
		json=$("$SOCKLAB" exercise grade "$n" "$dir/starter.c" "$dir/starter.py" "$sol" -j 3 --json) ||
			{ echo "$slug: not all graded" >&2; false; }
		c_failed=$(failed_of "$json" "$dir/starter.c")
		py_failed=$(failed_of "$json" "$dir/starter.py")
		# the exercise's reason: every criterion the C starter fails, the Python one fails
		[ -n "$c_failed" ] && [ -n "$py_failed" ] &&
			[ "$(comm -23 <(echo "$c_failed") <(echo "$py_failed"))" = "" ] ||
			{ echo "$slug: C fails"; echo "$c_failed"; echo "Python fails"; echo "$py_failed"; false; } >&2
		# the solution passes: no criterion failed (one not checked here
		# is not a failure), none left unchecked
		[ "$(jq --arg f "$sol" '.submissions[] | select(.file == $f) |
			.status == "graded" and .unchecked == 0 and
			all(.results[]; .met != false)' <<<"$json")" = true ] ||
			{ echo "$slug solution .py:"; jq . <<<"$json"; false; } >&2
	done
}

@test "exercise start --python writes the Python starter; --python elsewhere is bad input" {
	run "$SOCKLAB" exercise start 4 "$T" --python
	[ "$status" -eq 0 ] || { show_output; false; }
	[ -f "$T/ex04.py" ]
	[[ "$output" == *"run it with: python3 $T/ex04.py"* ]]
	cmp "$T/ex04.py" "$REPO_ROOT/exercises/04-the-story/starter.py"
	run --separate-stderr "$SOCKLAB" exercise check 4 "$T/ex04.py" --python
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"--python goes with start, not 'check'"* ]]
}

@test "a Python submission with a syntax error: Python's own message, the line, exit 1" {
	printf 'import socket\ns = socket.socket(\nprint("x")\nif True print(1)\n' > "$T/broken.py"
	run "$SOCKLAB" exercise check 4 "$T/broken.py"
	[ "$status" -eq 1 ] || { show_output; false; }
	[[ "$output" == *"✘ the program compiles (python3: no SyntaxError)"* ]]
	[[ "$output" == *"File \"$T/broken.py\", line "* ]] || { show_output; false; }
	[[ "$output" == *"observed: SyntaxError: "* ]]
}

@test "a Python submission that loops forever is killed at the time limit and leaves nothing" {
	printf 'while True:\n    pass\n' > "$T/loop-$$.py"
	start=$(date +%s)
	run "$SOCKLAB" exercise check 1 "$T/loop-$$.py"
	[ "$status" -eq 1 ] || { show_output; false; }
	[ $(( $(date +%s) - start )) -le 12 ]
	[[ "$output" == *"✘ the program exits with status 0 within 5 s"*"still running after 5 s: killed"* ]]
	no_program_left "$T/loop-$$.py"
}

@test "a forking Python submission (children in new sessions that outlive it) leaves nothing" {
	cat > "$T/forks-$$.py" <<'PYEOF'
import os, signal
for _ in range(40):
    if os.fork() == 0:
        os.setsid()
        while True:
            signal.pause()
PYEOF
	run "$SOCKLAB" exercise check 1 "$T/forks-$$.py"
	[ "$status" -eq 1 ] || { show_output; false; }
	sleep 0.2
	no_program_left "$T/forks-$$.py"
}

@test "a Python submission that floods its output is cut and graded on what it did" {
	printf 'import sys\nfor i in range(10000000):\n    print("spam spam spam")\nsys.exit(3)\n' \
		> "$T/spam-$$.py"
	start=$(date +%s)
	run "$SOCKLAB" exercise check 1 "$T/spam-$$.py"
	[ "$status" -eq 1 ] || { show_output; false; }
	[ $(( $(date +%s) - start )) -le 12 ]
	[[ "$output" == *"it said: spam spam"* ]]
	[ "${#output}" -lt 4000 ]
	no_program_left "$T/spam-$$.py"
}

@test "a Python submission runs as python3 FILE would: its name in tracebacks, no descriptor of ours" {
	cat > "$T/fds-$$.py" <<'PYEOF'
import os, sys
extra = [f for f in os.listdir("/proc/self/fd") if int(f) > 2]
# listdir's own descriptor is the only one allowed
if len(extra) > 1:
    print("fds", extra)
    sys.exit(3)
raise SystemExit(__name__ + " " + sys.argv[0])
PYEOF
	run "$SOCKLAB" exercise check 1 "$T/fds-$$.py" 7</dev/null
	[[ "$output" == *"it said: __main__ $T/fds-$$.py"* ]] || { show_output; false; }
}

@test "a Python submission: multiprocessing works as under python3 FILE; an exception is quoted by its last line" {
	# exercise 01's solution, with a process pool first: Pool.map pickles
	# work() by its module, __main__, which must be the program's
	cat > "$T/pool-$$.py" <<'PYEOF'
import multiprocessing
import socket


def work(n):
    return n * n


if __name__ == "__main__":
    with multiprocessing.Pool(2) as pool:
        assert pool.map(work, [1, 2, 3]) == [1, 4, 9]
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 5000))
    s.sendto(b"hello", ("127.0.0.1", 6000))
PYEOF
	run "$SOCKLAB" exercise check 1 "$T/pool-$$.py"
	[ "$status" -eq 0 ] || { show_output; false; }
	printf 'import socket\nsocket.socket().close()\nraise OSError(98, "Address already in use")\n' \
		> "$T/raises-$$.py"
	run "$SOCKLAB" exercise check 1 "$T/raises-$$.py"
	[ "$status" -eq 1 ]
	[[ "$output" == *"exit status 1; it said: OSError: [Errno 98] Address already in use"* ]] ||
		{ show_output; false; }
}
