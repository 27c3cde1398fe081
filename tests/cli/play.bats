#!/usr/bin/env bats
# play.bats — the playground: scripts piped into `socklab play`, the
# kernel's answers asserted (they come from the kernel: the errno a bind
# really got, the socket a datagram really reached), sessions saved as
# labs that `socklab check` passes, and nothing left behind.

load helpers

setup() {
	common_setup
	T="$BATS_TEST_TMPDIR"
	export XDG_STATE_HOME="$T/state"
}

teardown() {
	tmux_done
}

# The issue's script: two sockets share a port once both agree.
story() {
	cat <<'EOF'
server: s = socket(udp)
server: setsockopt(s, SO_REUSEADDR, 1)
server: bind(s, 127.0.0.1:5000)
client: c = socket(udp)
client: bind(c, 127.0.0.1:5000)          # EADDRINUSE: the client has not agreed
client: setsockopt(c, SO_REUSEADDR, 1)
client: bind(c, 127.0.0.1:5000)          # both agreed to share
peer: p = socket(udp)
peer: sendto(p, "hi", 127.0.0.1:5000)
server: recv(s)                          # it went to the client
client: recv(c)
EOF
}

@test "play: the one-sided bind gets EADDRINUSE, both flags share, the datagram reaches the newer socket" {
	run --separate-stderr "$SOCKLAB" play < <(story)
	[ "$status" -eq 0 ] || { show_output; false; }
	[ -z "$stderr" ] || { show_output; false; }
	# the first bind of the client: refused, with both spellings and the meaning
	[[ "$output" == *$'> client: bind(c, 127.0.0.1:5000)          # EADDRINUSE: the client has not agreed\n  → bind(c, 127.0.0.1:5000) = -1 EADDRINUSE 98 / WSAEADDRINUSE 10048\n    EADDRINUSE: the local address and port are already bound'* ]] ||
		{ show_output; false; }
	# with SO_REUSEADDR on both: success, and two rows on the port
	[[ "$output" == *$'  → bind(c, 127.0.0.1:5000) = 0\n  sockets:'* ]] || { show_output; false; }
	[ "$(grep -c 'UDP  UNCONN     127.0.0.1:5000 .* client pid' <<<"$output")" -ge 1 ]
	# the kernel gave the datagram to the client (the newer socket), not the server
	[[ "$output" == *"→ recv(s) = -1 EAGAIN 11 / WSAEWOULDBLOCK 10035"* ]] || { show_output; false; }
	[[ "$output" =~ →\ recv\(c\)\ =\ 2:\ \"hi\"\ from\ 127\.0\.0\.1:[0-9]+ ]] || { show_output; false; }
	# the peer's implicit bind: its port is the sender the client saw
	port=$(grep -o 'recv(c) = 2: "hi" from 127.0.0.1:[0-9]*' <<<"$output" | cut -d: -f3)
	grep -Eq "UDP  UNCONN     0\.0\.0\.0:$port .* peer pid" <<<"$output" || { show_output; false; }
}

@test "play: bad lines each get one line on stderr, the rest still run, exit 2" {
	run --separate-stderr "$SOCKLAB" play <<'EOF'
a: s = socket(udp)
a: frobnicate(s)
a: bind(s, 127.0.0.1:99999)
a: bind(s, 127.0.0.1)
a: setsockopt(s, SO_NOPE, 1)
b: bind(s, 127.0.0.1:5000)
a: bind(q, 127.0.0.1:5000)
a: x = bind(s, 127.0.0.1:5000)
a: bind(s, 127.0.0.1:5000)
EOF
	[ "$status" -eq 2 ] || { show_output; false; }
	[ "$(printf '%s\n' "$stderr" | wc -l)" -eq 7 ] || { show_output; false; }
	[[ "$stderr" == *"unknown call 'frobnicate'"* ]]
	[[ "$stderr" == *"'127.0.0.1:99999': the port is a number from 0 to 65535"* ]]
	[[ "$stderr" == *"bind: '127.0.0.1' needs a port (127.0.0.1:5000)"* ]]
	[[ "$stderr" == *"unknown option 'SO_NOPE'"* ]]
	[[ "$stderr" == *"'s' is a's socket, not b's: write 'a: bind(s, 127.0.0.1:5000)'"* ]]
	[[ "$stderr" == *"no socket called 'q' yet"* ]]
	[[ "$stderr" == *"bind gives no descriptor to keep in 'x'"* ]]
	# and the good line after them ran
	[[ "$output" == *$'> a: bind(s, 127.0.0.1:5000)\n  → bind(s, 127.0.0.1:5000) = 0'* ]] || { show_output; false; }
}

# save FILE.c at the end of a script, then socklab check FILE.c (built
# with the runtime socklab carries) must pass.
save_and_check() {
	{ cat; echo "save $T/$1.c"; echo "save $T/$1.play"; } | "$SOCKLAB" play > "$T/$1.out" 2>&1 ||
		{ cat "$T/$1.out" >&2; return 1; }
	grep -q "saved .* lines to $T/$1.c" "$T/$1.out" || { cat "$T/$1.out" >&2; return 1; }
	run "$SOCKLAB" check "$T/$1.c"
	[ "$status" -eq 0 ] || { show_output; cat "$T/$1.c" >&2; return 1; }
	[[ "$output" == *"✔ 99 $1 "*"expectations met"* ]] || { show_output; return 1; }
}

@test "save FILE.c: three roles (the story) make a lab that socklab check passes, and the .play replays" {
	command -v cc >/dev/null || skip "no C compiler (cc) to build the saved lab"
	story | save_and_check story3
	# the lab says what the kernel answered, in the house style
	grep -q 'ROLE("server") {' "$T/story3.c"
	grep -q 'EXPECT_ERR(EADDRINUSE, bind(c, (struct sockaddr \*)&a4, sizeof a4));' "$T/story3.c"
	grep -q 'EXPECT_ERR(EAGAIN, recv(s, buf, sizeof buf, MSG_DONTWAIT));' "$T/story3.c"
	grep -q 'STEP("bind(c, 127.0.0.1:5000)", "EADDRINUSE: the client has not agreed");' "$T/story3.c"
	# the script saved replays to the same answers
	run --separate-stderr "$SOCKLAB" play "$T/story3.play" --batch
	[ "$status" -eq 0 ] || { show_output; false; }
	[[ "$output" == *"→ recv(s) = -1 EAGAIN"* ]]
}

@test "save FILE.c: a TCP session (listen, connect, accept, TIME-WAIT) makes a lab that check passes" {
	command -v cc >/dev/null || skip "no C compiler (cc) to build the saved lab"
	save_and_check tcp1 <<'EOF'
server: l = socket(tcp)
server: setsockopt(l, SO_REUSEADDR, 1)
server: bind(l, 127.0.0.1:5000)
server: listen(l)
client: c = socket(tcp)
client: connect(c, 127.0.0.1:5000)
server: a = accept(l, 500)
client: send(c, "GET /")
server: recv(a, 500)
server: close(a)
server: close(l)
restart: l2 = socket(tcp)
restart: bind(l2, 127.0.0.1:5000)       # the closed connection lingers in TIME-WAIT
restart: setsockopt(l2, SO_REUSEADDR, 1)
restart: bind(l2, 127.0.0.1:5000)
EOF
	grep -q 'EXPECT_ERR(EADDRINUSE, bind(l2' "$T/tcp1.c"
	grep -q 'EXPECT_OK(poll(&pfd, 1, 500));' "$T/tcp1.c"
	grep -q 'recv(a, 500) = 5: "GET /" from 127.0.0.1:' "$T/tcp1.out"
}

@test "save FILE.c: IPv6, options and a sysctl make a lab that check passes" {
	command -v cc >/dev/null || skip "no C compiler (cc) to build the saved lab"
	save_and_check v6opts <<'EOF'
six: d = socket(udp6)
six: setsockopt(d, IPV6_V6ONLY, 0)
six: getsockopt(d, IPV6_V6ONLY)
six: bind(d, [::]:5000)
four: f = socket(udp)
four: bind(f, 0.0.0.0:5000)              # the dual-stack socket holds it
sysctl(net.ipv4.ip_local_port_range, "40000 40001")
four: g = socket(udp)
four: connect(g, 127.0.0.1:5000)
four: getsockname(g)
four: connect(g, AF_UNSPEC)
EOF
	grep -q 'IPV6_V6ONLY of d is 0' "$T/v6opts.out"
	grep -q '→ bind(f, 0.0.0.0:5000) = -1 EADDRINUSE' "$T/v6opts.out"
	grep -Eq 'bound to 127\.0\.0\.1:4000[01]' "$T/v6opts.out" || { cat "$T/v6opts.out" >&2; false; }
	grep -q 'EXPECT_OK(lab_sysctl("net.ipv4.ip_local_port_range", "40000 40001"));' "$T/v6opts.c"
}

@test "undo replays the session without its last line in a fresh sandbox" {
	run --separate-stderr "$SOCKLAB" play <<'EOF'
a: s = socket(udp)
a: bind(s, 127.0.0.1:5000)
b: t = socket(udp)
b: bind(t, 127.0.0.1:5001)
undo
b: bind(t, 127.0.0.1:5002)
b: getsockname(t)
EOF
	[ "$status" -eq 0 ] || { show_output; false; }
	[[ "$output" == *"undone: the sandbox was made again and 3 lines replayed"* ]] || { show_output; false; }
	# 5001 is gone: t is unbound again, so its bind to 5002 works
	[[ "$output" == *"→ bind(t, 127.0.0.1:5002) = 0"* ]] || { show_output; false; }
	[[ "$output" == *"bound to 127.0.0.1:5002"* ]]
	tail -n 8 <<<"$output" | grep -qv '127.0.0.1:5001 ' || { show_output; false; }
}

@test "predict: the bind doctor's model first, then the kernel beside it" {
	run --separate-stderr "$SOCKLAB" play <<'EOF'
a: s = socket(udp)
a: bind(s, 127.0.0.1:5000)
b: t = socket(udp)
predict b: bind(t, 127.0.0.1:5000)
a: setsockopt(s, SO_REUSEPORT, 1)
b: setsockopt(t, SO_REUSEPORT, 1)
predict b: bind(t, 127.0.0.1:5000)
EOF
	[ "$status" -eq 0 ] || { show_output; false; }
	[[ "$output" == *$'the model predicts EADDRINUSE: '*$'\n  ✔ bind(t, 127.0.0.1:5000) = -1 EADDRINUSE'* ]] || { show_output; false; }
	[[ "$output" == *$'the model predicts success: '*$'\n  ✔ bind(t, 127.0.0.1:5000) = 0'* ]] || { show_output; false; }
}

@test "play FILE --batch runs the script and exits; a missing FILE is one line, exit 2" {
	story > "$T/s.play"
	run --separate-stderr "$SOCKLAB" play "$T/s.play" --batch < /dev/null
	[ "$status" -eq 0 ] || { show_output; false; }
	[[ "$output" == *"→ recv(s) = -1 EAGAIN"* ]]
	run --separate-stderr "$SOCKLAB" play "$T/nope.play"
	[ "$status" -eq 2 ]
	[ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
	[[ "$stderr" == *"nope.play: No such file or directory"* ]]
}

@test "as uid: a role of another user (root: uid 65534): SO_REUSEPORT across users is refused" {
	[ "$(id -u)" = 0 ] || skip "another uid for a role needs root here"
	run --separate-stderr "$SOCKLAB" play <<'EOF'
owner: s = socket(udp)
owner: setsockopt(s, SO_REUSEPORT, 1)
owner: bind(s, 127.0.0.1:5000)
thief as uid 65534: t = socket(udp)
thief: setsockopt(t, SO_REUSEPORT, 1)
thief: bind(t, 127.0.0.1:5000)          # SO_REUSEPORT across users: refused
EOF
	[ "$status" -eq 0 ] || { show_output; false; }
	[[ "$output" == *"→ bind(t, 127.0.0.1:5000) = -1 EADDRINUSE"* ]] || { show_output; false; }
}

@test "nothing left running or bound after EOF, quit, or SIGKILL of socklab" {
	# EOF and quit: socklab returns, and no process of the session is left
	printf 'a: s = socket(udp)\na: bind(s, 127.0.0.1:5000)\n' | "$SOCKLAB" play > /dev/null
	printf 'a: s = socket(udp)\nquit\nb: t = socket(udp)\n' | "$SOCKLAB" play > "$T/q.out"
	! grep -q 't = socket' "$T/q.out"
	# SIGKILL: the engine and its roles die with it (PR_SET_PDEATHSIG)
	mkfifo "$T/in"
	"$SOCKLAB" play < "$T/in" > "$T/k.out" 2>&1 &
	pid=$!
	exec 7> "$T/in"
	printf 'a: s = socket(udp)\na: bind(s, 127.0.0.1:5000)\nb: t = socket(udp)\n' >&7
	for _ in $(seq 50); do grep -q 't = socket(udp) = ' "$T/k.out" && break; sleep 0.1; done
	kids=$(pgrep -P "$pid" || true)
	grand=""
	for k in $kids; do grand="$grand $(pgrep -P "$k" || true)"; done
	[ -n "$kids" ] && [ -n "$grand" ] || { cat "$T/k.out" >&2; false; }
	kill -KILL "$pid"
	exec 7>&-
	wait "$pid" || true
	for _ in $(seq 30); do
		left=""
		for k in $kids $grand; do
			[ -e "/proc/$k" ] && ! grep -q '^State:.*Z' "/proc/$k/status" 2>/dev/null && left="$left $k"
		done
		[ -z "$left" ] && break
		sleep 0.1
	done
	[ -z "$left" ] || { echo "left running:$left" >&2; false; }
}

@test "play --help and help inside list the calls" {
	run "$SOCKLAB" play --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"server: setsockopt(s, SO_REUSEADDR, 1)"* ]]
	run "$SOCKLAB" play <<<'help'
	[ "$status" -eq 0 ]
	for c in socket setsockopt getsockopt bind connect listen accept send sendto recv recvfrom close \
		shutdown join leave getsockname getpeername sysctl; do
		[[ "$output" == *"  $c("* ]] || [[ "$output" == *"$c(s"* ]] || { echo "no $c" >&2; false; }
	done
}

@test "on a terminal: tab completes SO_REU and a role name, Up recalls the last line, history is kept" {
	tmux_needed
	tmux_start -x 100 -y 30 "env XDG_STATE_HOME=$T/state LANG=C.UTF-8 $SOCKLAB play; echo \$? > $T/exit; sleep 60"
	tmux_wait '^play>'
	tmux_keys 'server: s = socket(udp)' Enter
	tmux_wait '→ s = socket\(udp\) = [0-9]'
	# the option: SO_REU completes to what both SO_REUSEADDR and SO_REUSEPORT share
	tmux_keys 'server: setsockopt(s, SO_REU' Tab
	tmux_wait '^play> server: setsockopt\(s, SO_REUSE'
	tmux_keys 'A' Tab ', 1)' Enter
	tmux_wait '→ setsockopt\(s, SO_REUSEADDR, 1\) = 0'
	# a role name
	tmux_keys 'ser' Tab
	tmux_wait '^play> server'
	tmux_keys C-u
	# Up: the line before
	tmux_keys Up
	tmux_wait '^play> server: setsockopt\(s, SO_REUSEADDR, 1\)$'
	tmux_keys C-u 'quit' Enter
	for _ in $(seq 50); do [ -s "$T/exit" ] && break; sleep 0.1; done
	[ "$(cat "$T/exit")" = 0 ]
	grep -q 'setsockopt(s,\\040SO_REUSEADDR,\\0401)' "$T/state/socklab/play_history" ||
		{ cat "$T/state/socklab/play_history" >&2; false; }
	tmux_done
}

# docs/play/*.play: the what-if sequences of docs/playground.md and the
# class plan, with the answers those pages state, asked of the kernel.
@test "docs/play/07-flip-the-flag.play: SO_REUSEPORT on one side refuses SO_REUSEADDR; on both, one socket gets the reply" {
	run --separate-stderr "$SOCKLAB" play docs/play/07-flip-the-flag.play --batch
	[ "$status" -eq 0 ] || { show_output; false; }
	[[ "$output" == *"→ bind(c, 127.0.0.1:5000) = -1 EADDRINUSE 98"*"→ bind(c, 127.0.0.1:5000) = 0"* ]] ||
		{ show_output; false; }
	got=$(grep -cE '→ recv\((s|c)\) = 5: "reply" from 127\.0\.0\.1:5001' <<<"$output")
	none=$(grep -cE '→ recv\((s|c)\) = -1 EAGAIN' <<<"$output")
	[ "$got" -eq 1 ] && [ "$none" -eq 1 ] || { show_output; false; }
}

@test "docs/play/11-multicast-all.play: a socket gets a group it never joined until IP_MULTICAST_ALL is 0" {
	run --separate-stderr "$SOCKLAB" play docs/play/11-multicast-all.play --batch
	[ "$status" -eq 0 ] || { show_output; false; }
	[[ "$output" == *'→ recv(x, 500) = 13: "for 239.9.9.9"'* ]] || { show_output; false; }
	[[ "$output" == *'→ recv(y, 500) = 5: "again"'* ]]
	[[ "$output" == *'→ recv(x, 200) = -1 EAGAIN'* ]] || { show_output; false; }
}

@test "docs/play/12-bound-broadcaster.play: 255.255.255.255 is unreachable unbound, sent when bound to 10.77.0.1" {
	run --separate-stderr "$SOCKLAB" play docs/play/12-bound-broadcaster.play --batch
	[ "$status" -eq 0 ] || { show_output; false; }
	[[ "$output" == *'→ sendto(u, "unbound", 255.255.255.255:5000) = -1 ENETUNREACH 101'* ]] || { show_output; false; }
	[[ "$output" == *'→ sendto(b, "bound", 255.255.255.255:5000) = 5'* ]]
	[[ "$output" =~ →\ recv\(r,\ 500\)\ =\ 5:\ \"bound\"\ from\ 10\.77\.0\.1:[0-9]+ ]] || { show_output; false; }
}

@test "ip() takes link, addr, route or neigh and words only: no shell, no netns" {
	run --separate-stderr "$SOCKLAB" play <<'EOF'
ip("link add d0 type dummy; touch /tmp/x")
ip("netns add x")
ip("link add d0 $(id)")
ip("rule add from all")
EOF
	[ "$status" -eq 2 ] || { show_output; false; }
	[ "$(printf '%s\n' "$stderr" | grep -c 'ip: ".*": link, addr, route or neigh')" -eq 4 ] || { show_output; false; }
	[ ! -e /tmp/x ] || [ /tmp/x -ot "$BATS_TEST_TMPDIR" ]
}

@test "on a terminal: Ctrl-C ends the session: exit 130, the terminal as it was, nothing left" {
	tmux_needed
	tmux_start -x 100 -y 30 "stty -a > $T/stty.before; $SOCKLAB play; echo \$? > $T/exit; stty -a > $T/stty.after; sleep 60"
	tmux_wait '^play>'
	tmux_keys 'a: s = socket(udp)' Enter 'a: bind(s, 127.0.0.1:5000)' Enter
	tmux_wait '→ bind\(s, 127\.0\.0\.1:5000\) = 0'
	pid=$(pgrep -P "$(tmux_pane pane_pid)" -x socklab)
	kids=$(pgrep -P "$pid")
	grand=$(for k in $kids; do pgrep -P "$k"; done)
	[ -n "$grand" ]
	tmux_keys C-c
	for _ in $(seq 50); do [ -s "$T/exit" ] && break; sleep 0.1; done
	[ "$(cat "$T/exit")" = 130 ]
	diff "$T/stty.before" "$T/stty.after" >&2
	for p in $pid $kids $grand; do
		! [ -e "/proc/$p" ] || grep -q '^State:.*Z' "/proc/$p/status" || { echo "left: $p" >&2; false; }
	done
	tmux_done
}

@test "no wait the user did not ask for: accept of nothing is EAGAIN, a full accept queue's connect is EINPROGRESS" {
	run --separate-stderr timeout 30 "$SOCKLAB" play <<'EOF'
server: l = socket(tcp)
server: bind(l, 127.0.0.1:6000)
server: listen(l, 0)
server: a0 = accept(l)
client: b = socket(tcp)
client: connect(b, 127.0.0.1:6000)
client: c2 = socket(tcp)
client: connect(c2, 127.0.0.1:6000)
client: recv(b, 20000)
EOF
	[ "$status" -eq 2 ] || { show_output; false; }	# the last line: too long a wait
	[[ "$output" == *"→ a0 = accept(l) = -1 EAGAIN 11"* ]] || { show_output; false; }
	[[ "$output" == *"→ connect(b, 127.0.0.1:6000) = 0"* ]]
	[[ "$output" == *"→ connect(c2, 127.0.0.1:6000) = -1 EINPROGRESS 115"* ]] || { show_output; false; }
	[[ "$stderr" == *"stdin:9: recv: wait at most 10000 ms"* ]] || { show_output; false; }
}

@test "refusals: sysctl outside net.*, a string for a number, CRLF read as a line end, 'as uid' twice" {
	before=$(cat /proc/sys/vm/swappiness)
	run --separate-stderr "$SOCKLAB" play < <(printf '%s\r\n' 'sysctl(vm.swappiness, "7")' \
		'r: s = socket(udp)' 'r: setsockopt(s, SO_REUSEADDR, "yes")' 'r as uid 1: bind(s, *:5000)' \
		'r: bind(s, 127.0.0.1:5000)')
	[ "$status" -eq 2 ] || { show_output; false; }
	[ "$(cat /proc/sys/vm/swappiness)" = "$before" ]
	[[ "$stderr" == *"stdin:1: sysctl: 'vm.swappiness': the sandbox's own settings only (net.*)"* ]] ||
		{ show_output; false; }
	[[ "$stderr" == *"stdin:3: setsockopt: SO_REUSEADDR takes a number (1 or 0)"* ]]
	[[ "$stderr" == *"stdin:4: role r exists already: 'as uid' goes on its first line"* ]] || { show_output; false; }
	[ "$(printf '%s\n' "$stderr" | wc -l)" -eq 3 ]
	[[ "$output" == *"→ bind(s, 127.0.0.1:5000) = 0"* ]] || { show_output; false; }
}

@test "save FILE.c: variables named like C or the generated code still make a lab that builds and passes" {
	command -v cc >/dev/null || skip "no C compiler (cc) to build the saved lab"
	save_and_check clash <<'EOF'
r: v = socket(udp)
r: bind(v, 127.0.0.1:5000)
r: int = socket(tcp)
r: listen(int)
r: buf = accept(int)
predict r: close(v)
EOF
	grep -q 'int_ = EXPECT_OK(socket(AF_INET, SOCK_STREAM, 0));' "$T/clash.c"
	grep -qx 'predict r: close(v)' "$T/clash.play"
}
