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

# which kernel the model describes, and its UDP walk: measured by three
# loopback binds (src/doctor/udpwalk.c); rules.bats holds the model with
# that walk against the kernel on 2,000 scenarios
@test "why names the kernel it modelled and how a UDP bind walks the port here" {
	command -v jq >/dev/null || skip "jq not installed"
	# sockmix's two SO_REUSEADDR sockets on 6400: the walk can matter
	run in_netns "$SOCKLAB" why 127.0.0.1:6400 --reuseport
	[[ "$output" == *"  kernel: Linux $(uname -r); a UDP bind here "@(asks every socket|stops at the first)* ]] ||
		{ show_output; false; }
	# a free port, or TCP: the release alone
	run in_netns "$SOCKLAB" why 127.0.0.1:6499
	[ "$status" -eq 0 ] || { show_output; false; }
	[ "${lines[-1]}" = "  kernel: Linux $(uname -r)" ] || { show_output; false; }
	run in_netns "$SOCKLAB" why 127.0.0.1:6499 --tcp
	[ "${lines[-1]}" = "  kernel: Linux $(uname -r)" ] || { show_output; false; }
	run in_netns "$SOCKLAB" why 127.0.0.1:6499 --json
	[ "$(jq -r .linux <<< "$output")" = "$(uname -r)" ]
	[[ "$(jq -r .udp_walk <<< "$output")" == @(every|first-partner) ]]
	run in_netns "$SOCKLAB" why 127.0.0.1:6499 --json --tcp
	[ "$(jq -r .udp_walk <<< "$output")" = null ]
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

# tw_cases AS: in a network namespace of its own, for each listener on
# 127.0.0.1, 0.0.0.0 or [::] with no flag, SO_REUSEADDR, SO_REUSEPORT or
# both, leave a TIME_WAIT connection on two fresh ports (tests/tools/
# timewait: the server closes first), and for each candidate (the same
# address, each set of flags, bind or bind+listen) run, as AS (root or
# nobody), `why --try --json` on one port and a plain bind() on the other.
# One line per case:
#   CASE LADDR LFLAGS CFLAGS MODE known|unknown PREDICTED KERNEL VERDICT
# VERDICT is ok, or BAD and the reasons:
#   - why's --try and the plain bind must agree (the kernel is the oracle);
#   - a prediction it states (not "unknown") must be what the kernel did;
#   - "unknown" only where the TIME_WAIT's flags are unknown, then with
#     both outcomes, and the one for the listener's real flags must be what
#     the kernel did; --try must not call it contradicted; exit status 0
#     exactly when the kernel bound it.
tw_cases() {
	unshare -n bash -s "$BUILD/tests/tools/timewait" "$SOCKLAB" "$1" <<'EOF'
T=$1 S=$2 AS=$3
ip link set lo up
as() { if [ "$AS" = nobody ]; then setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; else "$@"; fi; }
p=30000
for la in 127.0.0.1 0.0.0.0 ::; do
	spec=$la; [ "$la" = :: ] && spec="[::]"
	for lf in - ra rp ra+rp; do
		for cf in - ra rp ra+rp; do
			for mode in bind listen; do
				p=$((p + 2)); q=$((p + 1))
				if ! "$T" make "$la" $p "$lf" >/dev/null || ! "$T" make "$la" $q "$lf" >/dev/null; then
					echo "CASE $la $lf $cf $mode - - - BAD no TIME_WAIT"; continue
				fi
				args=("$spec:$p" --tcp)
				[[ $cf == *ra* ]] && args+=(--reuseaddr)
				[[ $cf == *rp* ]] && args+=(--reuseport)
				[ $mode = listen ] && args+=(--listen)
				# without flags the TIME_WAIT always blocks: it shows its flags
				probe=$(as "$S" why "$spec:$p" --tcp --json | jq -r '.blockers[0].reuseaddr')
				known=known; [ "$probe" = null ] && known=unknown
				kernel=$(as "$T" bind "$la" $q "$cf" ${mode/bind/})
				json=$(as "$S" why "${args[@]}" --try --json); st=$?
				pred=$(jq -r .predicted <<<"$json")
				tried=$(jq -r .tried <<<"$json")
				held=$(jq -r .held <<<"$json")
				mine=$(jq -r --arg lf "$lf" '[.outcomes[] | select(.assignments | index($lf)) | .predicted] | join(",")' <<<"$json")
				n=$(jq -r '[.outcomes[].predicted] | unique | length' <<<"$json")
				bad=""
				[ "$tried" = "$kernel" ] || bad="--try said $tried, a plain bind $kernel"
				[ "$held" = true ] || bad="$bad; --try says contradicted"
				[ $(( st == 0 )) = $(( ${#kernel} == 2 )) ] || bad="$bad; exit $st"
				if [ "$pred" = unknown ]; then
					[ $known = unknown ] || bad="$bad; unknown although the flags are known"
					[ "$n" -ge 2 ] || bad="$bad; unknown with one outcome"
					[ "$mine" = "$kernel" ] || bad="$bad; the outcome for $lf is '$mine'"
				else
					[ "$pred" = "$kernel" ] || bad="$bad; predicted $pred"
				fi
				echo "CASE $la $lf $cf $mode $known $pred $kernel ${bad:-ok}"
			done
		done
	done
done
EOF
}

@test "why --try on TIME_WAIT ports left by listeners (every flag): unknown where it cannot read them, with both outcomes, the right one for the real flags" {
	[ "$(id -u)" = 0 ] || skip "needs root for a plain network namespace and a second uid"
	command -v jq >/dev/null || skip "jq not installed"
	run tw_cases nobody
	[ "$status" -eq 0 ] || { show_output; false; }
	[ "$(grep -c '^CASE ' <<<"$output")" -eq 96 ] || { show_output; false; }
	if grep -q '^CASE .* known ' <<<"$output"; then
		skip "the inspector reads TIME_WAIT flags even as uid 65534 here"
	fi
	! grep '^CASE .* BAD' <<<"$output" || { show_output; false; }
	# both kinds: answers the flags do not change, and unknowns
	[ "$(grep -c '^CASE .* unknown unknown ' <<<"$output")" -ge 30 ] || { show_output; false; }
	[ "$(grep -c '^CASE .* unknown EADDRINUSE EADDRINUSE ok' <<<"$output")" -ge 20 ] || { show_output; false; }
}

@test "why --try on TIME_WAIT ports left by listeners (every flag), flags known: every prediction is the kernel's" {
	[ "$(id -u)" = 0 ] || skip "needs root for a plain network namespace and to read TIME_WAIT flags (BPF)"
	command -v jq >/dev/null || skip "jq not installed"
	skip_unless_bpf_built "TIME_WAIT flags are known only through the BPF reader"
	run tw_cases root
	[ "$status" -eq 0 ] || { show_output; false; }
	[ "$(grep -c '^CASE ' <<<"$output")" -eq 96 ] || { show_output; false; }
	if grep -q '^CASE .* unknown ' <<<"$output"; then
		skip "the inspector cannot read TIME_WAIT flags here (needs root and the BPF reader)"
	fi
	! grep '^CASE .* BAD' <<<"$output" || { show_output; false; }
	! grep '^CASE .* known unknown ' <<<"$output" || { show_output; false; }
}

@test "why on a TIME_WAIT port, in words: UNKNOWN, the outcome for each flag, lab 14's fix, and --try names the outcome" {
	[ "$(id -u)" = 0 ] || skip "needs root for a plain network namespace"
	run unshare -n bash -c '
		ip link set lo up
		"$1" make 127.0.0.1 6600 ra >/dev/null || exit 9
		"$1" make 127.0.0.1 6601 - >/dev/null || exit 9
		setpriv --reuid=65534 --regid=65534 --clear-groups "$2" why --tcp 127.0.0.1:6600 --reuseaddr --listen --try
		echo "status $?"
		setpriv --reuid=65534 --regid=65534 --clear-groups "$2" why --tcp 127.0.0.1:6601
		echo "status $?"
	' bash "$BUILD/tests/tools/timewait" "$SOCKLAB"
	[ "$status" -eq 0 ] || { show_output; false; }
	if [[ "$output" == *"flags reuseaddr"* ]]; then
		skip "the inspector reads TIME_WAIT flags as uid 65534 here"
	fi
	# the listener had SO_REUSEADDR: unknown to why, and both outcomes given
	[[ "${lines[0]}" == "bind(tcp 127.0.0.1:6600 SO_REUSEADDR +listen as uid 65534): UNKNOWN: it depends on flags socklab cannot read" ]] || { show_output; false; }
	[[ "$output" == *"  if it has SO_REUSEADDR: it would succeed"* ]] || { show_output; false; }
	[[ "$output" == *"  if it lacks SO_REUSEADDR: it would FAIL: EADDRINUSE 98"* ]] || { show_output; false; }
	[[ "$output" == *"--try: the kernel answered success, one of the outcomes above: by the model, the TIME_WAIT connection 127.0.0.1:6600 -> 127.0.0.1:"*" has SO_REUSEADDR"* ]] || { show_output; false; }
	[[ "$output" == *"status 0"* ]] || { show_output; false; }
	# no flag on the new socket: certain, lab 14's fix, and no claim about the old one's flag
	[[ "$output" == *"bind(tcp 127.0.0.1:6601 as uid 65534) would FAIL: EADDRINUSE 98"* ]] || { show_output; false; }
	[[ "$output" == *"rule: this socket sets neither SO_REUSEADDR nor SO_REUSEPORT: it shares the port with no socket, whatever that socket's flags"* ]] || { show_output; false; }
	[[ "$output" == *"set SO_REUSEADDR on the new listener and on the old one"* ]] || { show_output; false; }
	[[ "$output" == *"wait: Linux keeps a TIME_WAIT connection 60 s"* ]] || { show_output; false; }
	[[ "$output" != *"neither side"* && "$output" != *"which has it off"* ]] || { show_output; false; }
	[[ "$output" == *"status 1"* ]] || { show_output; false; }
}

@test "why --uid: a port below 1024 for another user is EACCES, and --try binds as that user" {
	[ "$(id -u)" = 0 ] || skip "needs root to act as another uid"
	run unshare -n sh -c 'ip link set lo up; "$1" why --uid 65534 127.0.0.1:80 --try' sh "$SOCKLAB"
	[ "$status" -eq 1 ] || { show_output; false; }
	[[ "${lines[0]}" == *"as uid 65534) would FAIL: EACCES 13"* ]]
	[[ "$output" == *"the kernel answered EACCES 13"*"the prediction held"* ]]
}
