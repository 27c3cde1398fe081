#!/usr/bin/env bats
# rules.bats — the bind doctor's model (src/doctor/rules.c) against the
# kernel: 2,000 seeded random scenarios (sockets with random options,
# states and owners on one port, and a candidate bind) run for real in a
# network namespace (tests/tools/bindprop); every prediction must equal
# what the kernel did.  A mismatch prints a command line that replays it.

load helpers

@test "the bind model predicts the kernel on 2,000 random scenarios" {
	common_setup
	run "$BUILD/tests/tools/bindprop" --seed 1 --count 2000
	[ "$status" -eq 0 ] || { show_output; false; }
	[[ "${lines[-1]}" == "2000 scenarios, 0 mismatches, "* ]]
}

@test "one scenario replays by its seed; bad arguments exit 2" {
	common_setup
	run "$BUILD/tests/tools/bindprop" --seed 62 --count 1
	[ "$status" -eq 0 ] || { show_output; false; }
	[[ "${lines[-1]}" == "1 scenarios, 0 mismatches, "*"(seeds 62..62;"* ]]
	run "$BUILD/tests/tools/bindprop" --count 0
	[ "$status" -eq 2 ]
	run "$BUILD/tests/tools/bindprop" --seed x
	[ "$status" -eq 2 ]
}
