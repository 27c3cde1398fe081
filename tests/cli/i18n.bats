#!/usr/bin/env bats
# i18n.bats — socklab in the learner's language (src/i18n.h, po/): under
# LANG=zh_CN.UTF-8 the marked messages come from po/zh_CN.po, the labs'
# narration too (the consumer translates it: runner/labtext.h), and the
# kernel's answers are the same; LANGUAGE is honoured; LANG=C, en_US.UTF-8
# and a language without a catalog print the English, byte for byte.  The
# locales are generated for the test (localedef, into a LOCPATH of its own).
# What the Chinese must say is read from the catalog itself (gettext(1)),
# not written here twice.

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

# zh MSGID: its translation in the build's catalog
zh() {
	TEXTDOMAINDIR="$(dirname "$SOCKLAB")/locale" LANGUAGE=zh_CN LC_ALL=C.UTF-8 gettext -e -d socklab "$1"
}

# marks: each outcome's mark and the call or check it is about, without
# what follows " = " (a receive's words are translated, the code is not)
marks() {
	grep -E '^  [✔✘] ' | sed -E 's/ = .*//; s/  (holds|成立|does NOT hold|不成立)$//'
}

teardown() {
	tmux_done	# a dashboard test's terminal, and what still runs in it
}

setup() {
	common_setup
	T="$BATS_TEST_TMPDIR"
	[ -d "${LOC:-}/zh_CN.UTF-8" ] || skip "cannot generate zh_CN.UTF-8 here (localedef, the locales package's sources)"
	[ -f "$(dirname "$SOCKLAB")/locale/zh_CN/LC_MESSAGES/socklab.mo" ] || skip "no compiled catalog beside $SOCKLAB"
	command -v cc >/dev/null || skip "no C compiler"
	command -v gettext >/dev/null || skip "no gettext(1) to read the catalog with"
}

