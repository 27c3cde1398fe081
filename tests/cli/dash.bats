#!/usr/bin/env bats
# dash.bats — the ncurses dashboard, driven through tmux like a user would:
# keys in (send-keys), screen out (capture-pane).  What is asserted on the
# screen comes from the kernel: the errno the lab's bind really got, the
# socket row sock_diag really reported.

load helpers

setup() {
	common_setup
	command -v tmux >/dev/null || skip "tmux not installed"
	TSOCK="socklab-dash-$$-$BATS_TEST_NUMBER"
	T="$BATS_TEST_TMPDIR"
}

teardown() {
	tmux -L "$TSOCK" kill-server 2>/dev/null || true
}

# dash_start [ENV=VALUE...] -- ARGS...: socklab dash ARGS in a 100x30 tmux
# pane.  When it exits, the pane's shell writes its status and the terminal
# modes (stty -a) to $T/exit and $T/stty.
dash_start() {
	local envs=() q
	while [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	q=$(printf ' %q' "$@")
	# bats keeps fd 3 open: tmux's server must not inherit it
	tmux -L "$TSOCK" -f /dev/null new-session -d -x 100 -y 30 \
		"env -u NO_COLOR LANG=C.UTF-8 ${envs[*]} $SOCKLAB dash$q; echo \$? > $T/exit; stty -a > $T/stty; sleep 60" 3>&-
	wait_screen 'help'
	SOCKLAB_PID=$(pgrep -P "$(tmux -L "$TSOCK" list-panes -F '#{pane_pid}')" -x socklab)
	[ -n "$SOCKLAB_PID" ]
}

# The screen as text (-e: with attributes as escape sequences).
screen() {
	tmux -L "$TSOCK" capture-pane -p "$@"
}

# Wait (up to 5 s) until the screen matches the ERE $1.
wait_screen() {
	for _ in $(seq 50); do
		screen | grep -Eq -- "$1" && return 0
		sleep 0.1
	done
	echo "screen never matched: $1" >&2
	screen >&2
	return 1
}

keys() {
	tmux -L "$TSOCK" send-keys "$@"
}

# The lab's processes now: socklab's children and theirs.
lab_pids() {
	local p kids=""
	for p in $(cat /proc/"$SOCKLAB_PID"/task/*/children 2>/dev/null); do
		kids="$kids $p $(cat /proc/"$p"/task/*/children 2>/dev/null)"
	done
	echo $kids
}

# q, then: exit status 0, socklab and every pid in $1 gone, terminal sane.
quit_and_check() {
	keys q
	for _ in $(seq 50); do [ -s "$T/exit" ] && break; sleep 0.1; done
	[ "$(cat "$T/exit")" = 0 ]
	assert_gone "$SOCKLAB_PID $1"
	grep -Eq '(^| )icanon( |$)' "$T/stty"
	grep -Eq '(^| )echo( |$)' "$T/stty"
}

assert_gone() {
	local p
	for p in $1; do
		if [ -e "/proc/$p" ] && ! grep -q '^State:.*Z' "/proc/$p/status" 2>/dev/null; then
			echo "process $p is still there: $(cat /proc/"$p"/cmdline | tr '\0' ' ')" >&2
			return 1
		fi
	done
}

@test "dash without a terminal: one line on stderr, exit 2" {
	run --separate-stderr "$SOCKLAB" dash 4 </dev/null
	[ "$status" -eq 2 ] || { show_output; false; }
	[ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
	[[ "$stderr" == *"needs a terminal"* ]]
}

@test "bare socklab without a terminal lists the labs and says how to open the dashboard" {
	run --separate-stderr "$SOCKLAB" </dev/null
	[ "$status" -eq 0 ] || { show_output; false; }
	[[ "$output" == *"04  addr-in-use"* ]]
	[[ "$stderr" == *"'socklab dash'"* ]]
}

@test "dash with an unknown lab or a bad option: exit 2 before touching the terminal" {
	run --separate-stderr "$SOCKLAB" dash 99
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"no lab '99'"* ]]
	run --separate-stderr "$SOCKLAB" dash --port-base 70000
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"--port-base"* ]]
	run --separate-stderr "$SOCKLAB" dash 4 7
	[ "$status" -eq 2 ]
}

@test "dash with TERM unset or unknown: one line, exit 2" {
	tmux -L "$TSOCK" -f /dev/null new-session -d -x 100 -y 30 \
		"env -u TERM $SOCKLAB dash 4 2> $T/err1; echo \$? > $T/exit1; TERM=no-such-term $SOCKLAB dash 4 2> $T/err2; echo \$? > $T/exit2; sleep 60" 3>&-
	for _ in $(seq 50); do [ -s "$T/exit2" ] && break; sleep 0.1; done
	[ "$(cat "$T/exit1")" = 2 ]
	[ "$(wc -l < "$T/err1")" -eq 1 ]
	grep -q "TERM is not set" "$T/err1"
	[ "$(cat "$T/exit2")" = 2 ]
	[ "$(wc -l < "$T/err2")" -eq 1 ]
	grep -q "unknown terminal type 'no-such-term'" "$T/err2"
}

