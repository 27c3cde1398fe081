#!/usr/bin/env bats
bats_require_minimum_version 1.5.0
# socklab check: unattended verification of every expectation, TAP or summary.

load helpers

setup() {
	common_setup
}

WRONG_LAB_NAME=wrong-expectation

@test "check --tap: exit 0, and every line is a TAP result or the plan" {
	run --separate-stderr "$SOCKLAB" check --tap </dev/null
	[ "$status" -eq 0 ] || { show_output; false; }
	bad=$(printf '%s\n' "$output" | grep -Ev '^((ok|not ok) [0-9]+ - |1\.\.[0-9]+$)' || true)
	[ -z "$bad" ] || { echo "non-TAP lines:" >&2; echo "$bad" >&2; false; }
	[ -z "$stderr" ] || { show_output; false; }
}

@test "check --tap: no 'not ok', and the plan equals the number of ok lines" {
	run "$SOCKLAB" check --tap </dev/null
	[ "$status" -eq 0 ] || { show_output; false; }
	[[ "$output" != *"not ok"* ]] || { show_output; false; }
	plans=$(printf '%s\n' "$output" | grep -Ec '^1\.\.[0-9]+$')
	[ "$plans" -eq 1 ]
	plan=$(printf '%s\n' "$output" | sed -n 's/^1\.\.\([0-9][0-9]*\)$/\1/p')
	oks=$(printf '%s\n' "$output" | grep -Ec '^ok [0-9]+ - ')
	[ "$plan" -eq "$oks" ] && [ "$oks" -gt 0 ] || { echo "plan $plan, ok lines $oks" >&2; false; }
}

@test "check --tap: tests are numbered 1..N in order" {
	run "$SOCKLAB" check --tap </dev/null
	[ "$status" -eq 0 ]
	nums=$(printf '%s\n' "$output" | sed -n 's/^\(not \)\{0,1\}ok \([0-9][0-9]*\) - .*/\2/p')
	n=$(printf '%s\n' "$nums" | wc -l)
	[ "$nums" = "$(seq 1 "$n")" ] || { echo "numbering: $(echo $nums)" >&2; false; }
}

@test "check --tap: covers each of labs 01..07" {
	run "$SOCKLAB" check --tap </dev/null
	[ "$status" -eq 0 ] || { show_output; false; }
	for lab in "01 first-bind" "02 implicit-bind" "03 one-socket-one-port" "04 addr-in-use" \
		   "05 reuse-one-side" "06 reuse-both-sides" "07 the-story"; do
		printf '%s\n' "$output" | grep -q "^ok [0-9]* - $lab: " ||
			{ echo "no TAP line for lab $lab" >&2; show_output; false; }
	done
}

@test "check --tap: the kernel's answers are in the TAP lines (EADDRINUSE for lab 04's second bind)" {
	run "$SOCKLAB" check --tap 4 </dev/null
	[ "$status" -eq 0 ] || { show_output; false; }
	printf '%s\n' "$output" | grep -Eq '^ok [0-9]+ - 04 addr-in-use: .*bind\(second.*EADDRINUSE 98' ||
		{ show_output; false; }
}

