#!/usr/bin/env bats
# socklab watch as a user meets it: bad input, --once on a pipe, and the
# live view on a terminal (tmux) that marks what appears and quits on q.

load helpers

setup() {
	common_setup
}

@test "watch rejects bad input with one line and exit 2" {
	for args in "--port 0" "--port 65536" "--port abc" "--port" "--state bogus" \
		"--state listen,nope" "--interval 10" "--pid abc" "--netns /nonexistent/ns" \
		"--netns-of 999999999" "--pid 3999999" "extra" "--bogus"; do
		# shellcheck disable=SC2086
		run --separate-stderr "$SOCKLAB" watch --once $args
		[ "$status" -eq 2 ] || { echo "watch $args: status $status" >&2; false; }
		[ "${#stderr_lines[@]}" -eq 1 ] || { echo "watch $args: $stderr" >&2; false; }
		[[ "$stderr" == "socklab watch: "* ]]
		[ -z "$output" ]
	done
}

@test "watch --once on a pipe prints one table and exits 0" {
	run "$SOCKLAB" watch --once
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == *NET*STATE*LOCAL*PEER* ]]
	[[ "$output" != *$'\e'* ]]
}

@test "on a terminal watch redraws in place, marks a new socket +, and q exits 0" {
	command -v tmux >/dev/null || skip "tmux not installed"
	local userns=""
	[ "$(id -u)" = 0 ] || userns="-r"
	tmux_sock="socklab-test-$$"
	unshare $userns -n bash -c '
		ip link set lo up
		tmux -L "$0" -f /dev/null new-session -d -x 120 -y 30 \
			"$1 watch --interval 100; echo EXIT=\$? > $2/exit; sleep 30"
		sleep 0.5
		tmux -L "$0" capture-pane -p > "$2/before"
		mkfifo "$2/in"; exec {IN}<>"$2/in"
		"$3" 6100 <&$IN > "$2/mix" &
		sleep 0.5
		tmux -L "$0" capture-pane -p > "$2/after"
		tmux -L "$0" send-keys q
		sleep 0.5
		kill $!; wait $!
		tmux -L "$0" kill-server
	' "$tmux_sock" "$SOCKLAB" "$BATS_TEST_TMPDIR" "$BUILD/tests/tools/sockmix"
	grep -q "socklab watch · host" "$BATS_TEST_TMPDIR/before"
	grep -q "(no sockets)" "$BATS_TEST_TMPDIR/before"
	grep -Eq '^\+ UDP +UNCONN +127\.0\.0\.1:6100' "$BATS_TEST_TMPDIR/after"
	[ "$(cat "$BATS_TEST_TMPDIR/exit")" = "EXIT=0" ]
}
