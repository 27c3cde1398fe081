#!/usr/bin/env bats
# pylabs.bats — the Python labs (labs/py, src/runner/pylabs.h): labs like
# the C ones for list, run, check and dash.  Their expectations are held
# to the kernel by the same consumer; their lines to the C protocol.

load helpers

setup() {
	common_setup
	T="$BATS_TEST_TMPDIR"
	python_setup
	twisted=$("$PY" -c 'import twisted' 2>/dev/null && echo yes || echo no)
}

# "N/M expectations met" of lab $1 in check's output $2
count() {
	sed -n "s/^✔ [0-9]* $1  *\([0-9]*\)\/\([0-9]*\) expectations met.*/\1 \2/p" <<<"$2"
}

@test "check: every Python lab passes, with its C twin's expectation count where the steps are the same" {
	run --separate-stderr "$SOCKLAB" check 02py 04py 05py 06py 07py 07tw 04 05 06 07
	if [ "$twisted" = no ]; then
		[ "$status" -eq 0 ] || { show_output; false; }
		[[ "$output" == *"the-story-tw"*"skip"* || "$output" == *"the-story-tw"*"SKIP"* ]] ||
			[[ "$output" == *"Twisted is not installed"* ]]
	else
		[ "$status" -eq 0 ] || { show_output; false; }
		[ "$(count the-story-tw "$output")" = "23 23" ] || { show_output; false; }
	fi
	for twin in addr-in-use reuse-one-side reuse-both-sides the-story; do
		c=$(count "$twin" "$output")
		py=$(count "$twin-py" "$output")
		[ -n "$c" ] && [ "$c" = "$py" ] || { echo "$twin: C $c, Python $py" >&2; show_output; false; }
	done
	# lab 02's fourth step (connect AF_UNSPEC) has no socket-module form: 12 of C's 18
	[ "$(count implicit-bind-py "$output")" = "12 12" ]
}

@test "list: each Python lab beside its C twin, with the slug and summary its script announces" {
	run "$SOCKLAB" list
	[ "$status" -eq 0 ]
	for f in "$REPO_ROOT"/labs/py/[0-9][0-9]*.py; do
		want=$("$PY" - "$f" <<'PYEOF'
import ast, sys
tree = ast.parse(open(sys.argv[1]).read())
for node in ast.walk(tree):
    if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "lab":
        a = [ast.literal_eval(x) for x in node.args]
        print("%02d  %-22s %s" % (a[0], a[1], a[3]))
PYEOF
)
		[ -n "$want" ] && grep -qxF "$want" <<<"$output" || { echo "not listed: $want" >&2; false; }
	done
	grep -q '^07  the-story-tw ' <<<"$output"
	# the names a user types
	run "$SOCKLAB" run 07py --markdown
	[ "$status" -eq 0 ] || { show_output; false; }
	[[ "$output" == *"The story in Python"* ]]
}

@test "a Python lab's lines are the C protocol's: parsed and encoded again, byte for byte" {
	run "$SOCKLAB" run 07py --markdown	# the sandbox works here, or this skips
	[ "$status" -ne 2 ] || skip "no sandbox here: $output"
	# and one with strings past the C runtime's buffers, in UTF-8
	cat > "$T/long.py" <<'PYEOF'
from socklab_lab import end, lab, note, step
lab(94, "long-py", "Long lines", "a note past its 1024 bytes, in UTF-8")
step("déjà vu → ok " * 40, "naïve = 100% " * 80)
note("é" * 3000 + " = % " * 50)
end()
PYEOF
	for src in "$REPO_ROOT/labs/py/04py-addr-in-use.py" "$REPO_ROOT/labs/py/07py-the-story.py" "$T/long.py"; do
		lab=$(basename "$src" .py)
		if [ "$(id -u)" = 0 ]; then ns="unshare -n"; else ns="unshare -rn"; fi
		$ns sh -c "ip link set lo up 2>/dev/null; cd '$T'; PYTHONPATH='$REPO_ROOT/labs/py' SOCKLAB_CONTROL_FD=1 '$PY' '$src'" \
			</dev/null > "$T/$lab.proto" || { cat "$T/$lab.proto" >&2; false; }
		grep -q '^end pass=[0-9]* fail=0 errors=0' "$T/$lab.proto" || { cat "$T/$lab.proto" >&2; false; }
		"$BUILD/tests/tools/protocat" < "$T/$lab.proto" > "$T/$lab.back"
		diff "$T/$lab.proto" "$T/$lab.back"
		# and through the fuzzed parser's harness (every line round-trips)
		"$BUILD/tests/fuzz/fuzz_proto" "$T/$lab.proto"
	done
}