@test "check 1-7: summary lines per lab, ending with 'N passed, 0 failed', exit 0" {
	run --separate-stderr "$SOCKLAB" check 1-7 </dev/null
	[ "$status" -eq 0 ] || { show_output; false; }
	last=${lines[${#lines[@]} - 1]}
	[[ "$last" =~ ^([0-9]+)\ passed,\ 0\ failed$ ]] || { show_output; false; }
	passed=${BASH_REMATCH[1]}
	[ "$passed" -gt 0 ]
	# one line per lab, all met
	labs=$(printf '%s\n' "$output" | grep -Ec '^✔ 0[1-7] [a-z-]+ +[0-9]+/[0-9]+ expectations met(, [0-9]+/[0-9]+ claims proven)?$')
	# the seven C labs, and the Python twins of those numbers (labs/py)
	twins=$(ls "$REPO_ROOT"/labs/py/0[1-7]*.py | wc -l)
	[ "$labs" -eq $((7 + twins)) ] || { show_output; false; }
	# the per-lab counts (expectations and claims) add up to the total
	sum=$(printf '%s\n' "$output" | sed -n 's|.* \([0-9][0-9]*\)/[0-9][0-9]* expectations met\(, \([0-9][0-9]*\)/[0-9]* claims proven\)\{0,1\}$|\1 \3|p' |
	      awk '{ s += $1 + $2 } END { print s + 0 }')
	[ "$sum" -eq "$passed" ] || { echo "per-lab sum $sum, total $passed" >&2; false; }
	[ -z "$stderr" ]
}

@test "check 1-7 and check --tap 1-7 agree on the number of expectations passed" {
	run "$SOCKLAB" check --tap 1-7 </dev/null
	[ "$status" -eq 0 ]
	tap=$(printf '%s\n' "$output" | grep -c '^ok ')
	run "$SOCKLAB" check 1-7 </dev/null
	[ "$status" -eq 0 ]
	[ "${lines[${#lines[@]} - 1]}" = "$tap passed, 0 failed" ] || { echo "TAP ok lines: $tap" >&2; show_output; false; }
}

@test "check 4 6: runs exactly labs 04 and 06" {
	run "$SOCKLAB" check 4 6 </dev/null
	[ "$status" -eq 0 ] || { show_output; false; }
	ran=$(printf '%s\n' "$output" | grep -Eo '^✔ [0-9]{2} [a-z-]+' | cut -c5- | tr '\n' ' ')
	[ "$ran" = "04 addr-in-use 06 reuse-both-sides " ] || { echo "ran: $ran" >&2; show_output; false; }
	[[ "${lines[${#lines[@]} - 1]}" =~ ^[1-9][0-9]*\ passed,\ 0\ failed$ ]] || { show_output; false; }
}

@test "check 4 6 --tap: TAP lines only from labs 04 and 06" {
	run "$SOCKLAB" check 4 6 --tap </dev/null
	[ "$status" -eq 0 ] || { show_output; false; }
	labs=$(printf '%s\n' "$output" | sed -n 's/^ok [0-9]* - \([0-9][0-9]\) .*/\1/p' | sort -u | tr '\n' ' ')
	[ "$labs" = "04 06 " ] || { echo "labs: $labs" >&2; false; }
}

@test "check of a lab executable with a wrong expectation: exit 1, 'not ok' with the kernel's EADDRINUSE" {
	lab="$TEST_LABS/$WRONG_LAB_NAME"
	[ -x "$lab" ] || skip "$lab not built yet (make cli builds it)"
	run --separate-stderr "$SOCKLAB" check --tap "$lab" </dev/null
	[ "$status" -eq 1 ] || { show_output; false; }
	notok=$(printf '%s\n' "$output" | grep -E '^not ok [0-9]+ - ' || true)
	[ -n "$notok" ] || { show_output; false; }
	printf '%s\n' "$notok" | grep -q 'EADDRINUSE' || { echo "not ok without EADDRINUSE: $notok" >&2; false; }
	# still valid TAP: results and a plan counting them all
	bad=$(printf '%s\n' "$output" | grep -Ev '^((ok|not ok) [0-9]+ - |1\.\.[0-9]+$)' || true)
	[ -z "$bad" ] || { echo "non-TAP lines: $bad" >&2; false; }
	plan=$(printf '%s\n' "$output" | sed -n 's/^1\.\.\([0-9][0-9]*\)$/\1/p')
	results=$(printf '%s\n' "$output" | grep -Ec '^(not )?ok [0-9]+ - ')
	[ "$plan" = "$results" ] || { echo "plan $plan, results $results" >&2; false; }
}

@test "check of a wrong expectation among good labs: exit 1, the good labs still ok" {
	lab="$TEST_LABS/$WRONG_LAB_NAME"
	[ -x "$lab" ] || skip "$lab not built yet (make cli builds it)"
	run "$SOCKLAB" check 4 "$lab" 6 </dev/null
	[ "$status" -eq 1 ] || { show_output; false; }
	printf '%s\n' "$output" | grep -Eq '^✔ 04 addr-in-use ' || { show_output; false; }
	printf '%s\n' "$output" | grep -Eq '^✔ 06 reuse-both-sides ' || { show_output; false; }
	printf '%s\n' "$output" | grep -Eq '^✘ .*wrong-expectation' || { show_output; false; }
	[[ "${lines[${#lines[@]} - 1]}" =~ ^[0-9]+\ passed,\ [1-9][0-9]*\ failed$ ]] || { show_output; false; }
}

@test "check of a file the kernel cannot exec is bad input: one readable line, exit 2" {
	f="$BATS_TEST_TMPDIR/not-a-program"
	printf 'this is text, not a program\n' >"$f"
	chmod 755 "$f"
	run --separate-stderr "$SOCKLAB" check --tap "$f" </dev/null
	[ "$status" -eq 2 ] || { show_output; false; }
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ "$stderr" == *"Exec format error"* ]]
	[[ "$stderr" != *%20* && "$stderr" != *malformed* ]] || {
		echo "internal protocol text leaked to the user: $stderr" >&2
		false
	}
}

@test "check writes no ESC characters to a pipe" {
	run "$SOCKLAB" check 4 </dev/null
	[ "$status" -eq 0 ]
	env -u NO_COLOR "$SOCKLAB" check 4 </dev/null | { ! grep -q $'\e'; }
}

@test "a role that dies is reported as not ok, and the lab does not hang" {
	lab="$TEST_LABS/role-dies"
	[ -x "$lab" ] || skip "test lab not built"
	run timeout 10 "$SOCKLAB" check --tap "$lab" </dev/null
	[ "$status" -eq 1 ] || { show_output; false; }
	[[ "$output" == *"not ok 1 - 98 role-dies: lab error: role server died (signal 9)"* ]]
}

@test "a lab blocked in a syscall is stopped by --timeout and reported" {
	lab="$TEST_LABS/hangs"
	[ -x "$lab" ] || skip "test lab not built"
	run timeout 10 "$SOCKLAB" check --tap --timeout 300 "$lab" </dev/null
	[ "$status" -eq 1 ] || { show_output; false; }
	[[ "$output" == *"not ok 2 - 97 hangs: the lab did nothing for 300 ms"* ]]
	[ -z "$(pgrep -f "$lab" || true)" ]
}

@test "a lab child that escapes with setsid is ended too, and its port is free" {
	lab="$TEST_LABS/escapes"
	[ -x "$lab" ] || skip "test lab not built"
	run timeout 10 "$SOCKLAB" check --host --port-base 47400 "$lab" </dev/null
	[ "$status" -eq 0 ] || { show_output; false; }
	! ss -uan 'sport = :47400' | grep -q 47400 || false
	[ -z "$(pgrep -f "$lab" || true)" ]
}

@test "break out of a ROLE block ends the block: the next role still runs" {
	lab="$TEST_LABS/role-break"
	[ -x "$lab" ] || skip "test lab not built"
	run timeout 10 "$SOCKLAB" check --tap "$lab" </dev/null
	[ "$status" -eq 0 ] || { show_output; false; }
	[ "${lines[-1]}" = "1..2" ]
}

@test "run of a dying role says so in red in the summary and exits 1" {
	lab="$TEST_LABS/role-dies"
	[ -x "$lab" ] || skip "test lab not built"
	run timeout 10 "$SOCKLAB" run "$lab" </dev/null
	[ "$status" -eq 1 ]
	[[ "$output" == *"✘ 0 of 0 expectations met; 1 lab error"* ]]
}
