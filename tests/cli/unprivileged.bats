#!/usr/bin/env bats
# unprivileged.bats — the labs as a normal user (uid 65534 when the suite
# runs as root, else the user who runs it): socklab makes its sandbox
# in an unprivileged user namespace; a lab that needs what such a sandbox
# cannot give (a second user id) says so with a TAP "# SKIP" and a reason,
# and every other expectation passes.

load helpers

# What these tests run, they run as a normal user: uid 65534 when the suite runs as
# root, else the user running it (tests/as-user.sh).
UNPRIV=""
[ "$(id -u)" != 0 ] || UNPRIV="setpriv --reuid=65534 --regid=65534 --clear-groups"
unpriv() {
	$UNPRIV "$@"
}

setup() {
	common_setup
	if [ -n "$UNPRIV" ]; then
		command -v setpriv >/dev/null || skip "setpriv not installed (needed as root to become uid 65534)"
		# the build must be reachable by that user
		unpriv test -x "$SOCKLAB" || skip "$SOCKLAB is not executable by uid 65534"
	fi
	# can an unprivileged user make a user namespace here at all?
	unpriv unshare -Ur true 2>/dev/null ||
		skip "unprivileged user namespaces are disabled on this machine"
}

@test "as a normal user every lab passes or skips with a reason; none fails" {
	run --separate-stderr unpriv "$SOCKLAB" check --tap
	[ "$status" -eq 0 ] || { show_output; false; }
	! grep -q '^not ok' <<< "$output" || false
	# every skip carries a reason
	while IFS= read -r line; do
		[[ "$line" =~ \#\ SKIP\ .{10,} ]] || { echo "skip without a reason: $line" >&2; false; }
	done < <(grep '# SKIP' <<< "$output" || true)
	plan=$(grep -E '^1\.\.[0-9]+$' <<< "$output" | cut -d. -f3)
	[ "$plan" -gt 0 ]
}

@test "as a normal user the grader builds its sandbox and uplink: every solution passes, a starter fails" {
	command -v cc >/dev/null || skip "no C compiler"
	dir=$(mktemp -d)
	cp -r exercises/. "$dir/"
	chmod -R a+rX "$dir"
	for sol in "$dir"/solutions/0*.c; do
		n=$(basename "$sol" | cut -c1-2)
		run unpriv "$SOCKLAB" exercise check "$n" "$sol" --tap
		[ "$status" -eq 0 ] || { echo "exercise $n"; show_output; rm -rf "$dir"; false; }
		[[ "$output" != *"# SKIP"* ]] || { show_output; rm -rf "$dir"; false; }
	done
	run unpriv "$SOCKLAB" exercise check 6 "$dir/06-tcp-restart/starter.c"
	rm -rf "$dir"
	[ "$status" -eq 1 ] || { show_output; false; }
	[[ "$output" == *"✘ the second run listens on 7100 at once"* ]]
}

@test "as a normal user the other commands work too: list, explain, why, watch, matrix, run, dash" {
	as_user() { unpriv "$SOCKLAB" "$@"; }
	run as_user list
	[ "$status" -eq 0 ] && [[ "$output" == *"18  ephemeral-exhaustion"* ]] || { show_output; false; }
	run as_user explain 10013
	[ "$status" -eq 0 ] || { show_output; false; }
	run as_user why 127.0.0.1:5999
	[ "$status" -eq 0 ] || { show_output; false; }
	run as_user watch --once
	[ "$status" -eq 0 ] || { show_output; false; }
	run as_user matrix --udp
	[ "$status" -eq 0 ] || { show_output; false; }
	[[ "${lines[-1]}" == *"cells, 0 disagreements"* ]]
	run as_user run 7
	[ "$status" -eq 0 ] || { show_output; false; }
	[[ "${lines[-1]}" == *"27 of 27 expectations met"* ]]
	if command -v tmux >/dev/null; then
		sock="socklab-unpriv-$$"
		tmux -L "$sock" -f /dev/null new-session -d -x 100 -y 30 \
			"$UNPRIV env LANG=C.UTF-8 $SOCKLAB dash 4" 3>&-
		sleep 1
		tmux -L "$sock" send-keys ' ' 3>&-
		tmux -L "$sock" send-keys ' ' 3>&-
		sleep 1
		screen=$(tmux -L "$sock" capture-pane -p 3>&-)
		tmux -L "$sock" send-keys q 3>&-
		sleep 0.3
		tmux -L "$sock" kill-server 3>&- 2>/dev/null || true
		[[ "$screen" == *"EADDRINUSE"* ]] || { echo "$screen"; false; }
	fi
}

@test "as a normal user check --host runs lab 17 and skips the service's privileged bind, saying why" {
	base=$(free_port_bases 1)
	[ -n "$base" ] || skip "no free range of 100 ports for the --host run"
	run --separate-stderr unpriv "$SOCKLAB" check --host --port-base "$base" --tap 17
	[ "$status" -eq 0 ] || { show_output; false; }
	! grep -q '^not ok' <<< "$output" || { show_output; false; }
	# the user's own binds still ran: EACCES below the start, and IP_FREEBIND
	grep -Eq '^ok [0-9]+ - 17 privileged-and-foreign: step 3 line [0-9]+: bind\(sock, .*&low.*= -1 EACCES 13' <<< "$output" || { show_output; false; }
	grep -Eq '^ok [0-9]+ - 17 privileged-and-foreign: claim foreign-addr \(step 6\)$' <<< "$output" || { show_output; false; }
	grep -Eq '^ok [0-9]+ - 17 privileged-and-foreign: step 4 line [0-9]+ # SKIP the service, uid [0-9]+, has no CAP_NET_BIND_SERVICE for port [0-9]+ of the host.s stack' <<< "$output" || { show_output; false; }
}
