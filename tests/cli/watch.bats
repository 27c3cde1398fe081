#!/usr/bin/env bats
# socklab watch as a user meets it: bad input, --once on a pipe, and the
# live view on a terminal (tmux) that marks what appears and quits on q.

load helpers

setup() {
	common_setup
}

teardown() {
	tmux_done
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
	tmux_needed
	local userns=""
	[ "$(id -u)" = 0 ] || userns="-r"
	unshare $userns -n bash -c '
		ip link set lo up
		tmux_start -x 120 -y 30 "$1 watch --interval 100; echo EXIT=\$? > $2/exit; sleep 30"
		sleep 0.5
		tmux_screen > "$2/before"
		mkfifo "$2/in"; exec {IN}<>"$2/in"
		"$3" 6100 <&$IN > "$2/mix" &
		sleep 0.5
		tmux_screen > "$2/after"
		tmux_keys q
		sleep 0.5
		kill $!; wait $!
		tmux_done
	' bash "$SOCKLAB" "$BATS_TEST_TMPDIR" "$BUILD/tests/tools/sockmix"
	grep -q "socklab watch · host" "$BATS_TEST_TMPDIR/before"
	grep -q "(no sockets)" "$BATS_TEST_TMPDIR/before"
	grep -Eq '^\+ UDP +UNCONN +127\.0\.0\.1:6100' "$BATS_TEST_TMPDIR/after"
	[ "$(cat "$BATS_TEST_TMPDIR/exit")" = "EXIT=0" ]
}

# watch_80x24 SCRIPT ARGS...: in a fresh network namespace with lo up,
# start `socklab watch ARGS` in an 80x24 tmux pane (tmux_start), run
# SCRIPT (bash, with $T the test's directory and the tmux_* helpers),
# then quit.  A pinned locale and TERM.
watch_80x24() {
	tmux_needed
	local script=$1 userns=""
	shift
	[ "$(id -u)" = 0 ] || userns="-r"
	export LANG=C.UTF-8 TERM=xterm-256color
	unshare $userns -n bash -c '
		T=$1 SOCKLAB=$2; shift 2
		ip link set lo up
		tmux_start -x 80 -y 24 "$SOCKLAB watch $*; echo EXIT=\$? > $T/exit; sleep 30"
		tmux_wait "socklab watch" || { echo "no frame" > "$T/fail"; }
		eval "$SCRIPT"
		tmux_keys q
		sleep 0.3
		tmux_done
	' watch "$BATS_TEST_TMPDIR" "$SOCKLAB" "$@" 3>&- || true
}

@test "at 80x24 watch fits: the header does not wrap, UID, OWNER and FLAGS ra/rp are shown" {
	export SCRIPT='
		mkfifo "$T/in"; exec {IN}<>"$T/in"
		"$TOOLS/sockmix" 6100 <&$IN > "$T/mix" &
		for _ in $(seq 50); do grep -q ready "$T/mix" && break; sleep 0.1; done
		tmux_wait "127\.0\.0\.1:6101 .* rp" || true
		tmux_screen > "$T/screen"
		kill $!; wait $!'
	export TOOLS="$BUILD/tests/tools"
	[ -x "$TOOLS/sockmix" ] || skip "no $TOOLS/sockmix (make cli builds it)"
	watch_80x24 "$SCRIPT" --owners --interval 200
	cat "$BATS_TEST_TMPDIR/screen" >&2
	[ ! -e "$BATS_TEST_TMPDIR/fail" ]
	# the title on line 1, the column header whole on line 2, rows after it
	head -1 "$BATS_TEST_TMPDIR/screen" | grep -q "^socklab watch · host · "
	sed -n 2p "$BATS_TEST_TMPDIR/screen" | grep -Eq '^ +NET +STATE +LOCAL +PEER .* UID +OWNER +FLAGS'
	sed -n 3p "$BATS_TEST_TMPDIR/screen" | grep -Eq '^[ +~-] (TCP|UDP) '
	# every line fits, none was cut before its flags
	! awk 'length($0) > 80' "$BATS_TEST_TMPDIR/screen" | grep -q . || false
	# the flags as sockmix set them (its own report), read from the kernel
	awk '$2 == "udp" && $4 == 1' "$BATS_TEST_TMPDIR/mix" | grep -q .
	grep -Eq '^. UDP +UNCONN +127\.0\.0\.1:6100 +0\.0\.0\.0:\* .* sockmix [0-9]+ +ra$' "$BATS_TEST_TMPDIR/screen"
	grep -Eq '^. UDP +UNCONN +127\.0\.0\.1:6101 +0\.0\.0\.0:\* .* sockmix [0-9]+ +rp$' "$BATS_TEST_TMPDIR/screen"
	[ "$(grep -Ec ' ra$' "$BATS_TEST_TMPDIR/screen")" -ge 2 ]
	[ "$(cat "$BATS_TEST_TMPDIR/exit")" = "EXIT=0" ]
}

