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
