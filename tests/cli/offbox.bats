#!/usr/bin/env bats
# offbox.bats — socklab sends nothing off the machine.  While tcpdump
# listens (outgoing only) on every interface of this host that is up,
# except lo, socklab does what a class does with it: every lab in its
# sandboxes, every lab on the host's loopback (--host), the exercise tests
# (starters, solutions, hostile submissions, one that sends to
# 198.51.100.7 and 2001:db8:5::7 from inside its sandbox) and a dashboard
# session.  The filter is what socklab could send; not one packet may match.
# The same filter on lo during the --host run must match: it is a filter
# that sees socklab's traffic when there is some.
#
# Nothing here sends a packet: only socklab does, on loopback or in the
# namespaces it creates.

load helpers

# what socklab could send, to or from.  Only the --host run uses the host's
# stack (every other run is in a namespace with no way to eth0 at all), so
# ports are its range and lab 17's privileged port; then the one group the
# labs and exercises use (239.1.2.3), broadcast, and the labs' and the
# grader's subnets (lab 12's veth 10.77.0.0/24; the uplink's
# 2001:db8::/32; 198.51.100.0/24 of the leaking submission).  Narrow on
# purpose: the host's own traffic on common ports (mDNS, SSDP, a database
# on 5432) must not fail the test.  Not 192.0.2.0/24: this host's own
# address and gateway may live there (the exercise uplink uses it inside
# its sandbox only).
offbox_filter() {
	local base=$1 priv=$2
	printf '%s' "((tcp or udp) and (port $priv or portrange $base-$((base + 99))))" \
		" or dst host 239.1.2.3" \
		" or dst host 255.255.255.255" \
		" or net 10.77.0.0/24 or net 198.51.100.0/24 or net 2001:db8::/32"
}

# capture_start IFACE NAME [DIRECTION]: tcpdump on IFACE, outgoing only (or
# DIRECTION), into $D/NAME.pcap; waits until it listens.  Its pid goes to
# $D/NAME.pid.  --immediate-mode: without it libpcap hands packets over a
# ring block at a time, and the SIGINT that stops tcpdump loses the last
# block (the positive control saw 0 packets of a run shorter than that).
capture_start() {
	tcpdump -i "$1" -Q "${3:-out}" -n -U --immediate-mode -Z root -w "$D/$2.pcap" "$FILTER" \
		> /dev/null 2> "$D/$2.err" 3>&- &
	echo $! > "$D/$2.pid"
	for _ in $(seq 100); do
		grep -q "listening on" "$D/$2.err" && return 0
		kill -0 "$(cat "$D/$2.pid")" 2>/dev/null || break
		sleep 0.05
	done
	echo "tcpdump on $1 did not start:" >&2
	cat "$D/$2.err" >&2
	return 1
}

# capture_stop NAME: SIGINT to our tcpdump (by its pid), wait for it, and
# write how many packets its file holds to $D/NAME.count.
capture_stop() {
	local pid
	pid=$(cat "$D/$1.pid")
	kill -INT "$pid"
	wait "$pid" || true
	tcpdump -r "$D/$1.pcap" -n 2> /dev/null > "$D/$1.txt"
	wc -l < "$D/$1.txt" > "$D/$1.count"
}

# why this file cannot run here, or nothing.  Not a skip in setup_file:
# bats 1.8 counts that as "setup_file failed"; setup() skips each test.
offbox_unmet() {
	[ "$(id -u)" = 0 ] || { echo "capturing packets needs root"; return; }
	command -v tcpdump > /dev/null || { echo "tcpdump is not installed (make deps)"; return; }
	command -v tmux > /dev/null || { echo "tmux is not installed (make deps)"; return; }
	[ -n "$IFACES" ] || { echo "no interface besides lo is up: nothing could leave"; return; }
	[ -n "$HOST_BASE" ] || echo "no free range of 100 ports for the --host run"
}

