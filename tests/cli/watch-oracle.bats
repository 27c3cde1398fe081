#!/usr/bin/env bats
# socklab watch against the oracle, ss(8): in a fresh network namespace, a
# process socklab did not create (tests/tools/sockmix) holds a mix of
# sockets — UDP pairs sharing a port with SO_REUSEADDR, a SO_REUSEPORT
# group, TCP listen, established, TIME_WAIT, bound-only TCP, IPv6, dual
# stack — and watch must report exactly what ss reports, plus exactly the
# flags sockmix set on each socket.

load helpers

setup_file() {
	export BUILD_DIR="${SOCKLAB_BUILD:-build}"
	export OUT="$BATS_FILE_TMPDIR"
	local userns=""
	[ "$(id -u)" = 0 ] || userns="-r"
	# Everything below runs inside the new namespace: lo only.
	unshare $userns -n bash -c '
		set -e
		ip link set lo up
		mkfifo "$OUT/stdin"
		exec {IN}<>"$OUT/stdin"	# held open: sockmix waits on it
		"$BUILD_DIR/tests/tools/sockmix" 6000 <&$IN >"$OUT/mix.txt" &
		MIX=$!
		for _ in $(seq 100); do grep -q "^ready" "$OUT/mix.txt" && break; sleep 0.05; done
		echo $MIX >"$OUT/mix.pid"
		ss -tuanep >"$OUT/ss.txt"
		"$BUILD_DIR/socklab" watch --once --json --owners >"$OUT/watch.json"
		"$BUILD_DIR/socklab" watch --once --pid $MIX >"$OUT/watch-pid.txt"
		"$BUILD_DIR/socklab" watch --once --port 6001 --json >"$OUT/watch-port.json"
		"$BUILD_DIR/socklab" watch --once --state time-wait --json >"$OUT/watch-tw.json"
		kill $MIX; wait $MIX || true
	'
}

setup() {
	common_setup
	command -v jq >/dev/null || skip "jq not installed (make deps)"
}

# "proto state local peer inode" with every wildcard spelled "*"
norm_ss() {
	awk 'NR > 1 {
		ino = "0"
		for (i = 7; i <= NF; i++) if ($i ~ /^ino:/) ino = substr($i, 5)
		l = $5; p = $6
		gsub(/%[^:]*:/, ":", l); gsub(/%[^:]*:/, ":", p)
		sub(/^(0\.0\.0\.0|\[::\]):/, "*:", l); sub(/^(0\.0\.0\.0|\[::\]):/, "*:", p)
		gsub(/[][]/, "", l); gsub(/[][]/, "", p)
		print $1, $2, l, p, ino
	}' "$1" | sort
}

norm_watch() {
	jq -r '.sockets[] | select(.state != "BOUND")
		| def a(x): (if x.addr == "0.0.0.0" or x.addr == "::" then "*" else x.addr end)
			+ ":" + (if x.port == 0 then "*" else (x.port | tostring) end);
		"\(.proto) \(.state) \(a(.local)) \(a(.peer)) \(.inode)"' "$1" | sort
}

@test "watch --once --json lists exactly the sockets, states and addresses ss -tuanep lists" {
	norm_ss "$OUT/ss.txt" >"$OUT/a"
	norm_watch "$OUT/watch.json" >"$OUT/b"
	[ "$(wc -l <"$OUT/a")" -ge 11 ]		# the mix is really there
	diff -u "$OUT/a" "$OUT/b"
}