@test "a socket that lives 0.5 s, less than the interval, shows its - mark long enough to read" {
	# the client of the story: a UDP socket that sends from an ephemeral
	# port to 6200 and closes; bash's /dev/udp is socket + connect
	export SCRIPT='
		tmux_wait "no sockets" || echo "no empty table" > "$T/fail"
		( exec 4<>/dev/udp/127.0.0.1/6200 && sleep 0.5 && exec 4>&- ) ||
			echo "no /dev/udp in this bash" > "$T/skip"
		date +%s%N > "$T/closed"
		if tmux_wait "^- UDP +ESTAB +127\.0\.0\.1:[0-9]+ +127\.0\.0\.1:6200" 6; then
			date +%s%N > "$T/seen"
			tmux_screen > "$T/gone"
			sleep 1.5
			tmux_screen > "$T/later"
		fi'
	watch_80x24 "$SCRIPT" --port 6200 --interval 3000
	[ ! -e "$BATS_TEST_TMPDIR/skip" ] || skip "$(cat "$BATS_TEST_TMPDIR/skip")"
	[ ! -e "$BATS_TEST_TMPDIR/fail" ] || { cat "$BATS_TEST_TMPDIR/fail" >&2; false; }
	[ -e "$BATS_TEST_TMPDIR/gone" ] || { echo "the - row never came" >&2; false; }
	cat "$BATS_TEST_TMPDIR/gone" >&2
	# it was never in a snapshot (3 s apart): the kernel said it was freed
	grep -q "0 sockets" "$BATS_TEST_TMPDIR/gone"
	# still on screen 1.5 s later
	grep -Eq '^- UDP +ESTAB +127\.0\.0\.1:[0-9]+ +127\.0\.0\.1:6200' "$BATS_TEST_TMPDIR/later"
	[ "$(cat "$BATS_TEST_TMPDIR/exit")" = "EXIT=0" ]
}

@test "watch --pid of another user's process says it cannot look, exit 1" {
	[ "$(id -u)" = 0 ] || skip "needs root to run a holder as uid 65534 and watch as uid 65533"
	command -v setpriv >/dev/null || skip "setpriv not installed"
	setpriv --reuid=65533 --regid=65533 --clear-groups test -x "$SOCKLAB" ||
		skip "$SOCKLAB is not executable by uid 65533"
	mkfifo "$BATS_TEST_TMPDIR/in"
	exec {IN}<>"$BATS_TEST_TMPDIR/in"
	# the holder: sockmix as uid 65534, in a namespace of its own
	unshare -n bash -c 'ip link set lo up
		exec setpriv --reuid=65534 --regid=65534 --clear-groups "$0" 6100' \
		"$BUILD/tests/tools/sockmix" <&$IN > "$BATS_TEST_TMPDIR/mix" 3>&- &
	holder=$!
	for _ in $(seq 50); do grep -q ready "$BATS_TEST_TMPDIR/mix" && break; sleep 0.1; done
	grep -q ready "$BATS_TEST_TMPDIR/mix"
	# it has sockets: root sees them in its namespace
	run "$SOCKLAB" watch --once --pid "$holder" --netns-of "$holder"
	[[ "$output" == *"sockmix pid $holder"* ]] || { show_output; kill "$holder"; false; }
	run --separate-stderr setpriv --reuid=65533 --regid=65533 --clear-groups \
		"$SOCKLAB" watch --once --pid "$holder"
	kill "$holder"
	exec {IN}>&-
	[ "$status" -eq 1 ] || { show_output; false; }
	[ "$stderr" = "socklab watch: cannot see pid $holder's sockets: it runs as uid 65534, you as uid 65533; run as root or as that user" ]
	[ -z "$output" ]
}

@test "watch --pid of a process of one's own uid that ptrace may not read (not dumpable): says so, exit 1" {
	[ "$(id -u)" = 0 ] || skip "needs root to run both as uid 65534 (a fresh user, not the caller)"
	command -v setpriv >/dev/null || skip "setpriv not installed"
	[ -x /usr/bin/python3 ] || skip "no /usr/bin/python3 (the holder makes itself not dumpable)"
	setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$SOCKLAB" ||
		skip "$SOCKLAB is not executable by uid 65534"
	# the holder: a UDP socket, then prctl(PR_SET_DUMPABLE, 0): /proc/PID
	# becomes root's, and its fd links are closed even to its own uid
	setpriv --reuid=65534 --regid=65534 --clear-groups /usr/bin/python3 -c '
import ctypes, socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0))
ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)
print("ready", flush=True); time.sleep(30)' > "$BATS_TEST_TMPDIR/h" &
	holder=$!
	for _ in $(seq 50); do grep -q ready "$BATS_TEST_TMPDIR/h" && break; sleep 0.1; done
	run --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$SOCKLAB" watch --once --pid "$holder"
	kill "$holder"
	[ "$status" -eq 1 ] || { show_output; false; }
	[[ "$stderr" == "socklab watch: cannot see pid $holder's sockets: its descriptors are closed to you"* ]] ||
		{ show_output; false; }
	[ -z "$output" ]
}
