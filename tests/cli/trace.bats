#!/usr/bin/env bats
# trace.bats — socklab trace -- CMD: each call the trace reports is held
# to what the program itself saw (its own printout of each answer), and
# the implicit bind's port to what getsockname() told the program.

load helpers

setup() {
	common_setup
	T="$BATS_TEST_TMPDIR"
	TRACEE="$BUILD/tests/tools/tracee"
	# a port of its own per test run, on the host's loopback only
	PORT=$(( 20000 + (RANDOM % 20000) ))
}

@test "trace a C program: every call with its answer, the refused bind diagnosed, CMD's exit status" {
	run --separate-stderr "$SOCKLAB" trace -o "$T/trace" -- "$TRACEE" "$PORT"
	[ "$status" -eq 3 ] || { show_output; cat "$T/trace" >&2; false; }	# the program's own
	tr=$(cat "$T/trace")
	holder=$(sed -n 's/^holder fd \([0-9]*\) bind 0$/\1/p' <<<"$output")
	second=$(sed -n 's/^second fd \([0-9]*\) bind -1$/\1/p' <<<"$output")
	[ -n "$holder" ] && [ -n "$second" ] || { show_output; false; }
	pid=$(grep -m1 -o '^pid [0-9]*' <<<"$tr" | cut -d' ' -f2)
	grep -q "setsockopt(fd $holder udp, SO_REUSEADDR, 1)  → 0" <<<"$tr" || { echo "$tr" >&2; false; }
	grep -q "bind(fd $holder udp, 127.0.0.1:$PORT)  → 0" <<<"$tr"
	grep -q "bind(fd $second udp, 127.0.0.1:$PORT)  → EADDRINUSE 98 / WSAEADDRINUSE 10048" <<<"$tr"
	# the diagnosis: this socket's traced flags, the blocker by pid, a fix
	grep -q "this socket: SO_REUSEADDR 0, SO_REUSEPORT 0 (as traced)" <<<"$tr"
	grep -q "blocked by pid $pid tracee fd $holder on 127.0.0.1:$PORT: SO_REUSEADDR 1" <<<"$tr" ||
		{ echo "$tr" >&2; false; }
	grep -q "fix: set SO_REUSEADDR on this socket" <<<"$tr"
}

@test "trace: the implicit bind of a first sendto names the port getsockname() gave the program" {
	run --separate-stderr "$SOCKLAB" trace -o "$T/trace" -- "$TRACEE" "$PORT"
	[ "$status" -eq 3 ]
	port=$(sed -n 's/^implicit port \([0-9]*\)$/\1/p' <<<"$output")
	[ -n "$port" ] && [ "$port" != 0 ]
	grep -Eq "the kernel bound fd [0-9]+ to 0\.0\.0\.0:$port \(an implicit bind\)" "$T/trace" ||
		{ cat "$T/trace" >&2; false; }
}

@test "trace follows threads and children" {
	run --separate-stderr "$SOCKLAB" trace -o "$T/trace" -- "$TRACEE" "$PORT"
	[ "$status" -eq 3 ]
	child=$(sed -n 's/^child \([0-9]*\) socket \([0-9]*\)$/\1 \2/p' <<<"$output")
	set -- $child
	grep -q "^pid $1 tracee *socket(udp)  → fd $2" "$T/trace" || { show_output; cat "$T/trace" >&2; false; }
	tfd=$(sed -n 's/^thread socket \([0-9]*\)$/\1/p' <<<"$output")
	grep -q "socket(tcp6)  → fd $tfd" "$T/trace"
	grep -q "close(fd $tfd tcp6)  → 0" "$T/trace"
}

@test "trace a Python program: its options by name, its binds, in the labs' words" {
	command -v python3 >/dev/null || skip "no python3 here"
	cat > "$T/p.py" <<EOF
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
s.bind(("127.0.0.1", $PORT))
t = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
try:
    t.bind(("::1", $PORT))
    print("v6 bind ok")
except OSError as e:
    print("v6 bind", e.errno)
print("fds", s.fileno(), t.fileno())
EOF
	run --separate-stderr "$SOCKLAB" trace -o "$T/trace" -- python3 "$T/p.py"
	[ "$status" -eq 0 ] || { show_output; false; }
	set -- $(sed -n 's/^fds //p' <<<"$output")
	grep -q "python3 *setsockopt(fd $1 udp, SO_REUSEPORT, 1)  → 0" "$T/trace" || { cat "$T/trace" >&2; false; }
	grep -q "bind(fd $1 udp, 127.0.0.1:$PORT)  → 0" "$T/trace"
	if [[ "$output" == *"v6 bind ok"* ]]; then
		grep -q "bind(fd $2 udp6, \[::1\]:$PORT)  → 0" "$T/trace"
	else
		grep -q "bind(fd $2 udp6, \[::1\]:$PORT)  → E" "$T/trace"
	fi
}

