#!/usr/bin/env bats
# hosts.bats — labs across hosts: each host a network namespace inside the
# lab's sandbox, switches bridges there.  The table shows every host's
# sockets (HOST), the wire names the hosts, tcpdump -r reads the pcap,
# and lab_host refuses what ip(8) must never see.  What is asserted comes
# from the kernel: the addresses the router really rewrote.

load helpers

setup() {
	common_setup
	T="$BATS_TEST_TMPDIR"
	command -v ip >/dev/null || skip "no ip(8) here (iproute2): hosts are made with it"
}

nft_needed() {
	command -v nft >/dev/null || skip "no nft(8) here (nftables): lab 20's router needs it"
}

@test "run 20: the table has a HOST column with each host's sockets" {
	nft_needed
	run --separate-stderr "$SOCKLAB" run 20
	[ "$status" -eq 0 ] || { show_output; echo "$stderr"; false; }
	last=$(sed -n '/sockets after step 15:/,/^$/p' <<<"$output")
	[[ "$last" == *"HOST     NET  STATE"* ]] || { show_output; false; }
	# the peer on bob, alice's server and client, carol's node, the stranger
	for row in 'alice    UDP  UNCONN     0.0.0.0:5000 ' 'carol    UDP  UNCONN     0.0.0.0:5000 ' \
		'bob      UDP  UNCONN     0.0.0.0:5000 ' 'bob      UDP  ESTAB      10.1.0.2:5001 '; do
		[[ "$last" == *"$row"* ]] || { echo "no row: $row"; show_output; false; }
	done
	[ "$(grep -c '^    alice ' <<<"$last")" -eq 2 ]
	# a lab without hosts has no HOST column
	run "$SOCKLAB" run 4
	[[ "$output" != *HOST* ]]
}

@test "run 20 --wire: each datagram once per link it crossed, its hosts named, the router's rewrite shown" {
	nft_needed
	run --separate-stderr "$SOCKLAB" run 20 --wire
	[ "$status" -eq 0 ] || { show_output; echo "$stderr"; false; }
	step4=$(sed -n '/^  on the wire during step 4:/,/^$/p' <<<"$output")
	# the client's port, as alice sent it and as r sent it on
	port=$(grep -oE 'alice 10\.0\.0\.2:[0-9]+ → bob 10\.1\.0\.2:5000 UDP 4 bytes "ping"' <<<"$step4" |
		sed -E 's/^alice 10\.0\.0\.2:([0-9]+) .*/\1/')
	[ -n "$port" ] && [ "$port" != 5000 ] || { echo "$step4"; false; }
	[[ "$step4" == *"r 10.1.0.1:$port → bob 10.1.0.2:5000 UDP 4 bytes \"ping\""* ]] || { echo "$step4"; false; }
	[ "$(grep -c 'UDP 4 bytes "ping"' <<<"$step4")" -eq 2 ]
	# ARP, once: a switch's own copy of a broadcast is left out
	[ "$(grep -c 'ARP who has r 10.0.0.1? tell alice 10.0.0.2' <<<"$step4")" -eq 1 ]
	# carol's port 5000 leaves r as another port
	step11=$(sed -n '/^  on the wire during step 11:/,/^$/p' <<<"$output")
	[[ "$step11" == *'carol 10.0.0.3:5000 → bob 10.1.0.2:5000 UDP 4 bytes "ping"'* ]] || { echo "$step11"; false; }
	grep -qE 'r 10\.1\.0\.1:[0-9]+ → bob 10\.1\.0\.2:5000 UDP 4 bytes "ping"' <<<"$step11"
	! grep -q 'r 10.1.0.1:5000 → bob' <<<"$step11" || false
	# the stranger: r answers itself, nothing goes on to lan
	step14=$(sed -n '/^  on the wire during step 14:/,/^$/p' <<<"$output")
	[[ "$step14" == *"r 10.1.0.1 → bob 10.1.0.2 ICMP port unreachable"* ]] || { echo "$step14"; false; }
	! grep -q 'alice' <<<"$step14" || false
}