@test "the TIME-WAIT socket is there with its timer counting down from 60 s" {
	run jq -r '.sockets[] | select(.state == "TIME-WAIT") | "\(.timer.name) \(.timer.expires_ms)"' "$OUT/watch.json"
	[ "${#lines[@]}" -eq 1 ]
	[[ "${lines[0]}" == timewait* ]]
	ms=${lines[0]#timewait }
	[ "$ms" -gt 0 ]
	[ "$ms" -le 60000 ]
}

@test "the bound-only TCP socket (ss -B) is reported as BOUND" {
	ino=$(awk '$3 == "BOUND" { print $1 }' "$OUT/mix.txt")
	[ -n "$ino" ]
	run jq -r --argjson i "$ino" '.sockets[] | select(.inode == $i) | "\(.state) \(.local.port)"' "$OUT/watch.json"
	[ "$output" = "BOUND 6004" ]
}

@test "each socket shows exactly the reuse flags sockmix set on it" {
	n=0
	while read -r ino proto state ra rp bc; do
		[ "$ino" = ready ] && continue
		want="$([ "$ra" = 1 ] && echo true || echo false) $([ "$rp" = 1 ] && echo true || echo false) $([ "$bc" = 1 ] && echo true || echo false)"
		got=$(jq -r --argjson i "$ino" '.sockets[] | select(.inode == $i) | .flags | "\(.reuseaddr) \(.reuseport) \(.broadcast)"' "$OUT/watch.json")
		[ "$got" = "$want" ] || { echo "inode $ino ($proto $state): want '$want', got '$got'" >&2; false; }
		n=$((n + 1))
	done <"$OUT/mix.txt"
	[ "$n" -eq 12 ]
}

@test "owners: every sockmix socket names its pid and command" {
	pid=$(cat "$OUT/mix.pid")
	run jq -r --argjson p "$pid" '[.sockets[] | select(.owner.pid == $p and .owner.comm == "sockmix")] | length' "$OUT/watch.json"
	[ "$output" -eq 12 ]
}

@test "v6only comes from sock_diag: the [::]:6007 UDP socket is v6only, the dual-stack listener is not" {
	run jq -r '.sockets[] | select(.local.port == 6007 or .local.port == 6006) | "\(.local.port) \(.v6only)"' "$OUT/watch.json"
	[[ "$output" == *"6006 false"* ]]
	[[ "$output" == *"6007 true"* ]]
}

@test "watch --pid shows that process's sockets with command and flags, and nothing else" {
	pid=$(cat "$OUT/mix.pid")
	run grep -c "sockmix pid $pid" "$OUT/watch-pid.txt"
	[ "$output" -eq 12 ]
	grep -q "127.0.0.1:6000 .*reuseaddr" "$OUT/watch-pid.txt"
	grep -q "127.0.0.1:6001 .*reuseport" "$OUT/watch-pid.txt"
	grep -q "127.0.0.1:6002 .*broadcast" "$OUT/watch-pid.txt"
	! grep -q "TIME-WAIT" "$OUT/watch-pid.txt" || false	# no owner: not this pid's
}

@test "watch --port filters in the kernel: only the SO_REUSEPORT pair on 6001" {
	run jq -r '.sockets[] | "\(.proto) \(.local.port)"' "$OUT/watch-port.json"
	[ "${#lines[@]}" -eq 2 ]
	[ "${lines[0]}" = "udp 6001" ]
	[ "${lines[1]}" = "udp 6001" ]
}

@test "watch --state time-wait shows only the TIME-WAIT socket" {
	run jq -r '.sockets[] | .state' "$OUT/watch-tw.json"
	[ "$output" = "TIME-WAIT" ]
}

# ---- flags the owner's descriptor cannot give: TIME_WAIT, other users ----
# As root, BPF socket iterators read every socket's SO_REUSEADDR and
# SO_REUSEPORT (docs/inspect.md).  The expected values are what the kernel
# said of each socket: twleft prints the accepted connection's flags (the
# TIME_WAIT keeps them), sockmix the flags it set.

# in a fresh namespace as root: TIME_WAITs (twleft 6300), and sockmix as
# uid 65534 (6200); watch with each reader, and as nobody
oracle_root_setup() {
	[ "$(id -u)" = 0 ] || skip "reading every socket's flags needs root"
	command -v setpriv >/dev/null || skip "setpriv not installed"
	T="$BATS_TEST_TMPDIR"
	BUILD="$BUILD" T="$T" unshare -n bash -c '
		set -e
		ip link set lo up
		"$BUILD/tests/tools/twleft" 6300 >"$T/tw.txt"
		mkfifo "$T/stdin"
		exec {IN}<>"$T/stdin"
		setpriv --reuid 65534 --regid 65534 --clear-groups \
			"$BUILD/tests/tools/sockmix" 6200 <&$IN >"$T/mix.txt" &
		MIX=$!
		for _ in $(seq 100); do grep -q "^ready" "$T/mix.txt" && break; sleep 0.05; done
		SOCKLAB_DEBUG=1 "$BUILD/socklab" watch --once --json --owners >"$T/auto.json" 2>"$T/auto.err"
		SOCKLAB_FLAGS_READER=bpf "$BUILD/socklab" watch --once --json --owners >"$T/bpf.json"
		SOCKLAB_FLAGS_READER=pidfd "$BUILD/socklab" watch --once --json --owners >"$T/pidfd.json"
		SOCKLAB_DEBUG=1 setpriv --reuid 65534 --regid 65534 --clear-groups \
			"$BUILD/socklab" watch --once --json --owners >"$T/nobody.json" 2>"$T/nobody.err"
		kill $MIX; wait $MIX || true
	'
}

# "reuseaddr reuseport broadcast" of the TIME-WAIT row on PORT in FILE
tw_flags() {
	jq -r --argjson p "$2" '.sockets[] | select(.state == "TIME-WAIT" and .local.port == $p)
		| .flags | "\(.reuseaddr) \(.reuseport) \(.broadcast)"' "$1"
}

tf() { [ "$1" = 1 ] && echo true || echo false; }

@test "as root, watch --json shows the reuse flags of TIME-WAIT rows, as the kernel copied them" {
	skip_unless_bpf_built "TIME-WAIT flags are read by BPF alone"
	oracle_root_setup
	[ "$(wc -l <"$T/tw.txt")" -eq 3 ]
	while read -r port ra rp; do
		got=$(tw_flags "$T/auto.json" "$port")
		[ "$got" = "$(tf "$ra") $(tf "$rp") null" ] || { echo "auto :$port: '$got', kernel: $ra $rp" >&2; false; }
		got=$(tw_flags "$T/bpf.json" "$port")
		[ "$got" = "$(tf "$ra") $(tf "$rp") null" ] || { echo "bpf :$port: '$got'" >&2; false; }
	done <"$T/tw.txt"
	# the listener with SO_REUSEADDR and the one without
	[ "$(tw_flags "$T/auto.json" 6300)" = "true false null" ]
	[ "$(tw_flags "$T/auto.json" 6301)" = "false false null" ]
	[ ! -s "$T/auto.err" ]	# BPF loaded: SOCKLAB_DEBUG had nothing to say
}

@test "with SOCKLAB_FLAGS_READER=pidfd, or as a normal user, TIME-WAIT flags are unknown (null)" {
	oracle_root_setup
	for f in pidfd nobody; do
		for port in 6300 6301 6302; do
			got=$(tw_flags "$T/$f.json" "$port")
			[ "$got" = "null null null" ] || { echo "$f :$port: '$got'" >&2; false; }
		done
	done
	# not root: no BPF attempt, so nothing to say even under SOCKLAB_DEBUG
	[ ! -s "$T/nobody.err" ] || { cat "$T/nobody.err" >&2; false; }
}

@test "as root, BPF alone reads another user's sockets: uid 65534's flags as it set them" {
	skip_unless_bpf_built "another user's flags, as root, are read by BPF alone"
	oracle_root_setup
	n=0
	while read -r ino proto state ra rp bc; do
		[ "$ino" = ready ] && continue
		want="65534 $(tf "$ra") $(tf "$rp") $(tf "$bc")"
		for f in bpf auto; do
			w=$want
			# bound-only TCP sockets are in no table the TCP iterator walks
			# (only in the bind hash): BPF cannot see them, pidfd can
			[ "$f" = bpf ] && [ "$state" = BOUND ] && w="65534 null null null"
			got=$(jq -r --argjson i "$ino" '.sockets[] | select(.inode == $i)
				| "\(.uid) \(.flags.reuseaddr) \(.flags.reuseport) \(.flags.broadcast)"' "$T/$f.json")
			[ "$got" = "$w" ] || { echo "$f: inode $ino ($proto $state): want '$w', got '$got'" >&2; false; }
		done
		n=$((n + 1))
	done <"$T/mix.txt"
	[ "$n" -eq 12 ]
	# sockmix's own TIME_WAIT (its client closed first, no flags set)
	run jq -r '[.sockets[] | select(.state == "TIME-WAIT" and .local.port != 6300
		and .local.port != 6301 and .local.port != 6302) | .flags.reuseaddr] | map(tostring) | join(",")' "$T/bpf.json"
	[ "$output" = "false" ] || { show_output; false; }
}

