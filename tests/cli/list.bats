#!/usr/bin/env bats
# socklab list, bare socklab, and the help/version entry points.

load helpers

setup() {
	common_setup
}

# every lab the project ships, by number and slug
EXPECTED_LABS=(
	"01 first-bind"
	"02 implicit-bind"
	"03 one-socket-one-port"
	"04 addr-in-use"
	"05 reuse-one-side"
	"06 reuse-both-sides"
	"07 the-story"
)

assert_lists_every_lab() {
	local want num slug
	for want in "${EXPECTED_LABS[@]}"; do
		num=${want%% *}
		slug=${want#* }
		printf '%s\n' "$output" | grep -Eq "^${num}[[:space:]]+${slug}[[:space:]]+[^[:space:]]" || {
			echo "no line for lab $num $slug (with a summary)" >&2
			show_output
			return 1
		}
	done
}

@test "list: exits 0 and shows labs 01..07, each with its slug and a summary" {
	run "$SOCKLAB" list
	[ "$status" -eq 0 ] || { show_output; false; }
	assert_lists_every_lab
}

@test "list: the labs appear in ascending numeric order, none twice; a number twice only for a Python twin" {
	run "$SOCKLAB" list
	[ "$status" -eq 0 ]
	nums=$(printf '%s\n' "$output" | grep -Eo '^[0-9]+ ' | tr -d ' ')
	[ -n "$nums" ]
	[ "$nums" = "$(printf '%s\n' "$nums" | sort -n)" ] || { echo "numbers: $nums" >&2; false; }
	# the C lab of each number once, first; its twins (-py, -tw) after it
	c=$(printf '%s\n' "$output" | grep -E '^[0-9]+  ' | awk '$2 !~ /-(py|tw)$/ { print $1 }')
	[ "$c" = "$(printf '%s\n' "$c" | sort -n -u)" ] || { echo "C labs: $c" >&2; false; }
	slugs=$(printf '%s\n' "$output" | grep -E '^[0-9]+  ' | awk '{ print $2 }')
	[ "$(printf '%s\n' "$slugs" | sort | uniq -d)" = "" ]
	! printf '%s\n' "$output" | grep -E '^[0-9]+  ' |
		awk 'prev == $1 && $2 !~ /-(py|tw)$/ { bad = 1 } { prev = $1 } END { exit !bad }' || false
}

@test "list: writes nothing to stderr" {
	run --separate-stderr "$SOCKLAB" list
	[ "$status" -eq 0 ]
	[ -z "$stderr" ] || { show_output; false; }
}

@test "no arguments (not a terminal): lists the labs like 'socklab list', exit 0" {
	run "$SOCKLAB" </dev/null
	[ "$status" -eq 0 ] || { show_output; false; }
	assert_lists_every_lab
}

@test "--help: exit 0, shows usage and names every command" {
	run --separate-stderr "$SOCKLAB" --help
	[ "$status" -eq 0 ] || { show_output; false; }
	[[ "$output" == *"usage: socklab"* ]]
	for cmd in list run check; do
		printf '%s\n' "$output" | grep -Eq "^  $cmd " || { echo "no '$cmd' in --help" >&2; false; }
	done
	[ -z "$stderr" ]
}

@test "-h and 'help' are the same as --help" {
	run "$SOCKLAB" --help
	want=$output
	run "$SOCKLAB" -h
	[ "$status" -eq 0 ]
	[ "$output" = "$want" ]
	run "$SOCKLAB" help
	[ "$status" -eq 0 ]
	[ "$output" = "$want" ]
}

@test "--version: exit 0, first line 'socklab X.Y.Z' (the rest: version.bats)" {
	run "$SOCKLAB" --version
	[ "$status" -eq 0 ] || { show_output; false; }
	[[ "${lines[0]}" =~ ^socklab\ [0-9]+\.[0-9]+\.[0-9]+ ]] || { show_output; false; }
	run "$SOCKLAB" -V
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" =~ ^socklab\ [0-9] ]]
}

@test "help run: exit 0, run's usage and every one of its options" {
	run "$SOCKLAB" help run
	[ "$status" -eq 0 ] || { show_output; false; }
	[[ "${lines[0]}" == "usage: socklab run "* ]]
	for opt in --step --markdown --host --port-base --timeout; do
		[[ "$output" == *"$opt"* ]] || { echo "help run lacks $opt" >&2; show_output; false; }
	done
}

@test "run --help: exit 0, the same text as 'help run', and runs no lab" {
	run "$SOCKLAB" help run
	want=$output
	run "$SOCKLAB" run --help
	[ "$status" -eq 0 ] || { show_output; false; }
	[ "$output" = "$want" ]
	# --help wins even next to a lab: nothing is run
	run "$SOCKLAB" run 4 --help
	[ "$status" -eq 0 ]
	[ "$output" = "$want" ]
}

@test "check --help: exit 0, check's usage and every one of its options" {
	run "$SOCKLAB" check --help
	[ "$status" -eq 0 ] || { show_output; false; }
	[[ "${lines[0]}" == "usage: socklab check "* ]]
	for opt in --tap --host --port-base --timeout; do
		[[ "$output" == *"$opt"* ]] || { echo "check --help lacks $opt" >&2; show_output; false; }
	done
	[[ "$output" != *"expectations met"* ]]
}

@test "list --help and help list: exit 0, list's usage" {
	run "$SOCKLAB" list --help
	[ "$status" -eq 0 ] || { show_output; false; }
	[[ "${lines[0]}" == "usage: socklab list"* ]]
	run "$SOCKLAB" help list
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "usage: socklab list"* ]]
}

@test "--help and every COMMAND --help fit 80 columns, and name --version and help COMMAND" {
	run "$SOCKLAB" --help
	[[ "$output" == *"socklab --version"* && "$output" == *"socklab help COMMAND"* ]] || { show_output; false; }
	for c in "" $("$SOCKLAB" --help | awk '/^commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }'); do
		long=$("$SOCKLAB" $c --help | awk 'length($0) > 80')
		[ -z "$long" ] || { echo "socklab $c --help: over 80 columns: $long" >&2; false; }
		# no trailing blank on any line (list's usage had one)
		! "$SOCKLAB" $c --help | grep -q ' $' || { echo "socklab $c --help: trailing space" >&2; false; }
	done
}
