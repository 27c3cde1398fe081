#!/usr/bin/env bats
# trace-all.bats — socklab trace --all: binds, listens and connects of any
# process, read in the kernel by BPF.  Each is held to what the program
# itself did: its pid and descriptors (its own printout), the flags it set,
# the kernel's answer.  The program runs in a network namespace of the
# test's own, and --netns keeps the trace to it: the host's other binds
# stay out, and nothing leaves that namespace.

load helpers

setup() {
	common_setup
	T="$BATS_TEST_TMPDIR"
	PORT=$(( 20000 + (RANDOM % 20000) ))
}

teardown() {
	[ -z "${tracer:-}" ] || { kill -INT "$tracer" 2>/dev/null; wait "$tracer" 2>/dev/null; } || true
	[ -z "${ns:-}" ] || { kill "$ns" 2>/dev/null; wait "$ns" 2>/dev/null; } || true
}

# a network namespace held by a sleep of ours; --all watching it, or skip
# with the reason --all gave (not root, not built, no BPF here)
start_all() {
	[ "$(id -u)" = 0 ] || skip "--all needs root (tested as a normal user below)"
	command -v unshare >/dev/null && command -v nsenter >/dev/null || skip "no unshare/nsenter"
	command -v python3 >/dev/null || skip "no python3 here"
	unshare -n sleep 60 &
	ns=$!
	for _ in $(seq 50); do
		[ "$(readlink /proc/$ns/ns/net)" != "$(readlink /proc/self/ns/net)" ] && break
		sleep 0.05
	done
	"$SOCKLAB" trace --all --netns "/proc/$ns/ns/net" "$@" > "$T/trace" 2> "$T/err" &
	tracer=$!
	for _ in $(seq 100); do
		grep -q '^socklab: tracing' "$T/err" && return 0
		kill -0 "$tracer" 2>/dev/null || break
		sleep 0.1
	done
	wait "$tracer" || true
	tracer=
	skip "--all cannot run here: $(head -1 "$T/err")"
}

# the program: a holder with IP_FREEBIND on 0.0.0.0:PORT, then a second
# socket with SO_REUSEPORT only (EADDRINUSE: the holder lacks it); it says
# its pid, descriptors and answers, and stays a moment for the diagnosis
write_prog() {
	cat > "$T/p.py" <<EOF
import os, socket, time
IP_FREEBIND = 15
a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
a.setsockopt(socket.IPPROTO_IP, IP_FREEBIND, 1)
a.bind(("0.0.0.0", $PORT))
b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
b.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
try:
    b.bind(("0.0.0.0", $PORT))
    print("second bound")
except OSError as e:
    print("second", b.fileno(), "errno", e.errno)
print("pid", os.getpid(), "holder", a.fileno(), flush=True)
time.sleep(1)
EOF
}

stop_all() {
	kill -INT "$tracer"
	st=0
	wait "$tracer" || st=$?
	tracer=
	[ "$st" -eq 0 ] || { cat "$T/err" "$T/trace" >&2; false; }
}

