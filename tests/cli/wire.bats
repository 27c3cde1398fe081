#!/usr/bin/env bats
# wire.bats — what crossed the lab sandbox's links: run --wire says each
# packet after its step, run --pcap writes them for tcpdump -r.  The
# capture is a packet socket inside the sandbox's namespace: the lab's
# own interfaces (lo, its veths), never the host's.

load helpers

setup() {
	common_setup
	T="$BATS_TEST_TMPDIR"
}

@test "run --wire: after each step, the datagrams that crossed, as the kernel carried them" {
	run --separate-stderr "$SOCKLAB" run 7 --wire
	[ "$status" -eq 0 ] || { show_output; echo "$stderr"; false; }
	# step 7: the client's request from the shared port; step 8: the reply
	step7=$(sed -n '/^  on the wire during step 7:/,/^$/p' <<<"$output")
	[[ "$step7" == *'127.0.0.1:5000 → 127.0.0.1:5001 UDP 7 bytes "request"'* ]] ||
		{ show_output; false; }
	step8=$(sed -n '/^  on the wire during step 8:/,/^$/p' <<<"$output")
	[[ "$step8" == *'127.0.0.1:5001 → 127.0.0.1:5000 UDP 5 bytes "reply"'* ]]
	# a step that sent nothing says so
	[[ "$(sed -n '/^  on the wire during step 1:/,/^$/p' <<<"$output")" == *"(nothing)"* ]]
	# each packet once (lo shows it going out and coming in)
	[ "$(grep -c 'UDP 7 bytes "request"' <<<"$output")" -eq 1 ]
}

@test "run --pcap: tcpdump -r reads the lab's datagrams with their addresses and ports, and nothing else" {
	command -v tcpdump >/dev/null || skip "no tcpdump here"
	run --separate-stderr "$SOCKLAB" run 7 --pcap "$T/l7.pcap"
	[ "$status" -eq 0 ] || { show_output; echo "$stderr"; false; }
	run tcpdump -nr "$T/l7.pcap"
	[ "$status" -eq 0 ] || { show_output; false; }
	[[ "$output" == *"IP 127.0.0.1.5000 > 127.0.0.1.5001: UDP, length 7"* ]] || { show_output; false; }
	[ "$(grep -c 'IP 127.0.0.1.5001 > 127.0.0.1.5000: UDP, length 5' <<<"$output")" -eq 2 ]
	# the sandbox's lo only: no other address, nothing of the host's
	! grep -E ' IP6? ' <<<"$output" | grep -vq '127\.0\.0\.1\.[0-9]* > 127\.0\.0\.1\.' || false
	# lab 12's veth subnet: the broadcast, from 10.77.0.1
	run --separate-stderr "$SOCKLAB" run 12 --pcap "$T/l12.pcap"
	[ "$status" -eq 0 ] || { show_output; false; }
	run tcpdump -nr "$T/l12.pcap" udp
	[[ "$output" == *"10.77.0.1."*" > 10.77.0.255.5000: UDP"* ]] || { show_output; false; }
}

@test "run --wire on the host's stack captures nothing, and says so; --pcap there is bad input" {
	run --separate-stderr "$SOCKLAB" run 4 --wire --host --port-base 43100
	[ "$status" -eq 0 ] || { show_output; echo "$stderr"; false; }
	[[ "$output" == *"on the wire during step 1:"*"(not captured: on the host's stack socklab captures nothing)"* ]] ||
		{ show_output; false; }
	run --separate-stderr "$SOCKLAB" run 4 --host --pcap "$T/x.pcap"
	[ "$status" -eq 2 ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ "$stderr" == *"socklab captures the sandbox's links only"* ]]
	[ ! -e "$T/x.pcap" ]
	run --separate-stderr "$SOCKLAB" run 4 --pcap "$T/no/such/dir/x.pcap"
	[ "$status" -eq 2 ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ "$stderr" == *"--pcap $T/no/such/dir/x.pcap"* ]]
}