@test "the lab's sandbox is read there: as root, run 14's TIME-WAIT rows show their flags" {
	[ "$(id -u)" = 0 ] || skip "reading TIME-WAIT flags needs root"
	skip_unless_bpf_built "a TIME-WAIT row's own flags are read by BPF alone"
	run "$SOCKLAB" run 14
	[ "$status" -eq 0 ] || { show_output; false; }
	# read from the TIME_WAIT socket itself: not "inherited"
	step_block 7 | grep -Eq 'TIME-WAIT +127\.0\.0\.1:5001 .* reuseaddr,broadcast\? ' || { show_output; false; }
	t=$(step_block 4 | grep -E 'TIME-WAIT +127\.0\.0\.1:5000 ')
	[[ -n "$t" && "$t" != *reuseaddr* && "$t" != *inherited* ]] || { show_output; false; }
	# without BPF only the ESTAB row's flags, carried over, are known
	run env SOCKLAB_FLAGS_READER=pidfd "$SOCKLAB" run 14
	step_block 7 | grep -Eq 'TIME-WAIT +127\.0\.0\.1:5001 .* reuseaddr,broadcast\?,inherited' || { show_output; false; }
}

@test "as a normal user, run 14's TIME-WAIT rows show the ESTAB row's flags, marked inherited" {
	[ "$(id -u)" = 0 ] || skip "needs root to become uid 65534 (setpriv)"
	command -v setpriv >/dev/null || skip "setpriv not installed"
	# the oracle: root reads the TIME_WAIT sockets themselves (BPF)
	skip_unless_bpf_built "the oracle is root's BPF read of the TIME_WAIT sockets"
	run "$SOCKLAB" run 14
	[ "$status" -eq 0 ] || { show_output; false; }
	root7=$(step_block 7 | grep -E 'TIME-WAIT +127\.0\.0\.1:5001 ')
	[[ "$root7" == *reuseaddr* && "$root7" != *inherited* ]] || { show_output; false; }
	run setpriv --reuid 65534 --regid 65534 --clear-groups "$SOCKLAB" run 14
	[ "$status" -eq 0 ] || skip "no unprivileged sandbox here: $output"
	# the ESTAB row a step before was read through the owner; its TIME_WAIT
	# carries that over and says so
	step_block 6 | grep -Eq 'ESTAB +127\.0\.0\.1:5001 .* reuseaddr' || { show_output; false; }
	step_block 7 | grep -Eq 'TIME-WAIT +127\.0\.0\.1:5001 .* reuseaddr,broadcast\?,inherited' || { show_output; false; }
	step_block 8 | grep -Eq 'TIME-WAIT +127\.0\.0\.1:5001 .* reuseaddr,broadcast\?,inherited' || { show_output; false; }
	t=$(step_block 3 | grep -E 'TIME-WAIT +127\.0\.0\.1:5000 ')
	[[ "$t" == *inherited* && "$t" != *reuseaddr* ]] || { show_output; false; }
}