@test "trace --all: another process's refused bind, with its SO_REUSEPORT, the errno and the blocker's pid" {
	start_all
	write_prog
	# the host's own bind in the same moment: not in the namespace asked for
	python3 -c "import socket; socket.socket(socket.AF_INET, socket.SOCK_DGRAM).bind(('127.0.0.1', $PORT))"
	out=$(nsenter -t "$ns" -n python3 "$T/p.py")
	sleep 0.5
	stop_all
	pid=$(sed -n 's/^pid \([0-9]*\) holder \([0-9]*\)$/\1/p' <<<"$out")
	holder=$(sed -n 's/^pid [0-9]* holder \([0-9]*\)$/\1/p' <<<"$out")
	second=$(sed -n 's/^second \([0-9]*\) errno 98$/\1/p' <<<"$out")
	[ -n "$pid" ] && [ -n "$holder" ] && [ -n "$second" ] || { echo "$out" >&2; false; }
	tr=$(cat "$T/trace")
	inum=$(stat -L -c %i "/proc/$ns/ns/net")
	grep -q "^pid $pid python3 *bind(fd $holder udp, 0.0.0.0:$PORT)  → 0$" <<<"$tr" || { echo "$tr" >&2; false; }
	grep -A1 "bind(fd $holder udp" <<<"$tr" | grep -q \
		"flags: SO_REUSEADDR 0, SO_REUSEPORT 0, IP_FREEBIND 1, IP_BIND_ADDRESS_NO_PORT 0; uid 0; network namespace net:\[$inum\]"
	grep -q "^pid $pid python3 *bind(fd $second udp, 0.0.0.0:$PORT)  → EADDRINUSE 98" <<<"$tr"
	grep -A1 "bind(fd $second udp" <<<"$tr" | grep -q \
		"flags: SO_REUSEADDR 0, SO_REUSEPORT 1, IP_FREEBIND 0, IP_BIND_ADDRESS_NO_PORT 0"
	# diagnosed in that namespace: the blocker by pid and descriptor
	grep -q "this socket: SO_REUSEADDR 0, SO_REUSEPORT 1 (the kernel's, at the call)" <<<"$tr"
	grep -q "blocked by pid $pid python3 fd $holder on 0.0.0.0:$PORT: SO_REUSEADDR 0, SO_REUSEPORT 0" <<<"$tr"
	grep -q "why: SO_REUSEPORT is set on one socket only" <<<"$tr"
	# the host's bind of that moment is not there
	! grep -q "127.0.0.1:$PORT" <<<"$tr" || false
}

@test "trace --all: listen, connect and a bind to port 0 say what the kernel made of them" {
	start_all
	cat > "$T/c.py" <<EOF
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 0))
s.listen(7)
print("server", s.fileno(), s.getsockname()[1])
c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
c.setsockopt(socket.IPPROTO_IP, 24, 1)	# IP_BIND_ADDRESS_NO_PORT
try:
    c.connect(("127.0.0.1", s.getsockname()[1]))
    print("client", c.fileno(), c.getsockname()[1], flush=True)
except OSError as e:
    print("client", c.fileno(), "errno", e.errno, flush=True)
EOF
	out=$(nsenter -t "$ns" -n python3 "$T/c.py")
	sleep 0.5
	stop_all
	tr=$(cat "$T/trace")
	set -- $(sed -n 's/^server //p' <<<"$out")
	grep -q "bind(fd $1 tcp, 0.0.0.0:0)  → 0" <<<"$tr" || { echo "$out"; echo "$tr"; false; } >&2
	grep -q "the kernel picked the port: 0.0.0.0:$2" <<<"$tr"
	grep -A1 "bind(fd $1 tcp" <<<"$tr" | grep -q "flags: SO_REUSEADDR 1, SO_REUSEPORT 0"
	grep -q "listen(fd $1 tcp, 7)  → 0" <<<"$tr"
	# lo is down in a new namespace: the connect fails, and the trace says how
	set -- $(sed -n 's/^client //p' <<<"$out")
	if [ "$2" = errno ]; then
		grep -q "connect(fd $1 tcp, 127.0.0.1:[0-9]*)  → E[A-Z]* $3 " <<<"$tr" || { echo "$tr" >&2; false; }
	else
		grep -q "the socket's local address: 127.0.0.1:$2" <<<"$tr"
	fi
	grep -A1 "connect(fd $1 tcp" <<<"$tr" | grep -q "IP_BIND_ADDRESS_NO_PORT 1"
}

@test "trace --all --json: one object per call that jq reads, with the kernel's flags" {
	command -v jq >/dev/null || skip "no jq here"
	start_all --json
	write_prog
	out=$(nsenter -t "$ns" -n python3 "$T/p.py")
	sleep 0.5
	stop_all
	second=$(sed -n 's/^second \([0-9]*\) errno 98$/\1/p' <<<"$out")
	jq -e . "$T/trace" >/dev/null
	jq -e --arg c "bind(fd $second udp, 0.0.0.0:$PORT)" \
		'select(.call == $c) | .errno == 98 and .flags.SO_REUSEPORT == 1 and
		 .flags.SO_REUSEADDR == 0 and .flags.IP_FREEBIND == 0' "$T/trace" | grep -q true ||
		{ cat "$T/trace" >&2; false; }
}

