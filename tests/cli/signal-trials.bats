#!/usr/bin/env bats
# signal-trials.bats — SIGINT, SIGTERM, SIGHUP and SIGKILL at random moments of
# run --step, dash, check, watch and exercise check, each in a terminal of
# its own: nothing left running or bound, the terminal as it was, and the
# next run works.  The short version (16 seeded trials); `make bench`
# runs 100 (bench/signals.sh).  tests/cli/signals.bats has the fixed
# cases (exit statuses, messages, the freed port).

load helpers

setup() {
	common_setup
	command -v tmux >/dev/null || skip "tmux not installed"
	command -v cc >/dev/null || skip "no C compiler (the exercise trials)"
}

@test "16 seeded signal trials: no process left, terminal sane, no socket bound" {
	run bash tests/lib/signal-trials.sh "$BUILD" "${SOCKLAB_SIGNAL_SEED:-11}" 16
	[ "$status" -eq 0 ] || { show_output; false; }
	[[ "${lines[-1]}" == *"0 failed; processes left 0, terminals changed 0, sockets left 0"* ]]
	# most trials must have hit a running socklab, or they prove little
	[[ "${lines[-1]}" =~ \(([0-9]+)\ signalled ]]
	[ "${BASH_REMATCH[1]}" -ge 8 ] || { show_output; false; }
}