@test "lab 04: the failing bind shows EADDRINUSE, 10048, its highlighted line and the first socket's row; q leaves nothing" {
	dash_start NO_COLOR=1 -- 4
	keys Space
	wait_screen 'step 1 of 2'
	pids=$(lab_pids)
	[ -n "$pids" ]
	keys Space
	wait_screen 'WSAEADDRINUSE 10048'
	run screen
	[[ "$output" == *"EADDRINUSE"* ]]
	[[ "$output" == *"10048"* ]]
	[[ "$output" == *"Step 2 · A second socket binds the same address and port"* ]]
	# the first socket's row: what sock_diag reported, owned by the lab's process
	echo "$output" | grep -Eq '│ +udp +UNCONN +127\.0\.0\.1:5000 +0\.0\.0\.0:\* +0 +0 +main [0-9]+ '
	# the bind that failed is highlighted (reverse video without colour)
	run screen -e
	echo "$output" | grep 'EXPECT_ERR(EADDRINUSE, bind(second' | grep -Eq $'\e\\[([0-9]+;)*7m'
	# the line of the first step's bind is not
	! echo "$output" | grep 'EXPECT_OK(bind(first' | grep -Eq $'\e\\[([0-9]+;)*7m' || false
	quit_and_check "$pids"
}

@test "lab 07 steps to the end: every expectation met, the reply lands on the client, then on the server" {
	dash_start -- 7
	for i in $(seq 11); do
		keys n
		wait_screen "step $i of 11|finished"
	done
	wait_screen 'The end: 19 of 19 expectations met'
	pids=$(lab_pids)
	run screen
	# deliveries, from the lab's own recv() results
	echo "$output" | grep -Eq '│ 9 client ← 5 bytes'
	echo "$output" | grep -Eq '│ 9 server: nothing \(EAGAIN\)'
	echo "$output" | grep -Eq '│11 server ← 5 bytes'
	# the table's owners are the roles: the server's socket has both flags
	echo "$output" | grep -Eq 'udp +UNCONN +127\.0\.0\.1:5000 .*server [0-9]+ +ra rp'
	quit_and_check "$pids"
}

@test "a terminal smaller than 80x24 shows the enlarge message, and the panes come back" {
	dash_start -- 4
	tmux -L "$TSOCK" resize-window -x 60 -y 20
	wait_screen 'enlarge the terminal to 80x24 \(now 60x20\)'
	run screen
	[[ "$output" != *"What happened"* ]]
	tmux -L "$TSOCK" resize-window -x 100 -y 30
	wait_screen 'What happened'
	run screen
	[[ "$output" == *"Sockets in the lab's sandbox"* ]]
	[[ "$output" != *"enlarge"* ]]
	quit_and_check ""
}

@test "NO_COLOR: no colour at all, and still readable (marks and reverse video)" {
	dash_start NO_COLOR=1 -- 4
	keys Space
	wait_screen 'step 1 of 2'
	run screen -e
	! echo "$output" | grep -Eq $'\e\\[([0-9;]*;)?(3[0-7]|4[0-7]|38|48)(;[0-9]+)*m' || false
	echo "$output" | grep -Eq $'\e\\[([0-9]+;)*7m'
	[[ "$output" == *"✔ 1 The first socket binds"* ]]
	quit_and_check ""
}

@test "with colour the roles and the highlight are coloured" {
	dash_start -- 7
	keys n
	wait_screen 'step 1 of 11'
	run screen -e
	echo "$output" | grep -Eq $'\e\\[([0-9;]*;)?(3[0-7]|4[0-7])(;[0-9]+)*m'
	quit_and_check ""
}

@test "a wrong expectation is shown with the kernel's real answer, and the lab carries on" {
	dash_start -- "$TEST_LABS/wrong-expectation"
	keys n
	wait_screen 'step 1 of 2'
	keys n
	wait_screen 'finished'
	run screen
	[[ "$output" == *"✘ 2 Bind it again"* ]]
	[[ "$output" == *"expected success; the kernel answered EADDRINUSE 98"* ]]
	quit_and_check ""
}

@test "a lab that crashes is reported, no process is left, and r starts it again" {
	dash_start -- "$TEST_LABS/role-dies"
	keys n
	wait_screen 'lab error: role server died'
	keys r
	wait_screen 'Next: step 1'
	pids=$(lab_pids)
	quit_and_check "$pids"
}

@test "Ctrl-C and SIGTERM end the dashboard: terminal restored, no lab process left" {
	dash_start -- 7
	keys n
	wait_screen 'step 1 of 11'
	pids=$(lab_pids)
	keys C-c
	for _ in $(seq 50); do [ -s "$T/exit" ] && break; sleep 0.1; done
	[ "$(cat "$T/exit")" = 130 ]
	assert_gone "$SOCKLAB_PID $pids"
	grep -Eq '(^| )icanon( |$)' "$T/stty"
	tmux -L "$TSOCK" kill-server
	rm -f "$T/exit" "$T/stty"
	dash_start -- 7
	pids=$(lab_pids)
	kill -TERM "$SOCKLAB_PID"
	for _ in $(seq 50); do [ -s "$T/exit" ] && break; sleep 0.1; done
	[ "$(cat "$T/exit")" = 143 ]
	assert_gone "$SOCKLAB_PID $pids"
	grep -Eq '(^| )echo( |$)' "$T/stty"
}