@test "run 22 --wire: a broadcast is one line a send, from alice's address, and no ARP asks first" {
	run --separate-stderr "$SOCKLAB" run 22 --wire
	[ "$status" -eq 0 ] || { show_output; echo "$stderr"; false; }
	step5=$(sed -n '/^  on the wire during step 5:/,/^$/p' <<<"$output")
	[ "$(grep -cE 'alice 10\.0\.0\.2:[0-9]+ → 10\.0\.0\.255:5000 UDP 3 bytes "all"' <<<"$step5")" -eq 1 ] ||
		{ echo "$step5"; false; }
	! grep -q 'ARP' <<<"$output" || { grep ARP <<<"$output"; false; }
}

@test "run 20 --pcap: tcpdump -r finds the datagrams before and after the NAT, and nothing else" {
	nft_needed
	command -v tcpdump >/dev/null || skip "no tcpdump here"
	run --separate-stderr "$SOCKLAB" run 20 --pcap "$T/l20.pcap"
	[ "$status" -eq 0 ] || { show_output; echo "$stderr"; false; }
	run tcpdump -nr "$T/l20.pcap" udp
	[ "$status" -eq 0 ] || { show_output; false; }
	# alice's server: port 5000 on both sides of r
	[ "$(grep -c 'IP 10.0.0.2.5000 > 10.1.0.2.5000: UDP, length 4' <<<"$output")" -eq 1 ] || { show_output; false; }
	[ "$(grep -c 'IP 10.1.0.1.5000 > 10.1.0.2.5000: UDP, length 4' <<<"$output")" -eq 1 ] || { show_output; false; }
	# carol's: 5000 on lan, rewritten on wan
	[ "$(grep -c 'IP 10.0.0.3.5000 > 10.1.0.2.5000: UDP, length 4' <<<"$output")" -eq 1 ] || { show_output; false; }
	# every address is the lab's: 10.0.0.0/24 and 10.1.0.0/24, nothing of the host's
	run tcpdump -nr "$T/l20.pcap" ip
	! grep -E ' IP ' <<<"$output" | grep -vE 'IP 10\.[01]\.0\.[0-9]+(\.[0-9]+)? > 10\.[01]\.0\.[0-9]+' || false
}

@test "run 20 on the host's stack skips: hosts are made in a sandbox only" {
	run --separate-stderr "$SOCKLAB" run 20 --host --port-base 43300
	[ "$status" -eq 0 ] || { show_output; echo "$stderr"; false; }
	[[ "$output" == *"skipped"*"this lab builds a network of hosts: only in a sandbox"* ]] || { show_output; false; }
}

@test "the hosts runtime: bad names refused, a host sees its own interfaces, two hosts talk over a switch" {
	lab="$TEST_LABS/hosts"
	[ -x "$lab" ] || skip "$lab not built (make cli builds it)"
	run --separate-stderr "$SOCKLAB" run "$lab"
	[ "$status" -eq 0 ] || { show_output; echo "$stderr"; false; }
	[[ "$output" == *'lab_host("Bad!", "lan", "10.9.0.1/24") = -1 EINVAL'* ]]
	[[ "$output" == *'lab_host_cmd("a", "no-such-command-here") = -1 ENOENT'* ]]
	[[ "$output" == *"host b: eth0 10.9.0.2/24 on switch lan"* ]]
	[[ "$output" == *"b        UDP  UNCONN     10.9.0.2:5000 "* ]] || { show_output; false; }
	# standalone, the same lab narrates its hosts and roles itself
	run "$lab"
	[[ "$output" == *"host a: eth0 10.9.0.1/24 on switch lan"* ]] || { show_output; false; }
	[[ "$output" == *"role client is pid "*" on host a"* ]] || { show_output; false; }
}

@test "nothing of a hosts lab is left behind: no keeper, no role, no helper" {
	nft_needed
	mark="hosts-bats-$$-$RANDOM"
	run env SOCKLAB_TEST_MARK="$mark" "$SOCKLAB" run 20
	[ "$status" -eq 0 ]
	# every process of the run (keepers, roles, ip, nft) inherited the mark
	left=""
	for _ in $(seq 20); do
		left=$(grep -lsa "SOCKLAB_TEST_MARK=$mark" /proc/[0-9]*/environ || true)
		[ -z "$left" ] && break
		sleep 0.1
	done
	[ -z "$left" ] || { echo "left: $left"; false; }
}
