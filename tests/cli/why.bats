#!/usr/bin/env bats
# why.bats — socklab why on sockets of a process socklab did not create
# (tests/tools/sockmix, in a namespace of the test's own): it names the
# process that blocks a bind and the change that would work, and --try
# holds the prediction against the kernel.

load helpers

setup() {
	common_setup
	# sockmix holds, on BASE..BASE+9 (see tests/tools/sockmix.c):
	#   +0 two UDP sockets with SO_REUSEADDR   +2 UDP with SO_BROADCAST only
	#   +3 a TCP listener with SO_REUSEADDR and a connection
	userns=""
	[ "$(id -u)" = 0 ] || userns="-r"
}

# in_netns CMD...: run CMD in a fresh namespace beside sockmix on 6400..6409
in_netns() {
	unshare $userns -n bash -c '
		ip link set lo up
		rm -f "$1/in"; mkfifo "$1/in"; exec {IN}<>"$1/in"
		"$2" 6400 <&$IN > "$1/mix" &
		for _ in $(seq 50); do grep -qs ready "$1/mix" && break; sleep 0.1; done
		echo "$!" > "$1/mixpid"
		shift 2
		"$@"; st=$?
		kill %1; wait
		exit $st
	' bash "$BATS_TEST_TMPDIR" "$BUILD/tests/tools/sockmix" "$@"
}

@test "why names the process that holds a UDP port and the fix; --try confirms the failure" {
	run in_netns "$SOCKLAB" why 127.0.0.1:6402 --reuseaddr --try
	[ "$status" -eq 1 ] || { show_output; false; }
	pid=$(cat "$BATS_TEST_TMPDIR/mixpid")
	[[ "${lines[0]}" == "bind(udp 127.0.0.1:6402 SO_REUSEADDR as uid "*") would FAIL: EADDRINUSE 98 / WSAEADDRINUSE 10048" ]]
	[[ "$output" == *"pid $pid (sockmix)"*"flags broadcast"* ]]
	[[ "$output" == *"set SO_REUSEADDR on both: the other socket is pid $pid (sockmix), which has it off"* ]]
	[[ "$output" == *"--try: the kernel answered EADDRINUSE 98"*"the prediction held"* ]]
}

@test "why predicts success next to a SO_REUSEADDR pair when the new socket sets it too; --try agrees" {
	run in_netns "$SOCKLAB" why 127.0.0.1:6400
	[ "$status" -eq 1 ] || { show_output; false; }
	[[ "$output" == *"set SO_REUSEADDR on this socket: then it shares with pid "*"(sockmix) (and 1 more)"* ]]
	run in_netns "$SOCKLAB" why 127.0.0.1:6400 --reuseaddr --try
	[ "$status" -eq 0 ] || { show_output; false; }
	[[ "${lines[0]}" == *"would succeed"* ]]
	[[ "$output" == *"the kernel answered success: the prediction held"* ]]
}

@test "why --tcp: SO_REUSEADDR on both does not share a listener's port" {
	run in_netns "$SOCKLAB" why --tcp 127.0.0.1:6403 --reuseaddr --try
	[ "$status" -eq 1 ] || { show_output; false; }
	[[ "$output" == *"the other socket listens"* ]]
	[[ "$output" == *"LISTEN"*"(sockmix)"* ]]
	[[ "$output" == *"the prediction held"* ]]
}

@test "why --json: the prediction, the blocking process and the fixes" {
	command -v jq >/dev/null || skip "jq not installed"
	run in_netns "$SOCKLAB" why 127.0.0.1:6402 --json
	[ "$status" -eq 1 ]
	[ "$(jq -r .predicted <<< "$output")" = EADDRINUSE ]
	[ "$(jq -r '.blockers[0].command' <<< "$output")" = sockmix ]
	[ "$(jq -r '.blockers | length' <<< "$output")" = 1 ]
	[ "$(jq -r '.fixes | length' <<< "$output")" -ge 2 ]
}

@test "why on a free port: succeeds, exit 0" {
	run in_netns "$SOCKLAB" why "[::1]:6499" --tcp --listen --try
	[ "$status" -eq 0 ] || { show_output; false; }
	[[ "${lines[0]}" == "bind(tcp [::1]:6499 +listen as uid "*") would succeed" ]] || { show_output; false; }
}

@test "why with bad input: one line on stderr, exit 2" {
	for args in "" "127.0.0.1" "127.0.0.1:0" "127.0.0.1:65536" "127.0.0.1:-1" "127.0.0.1:abc" \
		"[::1" "[::1]5000" "::1:5000" "abc:5000" "1.2.3.4.5:80" "[1.2.3.4]:80" \
		"127.0.0.1:5000 --udp --tcp" "127.0.0.1:5000 --listen" "127.0.0.1:5000 --v6only" \
		"127.0.0.1:5000 --uid abc" "127.0.0.1:5000 --netns /nonexistent" \
		"127.0.0.1:5000 --netns-of 0" "127.0.0.1:5000 --bogus" "1.1.1.1:1 2.2.2.2:2"; do
		run --separate-stderr "$SOCKLAB" why $args
		[ "$status" -eq 2 ] || { echo "args: $args"; show_output; false; }
		[ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ] || { echo "args: $args"; show_output; false; }
	done
}

@test "why on a port a TIME_WAIT connection holds: the answer depends on its program's SO_REUSEADDR, and says so" {
	[ "$(id -u)" = 0 ] || skip "needs root for a plain network namespace"
	command -v python3 >/dev/null || skip "python3 not installed"
	run unshare -n bash -c '
		ip link set lo up
		# a server with SO_REUSEADDR accepts and closes first: TIME_WAIT on :6600
		python3 -c "
import socket
l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind((\"127.0.0.1\", 6600)); l.listen()
c = socket.create_connection((\"127.0.0.1\", 6600)); s, _ = l.accept()
s.close(); c.close(); l.close()"
		"$1" why --tcp 127.0.0.1:6600 --reuseaddr --listen --try
	' bash "$SOCKLAB"
	[[ "$output" == *"TIME-WAIT"* ]] || { show_output; false; }
	[[ "$output" == *"uncertain: it depends on flags the kernel does not report"* ]]
	[[ "$output" == *"the kernel answered success: the prediction held, with the unknown flags on"* ]]
	[[ "$output" != *"on both"* ]]
}

@test "why --uid: a port below 1024 for another user is EACCES, and --try binds as that user" {
	[ "$(id -u)" = 0 ] || skip "needs root to act as another uid"
	run unshare -n sh -c 'ip link set lo up; "$1" why --uid 65534 127.0.0.1:80 --try' sh "$SOCKLAB"
	[ "$status" -eq 1 ] || { show_output; false; }
	[[ "${lines[0]}" == *"as uid 65534) would FAIL: EACCES 13"* ]]
	[[ "$output" == *"the kernel answered EACCES 13"*"the prediction held"* ]]
}