@test "trace --json: one object per call that jq reads, the answer as errno" {
	command -v jq >/dev/null || skip "no jq"
	run --separate-stderr "$SOCKLAB" trace --json -o "$T/trace.json" -- "$TRACEE" "$PORT"
	[ "$status" -eq 3 ]
	jq -e . "$T/trace.json" > /dev/null
	[ "$(jq -r 'select(.errno == 98) | .call' "$T/trace.json")" = "bind(fd $(sed -n 's/^second fd \([0-9]*\).*/\1/p' <<<"$output") udp, 127.0.0.1:$PORT)" ]
}

@test "trace: no command, an unknown option, a command that does not exist: one line, exit 2" {
	run --separate-stderr "$SOCKLAB" trace
	[ "$status" -eq 2 ] && [ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
	[[ "$stderr" == *"which program?"* ]]
	run --separate-stderr "$SOCKLAB" trace --nope -- true
	[ "$status" -eq 2 ] && [ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
	run --separate-stderr "$SOCKLAB" trace -- /nonexistent/prog
	[ "$status" -eq 2 ] && [ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
	[[ "$stderr" == *"/nonexistent/prog: command not found"* ]]
}

@test "trace --table: after a call that changed them, the program's sockets with + and ~ marks" {
	run --separate-stderr "$SOCKLAB" trace --table -o "$T/trace" -- "$TRACEE" "$PORT"
	[ "$status" -eq 3 ]
	port=$(sed -n 's/^implicit port \([0-9]*\)$/\1/p' <<<"$output")
	tr=$(cat "$T/trace")
	# the holder's row right after its bind, with its flag as the kernel holds it
	grep -A3 "bind(fd [0-9]* udp, 127.0.0.1:$PORT)  → 0" <<<"$tr" |
		grep -Eq "^  \+ UDP  UNCONN     127\.0\.0\.1:$PORT .* tracee pid [0-9]+ fd [0-9]+ +reuseaddr" ||
		{ echo "$tr" >&2; false; }
	# the implicit bind's row appears after the sendto
	grep -Eq "^  \+ UDP  UNCONN     0\.0\.0\.0:$port " <<<"$tr" || { echo "$tr" >&2; false; }
}

# A python3 with Twisted (Debian's python3-twisted is /usr/bin/python3's).
twisted_python() {
	local p
	for p in /usr/bin/python3 python3; do
		"$p" -c 'import twisted' 2>/dev/null && { echo "$p"; return 0; }
	done
	return 1
}

@test "the story traced both ways: listenUDP's socket blocks the client; listenMultiple sets SO_REUSEADDR and SO_REUSEPORT" {
	py=$(twisted_python) || skip "no python3 with Twisted (sh tools/deps.sh test installs python3-twisted)"
	run --separate-stderr "$SOCKLAB" trace -o "$T/udp" -- "$py" tests/tools/story.py listenUDP "$PORT"
	[ "$status" -eq 0 ] || { show_output; false; }
	set -- $(sed -n 's/^client bind errno \([0-9]*\) \([0-9]*\)$/\1 \2/p' <<<"$output")
	[ "$1" = 98 ] || { show_output; false; }
	client=$2
	tr=$(cat "$T/udp")
	server=$(grep -m1 -o "bind(fd [0-9]* udp, 127.0.0.1:$PORT)  → 0" <<<"$tr" | sed 's/bind(fd \([0-9]*\).*/\1/')
	# listenUDP set no option before its bind; the client set SO_REUSEADDR
	! grep -q "setsockopt(fd $server udp" <<<"$tr" || { echo "$tr" >&2; false; }
	grep -q "setsockopt(fd $client udp, SO_REUSEADDR, 1)  → 0" <<<"$tr"
	grep -q "bind(fd $client udp, 127.0.0.1:$PORT)  → EADDRINUSE 98" <<<"$tr"
	# the diagnosis names the server's socket and what it lacks
	grep -Eq "blocked by pid [0-9]+ python3 fd $server on 127\.0\.0\.1:$PORT: SO_REUSEADDR 0, SO_REUSEPORT 0" <<<"$tr" ||
		{ echo "$tr" >&2; false; }

	run --separate-stderr "$SOCKLAB" trace -o "$T/multi" -- "$py" tests/tools/story.py listenMultiple "$PORT"
	[ "$status" -eq 0 ] || { show_output; false; }
	[[ "$output" == "client bind ok "* ]] || { show_output; false; }
	tr=$(cat "$T/multi")
	server=$(grep -m1 -o "bind(fd [0-9]* udp, 127.0.0.1:$PORT)  → 0" <<<"$tr" | sed 's/bind(fd \([0-9]*\).*/\1/')
	# the options Twisted sets, as calls, before the server's bind
	grep -q "setsockopt(fd $server udp, SO_REUSEADDR, 1)  → 0" <<<"$tr" || { echo "$tr" >&2; false; }
	grep -q "setsockopt(fd $server udp, SO_REUSEPORT, 1)  → 0" <<<"$tr"
	[ "$(grep -c "bind(fd [0-9]* udp, 127.0.0.1:$PORT)  → 0" <<<"$tr")" -eq 2 ]
}

@test "trace -p PID: a running program's calls from then on; ^C lets it go on untouched" {
	command -v python3 >/dev/null || skip "no python3 here"
	cat > "$T/slow.py" <<EOF
import socket, sys, time
time.sleep(1.5)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", $PORT))
print("bound", s.fileno(), flush=True)
time.sleep(3)
print("done", flush=True)
EOF
	python3 "$T/slow.py" > "$T/prog.out" &
	prog=$!
	sleep 0.3
	"$SOCKLAB" trace -p "$prog" > "$T/trace" 2>&1 &
	tracer=$!
	for _ in $(seq 50); do grep -q '^bound' "$T/prog.out" && break; sleep 0.1; done
	sleep 0.3
	fd=$(sed -n 's/^bound //p' "$T/prog.out")
	grep -q "setsockopt(fd $fd udp, SO_REUSEADDR, 1)  → 0" "$T/trace" || { cat "$T/trace" >&2; false; }
	grep -q "bind(fd $fd udp, 127.0.0.1:$PORT)  → 0" "$T/trace"
	# ^C to the tracer: it lets go; the program runs on to its end
	kill -INT "$tracer"
	wait "$tracer" || st=$?
	[ "${st:-0}" -eq 130 ]
	grep -q '^State:.*[RS]' "/proc/$prog/status"	# running or sleeping: not stopped, not traced
	grep -q '^TracerPid:[[:space:]]*0$' "/proc/$prog/status"
	wait "$prog"
	grep -q '^done' "$T/prog.out"
}

@test "trace -p: no such process, or -p with a command: one line, exit 2" {
	run --separate-stderr "$SOCKLAB" trace -p 4194000
	[ "$status" -eq 2 ] && [[ "$stderr" == *"cannot attach to 4194000: No such process"* ]] || { show_output; false; }
	run --separate-stderr "$SOCKLAB" trace -p 1 -- true
	[ "$status" -eq 2 ] && [[ "$stderr" == *"-p PID or a command, not both"* ]]
	run --separate-stderr "$SOCKLAB" trace -p nope
	[ "$status" -eq 2 ] && [ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
}

@test "trace --calls: only the calls asked for; an unknown name is one line, exit 2" {
	run --separate-stderr "$SOCKLAB" trace --calls bind,close -o "$T/trace" -- "$TRACEE" "$PORT"
	[ "$status" -eq 3 ]
	! grep -Eq 'socket\(|setsockopt|sendto' "$T/trace" || { cat "$T/trace" >&2; false; }
	grep -q "bind(fd [0-9]* udp, 127.0.0.1:$PORT)  → EADDRINUSE" "$T/trace"
	grep -q "close(fd" "$T/trace"
	run --separate-stderr "$SOCKLAB" trace --calls bnid -- true
	[ "$status" -eq 2 ] && [[ "$stderr" == *"--calls: 'bnid' is not"* ]]
}

@test "trace: a socket made before the trace (inherited over exec) is asked of the kernel, and diagnosed" {
	command -v python3 >/dev/null || skip "no python3 here"
	cat > "$T/inh.py" <<EOF
import os, socket
holder = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
holder.bind(("127.0.0.1", $PORT))
t = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for s in (holder, t):
    os.set_inheritable(s.fileno(), True)
os.execv("/bin/sh", ["sh", "-c", "exec python3 -c 'import socket; t = socket.socket(fileno=%d)\ntry:\n t.bind((\"127.0.0.1\", $PORT))\nexcept OSError as e:\n print(\"bind\", e.errno, t.fileno(), flush=True)'" % t.fileno()])
EOF
	run --separate-stderr "$SOCKLAB" trace --calls bind -o "$T/trace" -- python3 "$T/inh.py"
	[ "$status" -eq 0 ] || { show_output; false; }
	set -- $(sed -n 's/^bind \([0-9]*\) \([0-9]*\)$/\1 \2/p' <<<"$output")
	[ "$1" = 98 ] || { show_output; false; }
	# made before the exec: its kind and flags asked of the kernel, not guessed
	grep -q "bind(fd $2 udp, 127.0.0.1:$PORT)  → EADDRINUSE 98" "$T/trace" || { cat "$T/trace" >&2; false; }
	grep -q "this socket: SO_REUSEADDR 0, SO_REUSEPORT 0" "$T/trace"
	grep -q "blocked by pid [0-9]* python3 fd [0-9]* on 127.0.0.1:$PORT: SO_REUSEADDR 1" "$T/trace"
}

@test "trace: SIGTERM to socklab reaches the program; the trace ends with it" {
	command -v python3 >/dev/null || skip "no python3 here"
	"$SOCKLAB" trace -o "$T/trace" -- python3 -c 'import time; time.sleep(30)' &
	tracer=$!
	sleep 1
	kill -TERM "$tracer"
	st=0
	wait "$tracer" || st=$?
	[ "$st" -eq 143 ]	# the program's death by SIGTERM, passed through
}
