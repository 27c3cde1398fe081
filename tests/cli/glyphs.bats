#!/usr/bin/env bats
# glyphs.bats — run, check and explain draw by the locale, as the dashboard
# does (src/render/glyphs.h): UTF-8 marks under a UTF-8 locale, and not one
# byte >= 0x80 under LANG=C or a locale that is not UTF-8 -- neither
# socklab's own marks nor the text it shows (a lab's source, its titles).

load helpers

setup() {
	common_setup
}

# Bytes >= 0x80 in the file $1, as a count.
high_bytes() {
	od -An -v -tu1 "$1" | tr -s ' ' '\n' | awk '$1 >= 128 { n++ } END { print n + 0 }'
}

# in_locale LOCALE-ENV... -- ARGS: socklab ARGS, stdout and stderr in $T/out.
in_locale() {
	local envs=()
	while [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	T="$BATS_TEST_TMPDIR"
	status=0
	env -u LC_ALL -u LC_CTYPE "${envs[@]}" "$SOCKLAB" "$@" >"$T/out" 2>&1 </dev/null || status=$?
	output=$(cat "$T/out")
}

@test "LANG=C run 1: ASCII only, the marks in their ASCII form, the lab still passes" {
	in_locale LANG=C -- run 1
	[ "$status" -eq 0 ] || { show_output; false; }
	[ "$(high_bytes "$T/out")" -eq 0 ] || { show_output; false; }
	[[ "$output" == *"Lab 01 - first-bind - First bind"* ]] || { show_output; false; }
	printf '%s\n' "$output" | grep -Eq '^  ok bind\(fixed, .*\) = 0$' || { show_output; false; }
	printf '%s\n' "$output" | grep -Eq '^ +[0-9]+ \| +EXPECT_OK\(bind\(fixed' || { show_output; false; }
	printf '%s\n' "$output" | grep -Eq '^ok [0-9]+ of [0-9]+ expectations met$' || { show_output; false; }
}

@test "LANG=C.UTF-8 run 1: the UTF-8 marks are there" {
	in_locale LANG=C.UTF-8 -- run 1
	[ "$status" -eq 0 ] || { show_output; false; }
	[[ "$output" == *"Lab 01 · first-bind · First bind"* ]] || { show_output; false; }
	printf '%s\n' "$output" | grep -Eq '^  ✔ bind\(fixed, .*\) = 0$' || { show_output; false; }
	printf '%s\n' "$output" | grep -Eq '^ +[0-9]+ │ +EXPECT_OK\(bind\(fixed' || { show_output; false; }
}

@test "LANG=C run of labs 02 07 09 14, text and Markdown: no byte >= 0x80 (sources, titles, notes)" {
	for n in 02 07 09 14; do
		in_locale LANG=C -- run "$n"
		[ "$(high_bytes "$T/out")" -eq 0 ] || { echo "lab $n:" >&2; show_output; false; }
		in_locale LANG=C -- run "$n" --markdown
		[ "$(high_bytes "$T/out")" -eq 0 ] || { echo "lab $n --markdown:" >&2; show_output; false; }
	done
	# the UTF-8 run of lab 07 does hold bytes >= 0x80 (its source's "—"):
	# so the ASCII runs above were not ASCII by accident
	in_locale LANG=C.UTF-8 -- run 07
	[ "$(high_bytes "$T/out")" -gt 0 ] || { show_output; false; }
}

@test "LANG=C check 1 and check 1 --tap: ASCII only; C.UTF-8: ✔" {
	in_locale LANG=C -- check 1
	[ "$status" -eq 0 ] || { show_output; false; }
	[ "$(high_bytes "$T/out")" -eq 0 ] || { show_output; false; }
	printf '%s\n' "$output" | grep -Eq '^ok 01 first-bind +[0-9]+/[0-9]+ expectations met' || { show_output; false; }
	in_locale LANG=C -- check 1 --tap
	[ "$(high_bytes "$T/out")" -eq 0 ] || { show_output; false; }
	in_locale LANG=C.UTF-8 -- check 1
	printf '%s\n' "$output" | grep -Eq '^✔ 01 first-bind ' || { show_output; false; }
}

@test "LANG=C explain EADDRINUSE and 10048: ASCII only; C.UTF-8: the · separator" {
	for code in EADDRINUSE 10048 EACCES; do
		in_locale LANG=C -- explain "$code"
		[ "$status" -eq 0 ] || { show_output; false; }
		[ "$(high_bytes "$T/out")" -eq 0 ] || { echo "explain $code:" >&2; show_output; false; }
	done
	in_locale LANG=C -- explain EADDRINUSE
	[[ "${output%%$'\n'*}" == "EADDRINUSE (Linux 98)  -  on Windows: WSAEADDRINUSE (10048)" ]] || { show_output; false; }
	in_locale LANG=C.UTF-8 -- explain EADDRINUSE
	[[ "${output%%$'\n'*}" == "EADDRINUSE (Linux 98)  ·  on Windows: WSAEADDRINUSE (10048)" ]] || { show_output; false; }
}

@test "LC_ALL=C wins over LANG=C.UTF-8, and a locale this machine lacks counts as C" {
	in_locale LANG=C.UTF-8 LC_ALL=C -- run 1
	[ "$(high_bytes "$T/out")" -eq 0 ] || { show_output; false; }
	in_locale LANG=xx_NOWHERE.UTF-8 -- explain EADDRINUSE
	[ "$status" -eq 0 ] || { show_output; false; }
	[ "$(high_bytes "$T/out")" -eq 0 ] || { show_output; false; }
}
