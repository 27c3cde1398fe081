#!/usr/bin/env bats
# Bad input: exit status 2, one line on stderr naming the problem, nothing on
# stdout, no crash, and no lab is run.

load helpers

setup() {
	common_setup
}

# usage_error ARGS...: socklab ARGS must be a clean usage error.
usage_error() {
	run --separate-stderr "$SOCKLAB" "$@" </dev/null
	if [ "$status" -ge 128 ]; then
		echo "crashed: status $status (signal $((status - 128)))" >&2
		show_output
		return 1
	fi
	[ "$status" -eq 2 ] || { echo "status $status, want 2" >&2; show_output; return 1; }
	[ -z "$output" ] || { echo "stdout not empty" >&2; show_output; return 1; }
	[ "${#stderr_lines[@]}" -eq 1 ] || {
		echo "${#stderr_lines[@]} lines on stderr, want 1" >&2
		show_output
		return 1
	}
	[[ "${stderr_lines[0]}" =~ ^socklab( [a-z]+)?:\ .+ ]] || {
		echo "stderr does not look like 'socklab CMD: problem'" >&2
		show_output
		return 1
	}
}

# the one stderr line mentions the fixed string $1
stderr_mentions() {
	[[ "${stderr_lines[0]}" == *"$1"* ]] || { echo "stderr lacks '$1': ${stderr_lines[0]}" >&2; return 1; }
}

# ------------------------------------------------------------- commands

@test "unknown command: usage error naming it" {
	usage_error frobnicate
	stderr_mentions frobnicate
}

@test "help for an unknown command: usage error naming it" {
	usage_error help nosuchcmd
	stderr_mentions nosuchcmd
}

@test "list with an argument: usage error" {
	usage_error list extra
	stderr_mentions extra
}

# ------------------------------------------------------------------ run

@test "run without a lab: usage error" {
	usage_error run
}

@test "run with only an option and no lab: usage error" {
	usage_error run --step
}

@test "run 42 (no such lab number): usage error naming 42" {
	usage_error run 42
	stderr_mentions 42
}

@test "run abc! (not a lab name): usage error naming it" {
	usage_error run 'abc!'
	stderr_mentions 'abc!'
}

@test "run with an empty lab name: usage error" {
	usage_error run ''
}

@test "run 4 5 (two labs): usage error naming the extra one" {
	usage_error run 4 5
	stderr_mentions 5
}

@test "run 1-7 (a range is not allowed for run): usage error" {
	usage_error run 1-7
}

@test "run 4 --bogus: usage error naming the option" {
	usage_error run 4 --bogus
	stderr_mentions --bogus
}

@test "run 4 -x (unknown short option): usage error" {
	usage_error run 4 -x
}

@test "run 4 --port-base 70000 (beyond the port range): usage error" {
	usage_error run 4 --port-base 70000
	stderr_mentions 70000
}

@test "run 4 --port-base 65437 (leaves no room for the lab's ports): usage error" {
	usage_error run 4 --port-base 65437
}

@test "run 4 --port-base abc (not a number): usage error" {
	usage_error run 4 --port-base abc
	stderr_mentions abc
}

@test "run 4 --port-base 5000junk (trailing garbage): usage error" {
	usage_error run 4 --port-base 5000junk
}

@test "run 4 --timeout -1 (negative): usage error" {
	usage_error run 4 --timeout -1
	stderr_mentions -1
}

@test "run 4 --timeout 99 (below the minimum): usage error" {
	usage_error run 4 --timeout 99
}

@test "run 4 --port-base with no value: usage error saying the value is missing, not that the option is unknown" {
	usage_error run 4 --port-base
	stderr_mentions --port-base
	[[ "${stderr_lines[0]}" != *"unknown option"* ]] || {
		echo "a known option reported as unknown: ${stderr_lines[0]}" >&2
		false
	}
}

@test "run ./nonexistent/lab: usage error naming the path" {
	usage_error run ./nonexistent/lab
	stderr_mentions ./nonexistent/lab
}

@test "run of a file that is not executable: usage error" {
	f="$BATS_TEST_TMPDIR/not-executable"
	echo 'not a lab' >"$f"
	chmod 644 "$f"	# no x bit at all: even root's access(X_OK) fails
	usage_error run "$f"
	stderr_mentions "$f"
}

@test "run of a directory: usage error saying it cannot be executed" {
	usage_error run "$BATS_TEST_TMPDIR/"
	[[ "${stderr_lines[0]}" != *malformed* && "${stderr_lines[0]}" != *%20* ]] || {
		echo "internal protocol text leaked: ${stderr_lines[0]}" >&2
		false
	}
}

# ---------------------------------------------------------------- check

@test "check 7-1 (reversed range): usage error naming it" {
	usage_error check 7-1
	stderr_mentions 7-1
}

@test "check 99 (no such lab): usage error naming it" {
	usage_error check 99
	stderr_mentions 99
}

@test "check 1-7x (garbage after a range): usage error naming it" {
	usage_error check 1-7x
	stderr_mentions 1-7x
}

@test "check 1- (open range): usage error" {
	usage_error check 1-
}

@test "check 4 99 (one bad lab among good ones): usage error before any lab runs" {
	usage_error check 4 99
	stderr_mentions 99
}

@test "check --port-base 0: usage error" {
	usage_error check --port-base 0
}

@test "check --timeout abc: usage error" {
	usage_error check --timeout abc
}

@test "check --tap --bogus: usage error, and no TAP plan on stdout" {
	usage_error check --tap --bogus
	stderr_mentions --bogus
}

@test "check ./nonexistent/lab: usage error naming the path" {
	usage_error check ./nonexistent/lab
	stderr_mentions ./nonexistent/lab
}

@test "run of an executable that is not a lab is bad input" {
	run --separate-stderr "$SOCKLAB" run /bin/true
	[ "$status" -eq 2 ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ "$stderr" == *"not a socklab lab"* ]]
}