@test "bare socklab on a terminal opens the picker; Enter and a mouse click open a lab" {
	tmux -L "$TSOCK" -f /dev/null new-session -d -x 100 -y 30 \
		"env LANG=C.UTF-8 $SOCKLAB; echo \$? > $T/exit; stty -a > $T/stty; sleep 60" 3>&-
	wait_screen 'pick a lab'
	SOCKLAB_PID=$(pgrep -P "$(tmux -L "$TSOCK" list-panes -F '#{pane_pid}')" -x socklab)
	keys Down Down
	wait_screen 'Lab 03 · One socket, one port'
	keys Enter
	wait_screen 'Lab 03 one-socket-one-port'
	# a click (xterm X10 mouse report) on the row of lab 05
	row=$(screen | grep -n '│ 05 reuse-one-side' | cut -d: -f1)
	tmux -L "$TSOCK" send-keys -l "$(printf '\033[M %b%b\033[M#%b%b' \
		"\\$(printf %03o $((32 + 5)))" "\\$(printf %03o $((32 + row)))" \
		"\\$(printf %03o $((32 + 5)))" "\\$(printf %03o $((32 + row)))")"
	wait_screen 'Lab 05 reuse-one-side'
	quit_and_check ""
}

@test "? lists every key; / filters the table; h shows the host's sockets" {
	dash_start -- 7
	for i in 1 2 3 4 5 6; do keys n; wait_screen "step $i of 11"; done
	keys '?'
	wait_screen 'Keys'
	run screen
	for k in "space, n" "r  " "tab" "arrows" "PgUp, PgDn" "/  " "h  " "?  " "q  "; do
		[[ "$output" == *"$k"* ]] || { echo "help lacks '$k'" >&2; false; }
	done
	keys x
	wait_screen 'space next'
	keys / 5 0 0 1 Enter
	wait_screen 'filter: 5001'
	run screen
	[[ "$output" == *"127.0.0.1:5001"* ]]
	[[ "$output" != *"UNCONN 127.0.0.1:5000"* ]]
	keys / Escape
	keys h
	wait_screen 'Sockets of this host'
	keys h
	wait_screen "Sockets in the lab's sandbox"
	quit_and_check ""
}

@test "h: the host view shows a process socklab did not start, and a TIME-WAIT timer counting down" {
	local userns=""
	[ "$(id -u)" = 0 ] || userns="-r"
	# a namespace of our own is "the host" here: only sockmix's sockets in it
	unshare $userns -n bash -c '
		ip link set lo up
		mkfifo "$2/in"; exec {IN}<>"$2/in"
		"$3" 6200 <&$IN > "$2/mix" &
		for _ in $(seq 50); do grep -q ready "$2/mix" && break; sleep 0.1; done
		tmux -L "$0" -f /dev/null new-session -d -x 120 -y 40 "env LANG=C.UTF-8 $1 dash 4"
		sleep 0.5
		tmux -L "$0" send-keys h
		sleep 0.5
		tmux -L "$0" capture-pane -p > "$2/first"
		sleep 2.5
		tmux -L "$0" capture-pane -p > "$2/second"
		tmux -L "$0" send-keys q
		sleep 0.3
		kill $!; wait $!
		tmux -L "$0" kill-server 2>/dev/null || true
	' "$TSOCK" "$SOCKLAB" "$T" "$BUILD/tests/tools/sockmix" 3>&-
	grep -q "Sockets of this host" "$T/first"
	grep -Eq 'udp +UNCONN +127\.0\.0\.1:6200 .*sockmix [0-9]+ +ra' "$T/first"
	t1=$(grep -Eo 'TIME-WAIT .* ([0-9]+\.[0-9])s' "$T/first" | grep -Eo '[0-9]+\.[0-9]s' | tr -d s)
	t2=$(grep -Eo 'TIME-WAIT .* ([0-9]+\.[0-9])s' "$T/second" | grep -Eo '[0-9]+\.[0-9]s' | tr -d s)
	[ -n "$t1" ] && [ -n "$t2" ] || { cat "$T/first" >&2; false; }
	# counting down: about 2.5 s less (the view refreshes every 2 s)
	awk -v a="$t1" -v b="$t2" 'BEGIN { exit !(b < a && a - b <= 5 && a <= 60) }'
}

@test "a lab killed while it waits at a step is reported at once (the control pipe is polled too)" {
	dash_start -- 7
	keys n
	wait_screen 'step 1 of 11'
	pids=$(lab_pids)
	kill -KILL $pids
	wait_screen 'died|crashed|stopped'
	run screen
	[[ "$output" == *"✘"* ]]
	keys r
	wait_screen 'Next: step 1'
	quit_and_check "$pids $(lab_pids)"
}