@test "LANG=zh_CN.UTF-8: exercise check says observed, hint and the score in Chinese; the same criteria met" {
	run env LOCPATH="$LOC" LANG=zh_CN.UTF-8 "$SOCKLAB" exercise check 1 exercises/01-fixed-source-port/starter.c
	[ "$status" -eq 1 ] || { show_output; false; }
	# the observation, in Chinese too, with the kernel's own port in it
	observed=$(zh '      observed: %s\n' | sed 's/%s.*//')
	# shellcheck disable=SC2059
	came=$(printf "$(zh 'it came from 127.0.0.1:%u%s%.150s')" 0 "" "" | sed 's/0$//')
	grep -qE "^${observed}${came}[0-9]+\$" <<<"$output" || { echo "no: $observed$came" >&2; show_output; false; }
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

@test "LANG=zh_CN.UTF-8: socklab run 7 narrates in Chinese, and every expectation is met as in English" {
	run env LOCPATH="$LOC" LANG=zh_CN.UTF-8 "$SOCKLAB" run 7
	[ "$status" -eq 0 ] || { show_output; false; }
	zh_out=$output
	# the lab's title, step titles (formats filled with the lab's own
	# ports), a question, a note and a why, as the catalog has them
	title=$(zh "The story: server and client on one port")
	[[ "$zh_out" == *"$title"* ]] || { show_output; false; }
	# shellcheck disable=SC2059
	step1=$(printf "$(zh 'The server binds 127.0.0.1:%d the listenUDP way')" 5000)
	[[ "$zh_out" == *"$step1"* ]] || { echo "no: $step1" >&2; show_output; false; }
	# shellcheck disable=SC2059
	ask=$(printf "$(zh 'The server holds port %d and set no option. Can the client bind it too?')" 5000)
	[[ "$zh_out" == *"$ask"* ]] || { echo "no: $ask" >&2; show_output; false; }
	why=$(zh "the advice the author found; but reuse needs the server's consent too")
	[[ "$zh_out" == *"$why"* ]] || { echo "no: $why" >&2; show_output; false; }
	# no English step title is left
	! grep -q 'the listenUDP way' <<<"$zh_out" || false
	# the kernel's side is the same: each call, each mark, the total
	run env LANG=C.UTF-8 "$SOCKLAB" run 7
	[ "$status" -eq 0 ]
	[ -n "$(marks <<<"$output")" ]
	diff <(marks <<<"$output") <(marks <<<"$zh_out")
	# shellcheck disable=SC2059
	total=$(printf "$(zh '%ld of %ld expectations met')" 27 27)
	[[ "$output" == *"27 of 27 expectations met"* ]]
	[[ "$zh_out" == *"$total"* ]] || { echo "no: $total" >&2; false; }
}

@test "LANG=zh_CN.UTF-8: explain 10048 in Chinese, folded by screen columns" {
	run env LOCPATH="$LOC" LANG=zh_CN.UTF-8 COLUMNS=60 "$SOCKLAB" explain 10048
	[ "$status" -eq 0 ] || { show_output; false; }
	for msgid in "On Windows" "Usual causes" "Fixes" "What it means from"; do
		[[ "$output" == *"$(zh "$msgid")"* ]] || { echo "no: $msgid" >&2; show_output; false; }
	done
	[[ "$output" == *"WSAEADDRINUSE (Windows 10048)"* ]]
	! grep -q 'Usual causes\|another process, or your own earlier run' <<<"$output" || false
	# explain folds its prose at 78 screen columns (a Chinese character
	# takes two); the list of labs after it is not folded, as in English
	see=$(zh "See it happen")
	while IFS= read -r line; do
		[ "$line" != "$see" ] || break
		w=$(printf '%s' "$line" | wc -L)
		[ "$w" -le 78 ] || { echo "$w columns: $line" >&2; false; }
	done <<<"$output"
}

@test "LANG=C, LANG=en_US.UTF-8 and no catalog: run 7 and explain 10048 print the same English" {
	# what differs from run to run: pids, descriptors, ephemeral ports,
	# and the table's padding around them
	norm() { sed -E 's/pid [0-9]+/pid N/g; s/fd [0-9]+/fd N/g; s/:[0-9]{5}\b/:P/g; s/ +/ /g'; }
	run env LANG=C.UTF-8 "$SOCKLAB" run 7
	english=$(norm <<<"$output")
	for env in "LANG=C" "LOCPATH=$LOC LANG=en_US.UTF-8" "LOCPATH=$LOC LANG=zh_CN.UTF-8 SOCKLAB_LOCALEDIR=$T/none"; do
		# shellcheck disable=SC2086
		run env $env "$SOCKLAB" run 7
		[ "$status" -eq 0 ]
		# LANG=C draws its marks in ASCII (glyphs.h): compare the words
		if [ "$env" = LANG=C ]; then
			[[ "$output" == *"The server binds 127.0.0.1:5000 the listenUDP way"* ]]
			continue
		fi
		# (rows that tie on everything but their inode come in either order)
		diff <(sort <<<"$english") <(norm <<<"$output" | sort) || { echo "with $env" >&2; false; }
	done
	run env LANG=C.UTF-8 "$SOCKLAB" explain 10048
	english=$output
	run env LOCPATH="$LOC" LANG=en_US.UTF-8 "$SOCKLAB" explain 10048
	[ "$output" = "$english" ]
	run env LANG=C "$SOCKLAB" explain 10048
	[[ "$output" == *"Usual causes"* ]]
}

# dash_zh COLS ROWS: socklab dash 7 in Chinese in a COLSxROWS terminal, run
# to its fourth step; then every pane border is where it belongs
dash_zh() {
	tmux_needed
	command -v python3 >/dev/null || skip "no python3 for tests/tools/borders.py"
	tmux_start -x "$1" -y "$2" "env -u NO_COLOR LOCPATH=$LOC LANG=zh_CN.UTF-8 $SOCKLAB dash 7; echo \$? > $T/exit; sleep 60"
	# (the footer's words, as a fixed string: tmux_wait takes an ERE)
	tmux_wait "$(zh '? help ' | sed 's/[?]/[?]/; s/ *$//')"
	for i in 1 2 3 4; do
		tmux_keys Space
		# shellcheck disable=SC2059
		tmux_wait "$(printf "$(zh 'step %d of %d · ? help ')" "$i" 11 | sed 's/[?]/[?]/; s/ *$//')" 10
	done
	run tmux_screen
	[[ "$output" == *"$(zh ' What happened ' | sed 's/^ //; s/ $//')"* ]] || { show_output; false; }
	python3 tests/tools/borders.py "$1" "$2" <<<"$output" || { show_output; false; }
	# the narration zoomed to the whole screen
	tmux_keys Tab Tab z
	sleep 0.5
	run tmux_screen
	python3 tests/tools/borders.py "$1" "$2" <<<"$output" || { show_output; false; }
	tmux_keys q
	for _ in $(seq 50); do [ -s "$T/exit" ] && break; sleep 0.1; done
	[ "$(cat "$T/exit")" = 0 ]
}

@test "LANG=zh_CN.UTF-8: socklab dash 7 at 80x24 keeps every pane border in place" {
	dash_zh 80 24
}

@test "LANG=zh_CN.UTF-8: socklab dash 7 at 100x30 keeps every pane border in place" {
	dash_zh 100 30
}

@test "borders.py catches a border pushed out by a double-width character" {
	command -v python3 >/dev/null || skip "no python3"
	good=$'head\n┌──┐┌──┐\n│ab││cd│\n└──┘└──┘\nfoot'
	python3 tests/tools/borders.py 8 5 <<<"$good"
	bad=$'head\n┌──┐┌──┐\n│套b││cd│\n└──┘└──┘\nfoot'
	run python3 tests/tools/borders.py 8 5 <<<"$bad"
	[ "$status" -eq 1 ]
	[[ "$output" == *"row 2"* ]]
}
