#!/usr/bin/env bats
# exit-status.bats — the man page's EXIT STATUS names every command of the
# command table, and for each the statuses its source can return
# (src/cmd_NAME.c: CMD_FAILED, CMD_USAGE, 128 + a signal), so a status a
# command gains cannot go undocumented.

load helpers

setup() {
	common_setup
	MAN="$REPO_ROOT/docs/socklab.1"
}

# The commands of the table, as `socklab --help` lists them.
commands() {
	"$SOCKLAB" --help | awk '/^commands:/ { on = 1; next } on && /^$/ { exit }
		on && /^  [a-z]+ / { print $1 }'
}

# The EXIT STATUS paragraph of command $1, on one line ("" when none).
paragraph() {
	awk -v c="$1" '/^\.SH/ { in_es = ($0 ~ /^\.SH EXIT STATUS/) ; on = 0; next }
		!in_es { next }
		/^\.TP/ { on = 0; next }
		$0 == ".B " c { on = 1; next }
		on { printf "%s ", $0 }' "$MAN"
}

@test "EXIT STATUS has a paragraph for every command in the command table" {
	n=0
	for c in $(commands); do
		n=$((n + 1))
		[ -n "$(paragraph "$c")" ] || { echo "docs/socklab.1 EXIT STATUS: nothing for '$c'" >&2; false; }
	done
	[ "$n" -ge 9 ] || { echo "only $n commands in --help" >&2; false; }
}

@test "each command's paragraph names every status its src/cmd_*.c can return" {
	for c in $(commands); do
		src="$REPO_ROOT/src/cmd_$c.c"
		[ -f "$src" ] || { echo "no $src for command '$c'" >&2; false; }
		want="0"
		grep -Eq 'CMD_FAILED|runopts_failure' "$src" && want="$want 1"
		grep -Eq 'CMD_USAGE|cmd_usage_error|runopts_failure|return 2;' "$src" && want="$want 2"
		grep -Eq '128 \+|runopts_failure' "$src" && want="$want 128+N"
		p=" $(paragraph "$c")"
		for s in $want; do
			[[ "$p" == *" $s "* || "$p" == *";$s "* ]] ||
				{ echo "'$c' can exit $s ($src), its EXIT STATUS paragraph does not say so: $p" >&2; false; }
		done
	done
}

@test "the statuses the page promises are what the commands return (one of each, for real)" {
	run "$SOCKLAB" list extra
	[ "$status" -eq 2 ]
	run "$SOCKLAB" explain NOSUCHCODE
	[ "$status" -eq 2 ]
	run "$SOCKLAB" explain EADDRINUSE
	[ "$status" -eq 0 ]
	run "$SOCKLAB" run 4 --step <<<'q'
	[ "$status" -eq 0 ]
	run "$SOCKLAB" nosuchcommand
	[ "$status" -eq 2 ]
	run "$SOCKLAB" help nosuchcommand
	[ "$status" -eq 2 ]
}

@test "run and check of a lab whose expectation the kernel refutes: 1" {
	[ -x "$TEST_LABS/wrong-expectation" ] || skip "no $TEST_LABS/wrong-expectation: run 'make cli' first"
	run "$SOCKLAB" run "$TEST_LABS/wrong-expectation" </dev/null
	[ "$status" -eq 1 ] || { show_output; false; }
	run "$SOCKLAB" check "$TEST_LABS/wrong-expectation"
	[ "$status" -eq 1 ] || { show_output; false; }
}