@test "trace --all: bad input, or not root: one line, exit 2" {
	run --separate-stderr "$SOCKLAB" trace --all -- true
	[ "$status" -eq 2 ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ "$stderr" == *"no command, -p or --table with it"* ]]
	run --separate-stderr "$SOCKLAB" trace --netns /proc/self/ns/net -- true
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"--netns goes with --all"* ]]
	run --separate-stderr "$SOCKLAB" trace --all --calls send
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"--all sees bind, listen and connect only"* ]]
	run --separate-stderr "$SOCKLAB" trace --all --netns "$T"
	[ "$status" -eq 2 ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ "$stderr" == *"not a network namespace"* ]] || { echo "$stderr" >&2; false; }
	run --separate-stderr "$SOCKLAB" trace --all --netns no-such-ns-here
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"/run/netns/no-such-ns-here"* ]]
	if [ "$(id -u)" != 0 ]; then
		run --separate-stderr "$SOCKLAB" trace --all
		[ "$status" -eq 2 ]
		[ "${#stderr_lines[@]}" -eq 1 ]
		[[ "$stderr" == *"needs root"* || "$stderr" == *"not built"* ]] || { echo "$stderr" >&2; false; }
	fi
}

@test "trace --all: a blocker gone before the doctor looks is said so, never a rule it did not see" {
	start_all
	cat > "$T/quick.py" <<EOF
import socket
a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
a.bind(("0.0.0.0", $PORT))
b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
try:
    b.bind(("0.0.0.0", $PORT))
except OSError as e:
    print("errno", e.errno)
EOF
	for _ in 1 2 3; do nsenter -t "$ns" -n python3 "$T/quick.py" >/dev/null; done
	sleep 0.5
	stop_all
	tr=$(cat "$T/trace")
	[ "$(grep -c "→ EADDRINUSE 98" <<<"$tr")" -eq 3 ] || { echo "$tr" >&2; false; }
	# each refused bind: its blocker (by pid, or a socket whose owner is
	# already gone), or the honest "gone"; never a why from an empty port
	[ "$(grep -c -e '    blocked by ' -e 'was gone when socklab looked' -e 'no diagnosis' <<<"$tr")" -ge 3 ] ||
		{ echo "$tr" >&2; false; }
	! grep -q 'no socket on an overlapping address holds the port' <<<"$tr" || false
}

@test "trace --all: it ends when its reader does (| head), and works inside a pid namespace" {
	[ "$(id -u)" = 0 ] || skip "--all needs root"
	command -v python3 >/dev/null || skip "no python3 here"
	# (a quick probe: not root enough, not built, no BPF: skip with its reason)
	timeout -s INT 3 "$SOCKLAB" trace --all > /dev/null 2> "$T/probe" || true
	grep -q '^socklab: tracing' "$T/probe" || skip "--all cannot run here: $(head -1 "$T/probe")"
	# inside a pid namespace getpid() is not the kernel's tgid: the check
	# still finds socklab's own binds
	if unshare --pid --fork true 2>/dev/null; then
		timeout -s INT 3 unshare --pid --fork "$SOCKLAB" trace --all > /dev/null 2> "$T/pidns" || true
		grep -q '^socklab: tracing' "$T/pidns" || { cat "$T/pidns" >&2; false; }
	fi
	# the reader goes after one line: socklab follows at the next call
	( "$SOCKLAB" trace --all 2>/dev/null | head -1 > "$T/one" ) &
	pipeline=$!
	for _ in $(seq 30); do
		python3 -c "import socket; socket.socket(socket.AF_INET, socket.SOCK_DGRAM).bind(('127.0.0.1', 0))"
		kill -0 "$pipeline" 2>/dev/null || break
		sleep 0.2
	done
	! kill -0 "$pipeline" 2>/dev/null || { kill "$pipeline"; false; }
	wait "$pipeline"
	grep -q '^pid [0-9]* ' "$T/one"
}
