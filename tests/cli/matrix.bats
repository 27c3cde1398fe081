#!/usr/bin/env bats
# matrix.bats — socklab matrix: the second bind() on one port, measured
# in a sandbox for every combination, with the doctor's prediction beside
# each cell; on this kernel every prediction holds.

load helpers

setup() {
	common_setup
}

@test "matrix: every cell measured, no disagreement between the kernel and the doctor" {
	run "$SOCKLAB" matrix
	[ "$status" -eq 0 ] || { show_output; false; }
	summary=$(printf '%s\n' "$output" | grep -E '^[0-9]+ cells, ')
	[[ "$summary" =~ ^([0-9]+)\ cells,\ 0\ disagreements ]] || { show_output; false; }
	[ "${BASH_REMATCH[1]}" -ge 600 ]
	# it names the kernel it measured and modelled, and what differs
	# between kernels: the UDP walk (measured) and the version table
	[[ "${lines[0]}" == *"measured on this kernel (Linux $(uname -r))"* ]]
	printf '%s\n' "$output" | grep -qE "^the kernel modelled: Linux $(uname -r | sed 's/[.+]/\\&/g'); a UDP bind here (asks every socket|stops at the first)"
	printf '%s\n' "$output" | grep -qF "known to differ between kernels, not measured here: udp-hash4: "
	# the summary stays the last line
	[[ "${lines[-1]}" =~ ^[0-9]+\ cells, ]]
	# lab 04 measured the same: a plain bound socket refuses every second bind
	row=$(printf '%s\n' "$output" | awk '/^udp: 127.0.0.1 then 127.0.0.1/ { on = 1 } on && /^  bound - / { print; exit }')
	[[ "$row" =~ ^\ \ bound\ -\ +INUSE\ +INUSE\ +INUSE\ +INUSE ]] || { echo "row: $row"; false; }
	# lab 15: SO_REUSEADDR on both does not share a listener's port
	row=$(printf '%s\n' "$output" | awk '/^tcp: 127.0.0.1 then 127.0.0.1/ { on = 1 } on && /^  listen ra / { print; exit }')
	[[ "$row" =~ ^\ \ listen\ ra\ +INUSE\ +INUSE ]] || { echo "row: $row"; false; }
}

@test "matrix --json --udp: one object per cell, all agreeing, UDP only" {
	command -v jq >/dev/null || skip "jq not installed"
	run "$SOCKLAB" matrix --json --udp
	[ "$status" -eq 0 ] || { show_output; false; }
	n=$(printf '%s\n' "$output" | jq -s 'length')
	[ "$n" -ge 100 ]
	[ "$(printf '%s\n' "$output" | jq -s '[.[] | select(.agree | not)] | length')" -eq 0 ]
	[ "$(printf '%s\n' "$output" | jq -rs '[.[] | .table | startswith("udp")] | all')" = true ]
}

@test "matrix with bad input: one line on stderr, exit 2" {
	for args in "--udp --tcp" "extra" "--bogus" "--json x"; do
		run --separate-stderr "$SOCKLAB" matrix $args
		[ "$status" -eq 2 ] || { echo "args: $args"; show_output; false; }
		[ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
	done
}