setup_file() {
	common_setup
	IFACES=$(ip -o link show up | awk -F': ' '{ sub(/@.*/, "", $2); if ($2 != "lo") print $2 }')
	HOST_BASE=$(free_port_bases 1)
	OFFBOX_UNMET=$(offbox_unmet)
	export OFFBOX_UNMET
	[ -z "$OFFBOX_UNMET" ] || return 0
	# lab 17 on the host: the 17th lab of the run, a port from its range
	local priv=$((1023 - (HOST_BASE + 16 * 5) / 100 % 100))
	D="$BATS_FILE_TMPDIR"
	FILTER=$(offbox_filter "$HOST_BASE" "$priv")
	export D IFACES HOST_BASE FILTER

	local ifc start rc
	start=$(date +%s)
	for ifc in $IFACES; do
		capture_start "$ifc" "if-$ifc" || return 1
	done

	# every lab, each in a sandbox
	rc=0
	"$SOCKLAB" check --tap > "$D/check.tap" 2>&1 < /dev/null || rc=$?
	echo "$rc" > "$D/check.rc"

	# every lab on the host's loopback; lo captured meanwhile (each packet
	# on lo passes once out, once in, and libpcap drops the outgoing copy
	# on loopback: there, -Q out sees nothing at all)
	capture_start lo lo in || return 1
	rc=0
	"$SOCKLAB" check --host --port-base "$HOST_BASE" --tap > "$D/host.tap" 2>&1 < /dev/null || rc=$?
	echo "$rc" > "$D/host.rc"
	capture_stop lo

	rc=0
	# the exercise tests: every starter and solution, and the hostile ones
	SOCKLAB_BUILD="$BUILD" bats "$REPO_ROOT/tests/cli/exercise.bats" \
		> "$D/exercise.tap" 2>&1 3>&- < /dev/null || rc=$?
	echo "$rc" > "$D/exercise.rc"

	# the dashboard at lab 07, stepped to the end, then q
	tsock="socklab-offbox-$$"
	export tsock
	tmux -L "$tsock" -f /dev/null new-session -d -x 100 -y 30 \
		"env LANG=C.UTF-8 $SOCKLAB dash 7; echo \$? > $D/dash.rc; sleep 60" 3>&-
	dash_wait "$tsock" 'help'
	for i in $(seq 11); do
		tmux -L "$tsock" send-keys Space
		dash_wait "$tsock" "step $i of 11|finished"
	done
	dash_wait "$tsock" 'The end: '
	tmux -L "$tsock" capture-pane -p > "$D/dash.screen"
	tmux -L "$tsock" send-keys q
	for _ in $(seq 50); do [ -s "$D/dash.rc" ] && break; sleep 0.1; done
	tmux -L "$tsock" kill-server 2> /dev/null || true

	for ifc in $IFACES; do
		capture_stop "if-$ifc"
	done
	echo $(($(date +%s) - start)) > "$D/seconds"
}

# whatever setup_file left running when it failed: our tcpdumps (by pid)
# and our tmux server
teardown_file() {
	local f pid
	[ -n "${tsock:-}" ] && { tmux -L "$tsock" kill-server 2> /dev/null || true; }
	for f in "${D:-/nonexistent}"/*.pid; do
		[ -f "$f" ] || continue
		pid=$(cat "$f")
		if [ "$(cat "/proc/$pid/comm" 2> /dev/null)" = tcpdump ]; then
			kill -INT "$pid" 2> /dev/null || true
		fi
	done
	return 0
}

# dash_wait TMUX-SOCKET ERE: wait (up to 10 s) until the screen matches.
dash_wait() {
	for _ in $(seq 100); do
		tmux -L "$1" capture-pane -p | grep -Eq -- "$2" && return 0
		sleep 0.1
	done
	echo "the dashboard never showed: $2" >&2
	tmux -L "$1" capture-pane -p >&2
	return 1
}

setup() {
	common_setup
	[ -z "$OFFBOX_UNMET" ] || skip "$OFFBOX_UNMET"
}

@test "offbox: what ran while capturing passed (check, check --host, exercise tests, dashboard)" {
	echo "# captured on: $IFACES (and lo during --host, ports $HOST_BASE-$((HOST_BASE + 99))); $(cat "$D/seconds") s" >&3
	[ "$(cat "$D/check.rc")" = 0 ] || { cat "$D/check.tap"; false; }
	grep -q '^1\.\.' "$D/check.tap"
	! grep -q '^not ok' "$D/check.tap" || false
	[ "$(cat "$D/host.rc")" = 0 ] || { grep -v '^ok' "$D/host.tap"; false; }
	! grep -q '^not ok' "$D/host.tap" || false
	[ "$(cat "$D/exercise.rc")" = 0 ] || { cat "$D/exercise.tap"; false; }
	! grep -q '^not ok' "$D/exercise.tap" || false
	[ "$(cat "$D/dash.rc")" = 0 ] || { cat "$D/dash.screen"; false; }
	grep -q 'The end: 27 of 27 expectations met' "$D/dash.screen" || { cat "$D/dash.screen"; false; }
}

@test "offbox: not one packet left through an interface besides lo" {
	local ifc n bad=0
	for ifc in $IFACES; do
		n=$(cat "$D/if-$ifc.count")
		echo "# $ifc: $n packets" >&3
		if [ "$n" -ne 0 ]; then
			echo "$ifc: $n packets matched, the first:"
			head -5 "$D/if-$ifc.txt"
			bad=1
		fi
	done
	[ "$bad" -eq 0 ]
}

@test "offbox: the same filter on lo sees the --host run's packets (the capture can fail)" {
	n=$(cat "$D/lo.count")
	echo "# lo during check --host --port-base $HOST_BASE: $n packets" >&3
	[ "$n" -gt 0 ] || { cat "$D/lo.err"; false; }
}