@test "a wrong Python lab fails: an expectation the kernel does not meet, and a crash at its line" {
	cat > "$T/wrong.py" <<'PYEOF'
import errno, socket
from socklab_lab import LAB_PORT, end, expect_err, expect_ok, lab, step
lab(90, "wrong-py", "A wrong lab", "expects success where the kernel says EADDRINUSE")
a = expect_ok(lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
b = expect_ok(lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
step("both bind one port", "the lab's author believes they may")
expect_ok(lambda: a.bind(("127.0.0.1", LAB_PORT)))
expect_ok(lambda: b.bind(("127.0.0.1", LAB_PORT)))
end()
PYEOF
	run --separate-stderr "$SOCKLAB" check "$T/wrong.py"
	[ "$status" -eq 1 ] || { show_output; false; }
	[[ "$output" == *"3/4 expectations met"* ]] || { show_output; false; }
	cat > "$T/crash.py" <<'PYEOF'
import socket
from socklab_lab import end, expect_ok, lab, step
lab(91, "crash-py", "A lab that crashes", "a bug that is not the kernel's answer")
step("a typo", "TypeError, not an OSError")
s = expect_ok(lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
s.bind("127.0.0.1")
end()
PYEOF
	run --separate-stderr "$SOCKLAB" run "$T/crash.py"
	[ "$status" -ne 0 ]
	# the error at the line that raised it, highlighted in the lab's source
	[[ "$output" == *'6 │ s.bind("127.0.0.1")'*"lab error: TypeError: bind(): AF_INET address must be tuple"* ]] ||
		{ show_output; false; }
}

@test "a Python lab alone narrates in its own namespace, and exits 1 when an expectation fails" {
	cd "$T"
	run "$PY" "$REPO_ROOT/labs/py/04py-addr-in-use.py"
	if [[ "$output" == *"cannot make a sandbox"* ]]; then skip "no sandbox here"; fi
	[ "$status" -eq 0 ] || { show_output; false; }
	[[ "$output" == *"Lab 04py: Address already in use, in Python"* ]]
	[[ "$output" == *"second.bind(addr) = -1 EADDRINUSE 98"* ]]
	[[ "$output" == *"4 of 4 expectations met."* ]]
}

@test "07tw without Twisted: the lab skips and says how to get it; check does not fail" {
	# a python3 whose "twisted" cannot be imported, whatever is installed
	mkdir -p "$T/fake/twisted"
	echo 'raise ImportError("No module named twisted (hidden by the test)")' > "$T/fake/twisted/__init__.py"
	cat > "$T/py" <<EOF
#!/bin/sh
PYTHONPATH="$T/fake:\${PYTHONPATH:-}" exec "$PY" "\$@"
EOF
	chmod +x "$T/py"
	run --separate-stderr env SOCKLAB_PYTHON="$T/py" "$SOCKLAB" check 07tw
	[ "$status" -eq 0 ] || { show_output; echo "$stderr"; false; }
	[[ "$output" == *"the-story-tw"*"skip"* ]] || { show_output; false; }
	run env SOCKLAB_PYTHON="$T/py" "$SOCKLAB" run 07tw
	[[ "$output" == *"Twisted is not installed here"*"apt-get install python3-twisted"* ]] ||
		{ show_output; false; }
}

@test "a Python lab's role that crashes stops the lab: no later block runs, the error at the lab's own line" {
	cat > "$T/rolecrash.py" <<'PYEOF'
import socket
from socklab_lab import end, expect_ok, lab, role, step
lab(92, "crash-role-py", "A role that crashes", "b must not run after a's crash")
for _ in role("a"):
    step("a crashes", "a bug inside the standard library's call")
    socket.create_connection(("127.0.0.1", 1), timeout="x")
for _ in role("b"):
    step("b must never run", "a crashed")
    expect_ok(lambda: socket.socket())
end()
PYEOF
	for _ in 1 2 3; do	# the same every time
		run --separate-stderr "$SOCKLAB" run "$T/rolecrash.py"
		[ "$status" -ne 0 ]
		[[ "$output" == *'6 │     socket.create_connection'*"lab error: TypeError"* ]] ||
			{ show_output; false; }
		[[ "$output" != *"b must never run"* ]] || { show_output; false; }
	done
}

@test "a Python lab that forgets end() is told so, and fails" {
	cat > "$T/noend.py" <<'PYEOF'
import socket
from socklab_lab import expect_ok, lab, step
lab(93, "no-end-py", "A lab without end()", "its last line is missing")
step("a socket", "nothing to see")
expect_ok(lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
PYEOF
	run --separate-stderr "$SOCKLAB" check "$T/noend.py"
	[ "$status" -eq 1 ] || { show_output; false; }
	run --separate-stderr "$SOCKLAB" run "$T/noend.py"
	[[ "$output" == *"the lab ended without end()"* ]] || { show_output; false; }
}

@test "claim() in a Python lab: proven by its step's expectations, named when no process reached it" {
	run "$SOCKLAB" check 04py 06py
	[[ "$output" == *"addr-in-use-py        4/4 expectations met, 1/1 claims proven"* ]] || { show_output; false; }
	[[ "$output" == *"reuse-both-sides-py   22/22 expectations met, 3/3 claims proven"* ]]
	cat > "$T/unreached.py" <<'PYEOF'
import socket
from socklab_lab import claim, end, expect_ok, lab, step
lab(95, "unreached-py", "An unreached claim", "a branch not taken")
step("a socket", "nothing")
expect_ok(lambda: socket.socket())
if False:
    claim("addr-in-use")
end()
PYEOF
	run "$SOCKLAB" check "$T/unreached.py"
	[ "$status" -eq 1 ]
	[[ "$output" == *"claim addr-in-use (line 7, not reached)"* ]] || { show_output; false; }
}

@test "no python3 here: check skips the Python labs and says why; the C labs run" {
	run --separate-stderr env SOCKLAB_PYTHON=/nonexistent/python3 "$SOCKLAB" check 4 04py
	[ "$status" -eq 0 ] || { show_output; echo "$stderr"; false; }
	[[ "$output" == *"04 addr-in-use           4/4 expectations met"* ]] || { show_output; false; }
	[[ "$output" == *"04 addr-in-use-py        skipped: no /nonexistent/python3 here"* ]] || { show_output; false; }
	run env SOCKLAB_PYTHON=/nonexistent/python3 "$SOCKLAB" check --tap 04py
	[ "$status" -eq 0 ]
	[[ "$output" == *"ok 1 - 04 addr-in-use-py # SKIP no /nonexistent/python3 here"* ]] || { show_output; false; }
}
