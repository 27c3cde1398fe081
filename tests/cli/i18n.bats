#!/usr/bin/env bats
# i18n.bats — socklab in the learner's language (src/i18n.h, po/): under
# LANG=zh_CN.UTF-8 the marked messages come from po/zh_CN.po, the criteria
# met are the same; LANGUAGE is honoured; LANG=C, en_US.UTF-8 and a
# language without a catalog print today's English, byte for byte.  The
# locales are generated for the test (localedef, into a LOCPATH of its own).

load helpers

setup_file() {
	command -v localedef >/dev/null || return 0
	LOC="$BATS_FILE_TMPDIR/loc"
	mkdir -p "$LOC"
	for l in zh_CN en_US fr_FR; do
		localedef -i "$l" -f UTF-8 "$LOC/$l.UTF-8" 2>/dev/null || true
	done
	export LOC
}

setup() {
	common_setup
	T="$BATS_TEST_TMPDIR"
	[ -d "${LOC:-}/zh_CN.UTF-8" ] || skip "cannot generate zh_CN.UTF-8 here (localedef, the locales package's sources)"
	[ -f "$(dirname "$SOCKLAB")/locale/zh_CN/LC_MESSAGES/socklab.mo" ] || skip "no compiled catalog beside $SOCKLAB"
	command -v cc >/dev/null || skip "no C compiler"
}

@test "LANG=zh_CN.UTF-8: exercise check says observed, hint and the score in Chinese; the same criteria met" {
	run env LOCPATH="$LOC" LANG=zh_CN.UTF-8 "$SOCKLAB" exercise check 1 exercises/01-fixed-source-port/starter.c
	[ "$status" -eq 1 ] || { show_output; false; }
	[[ "$output" == *"      观察到：it came from 127.0.0.1:"* ]] || { show_output; false; }
	[[ "$output" == *"      复习：socklab run 2（implicit-bind）"* ]] || { show_output; false; }
	[ "${lines[-1]}" = "满足 4/5 项标准，得分 5/10（练习 01 fixed-source-port）" ] || { show_output; false; }
	# the marks and the criteria themselves as in English
	zh=$(grep -c '^  [✔✘]' <<<"$output")
	run env LANG=C.UTF-8 "$SOCKLAB" exercise check 1 exercises/01-fixed-source-port/starter.c
	[ "$zh" = "$(grep -c '^  [✔✘]' <<<"$output")" ]
}

@test "LANGUAGE is honoured; LANG=C, en_US.UTF-8 and fr_FR.UTF-8 (no catalog) print the English, byte for byte" {
	run --separate-stderr env LOCPATH="$LOC" LANG=en_US.UTF-8 LANGUAGE=zh_CN "$SOCKLAB" exercise
	[ "$status" -eq 2 ]
	[[ "$stderr" == "socklab exercise: list、show N"* ]] || { show_output; false; }
	run --separate-stderr env LANG=C "$SOCKLAB" exercise
	english=$stderr
	[[ "$english" == "socklab exercise: list, show N, start N [DIR]"* ]]
	for l in en_US.UTF-8 fr_FR.UTF-8 C.UTF-8; do
		run --separate-stderr env LOCPATH="$LOC" LANG="$l" "$SOCKLAB" exercise
		[ "$stderr" = "$english" ] || { echo "LANG=$l: $stderr" >&2; false; }
	done
}
