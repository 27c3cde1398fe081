#!/usr/bin/env bats
# completion.bats — the shell completions as installed by `make install`:
# bash's completion function driven with COMP_WORDS/COMP_CWORD, zsh's
# through tmux (keys in, screen out).  What they offer comes from the
# installed binary (`socklab __complete ...`); the drift test compares it
# with the getopt tables and hand-parsed options in src/cmd_*.c, and with
# each command's --help.

load helpers

setup_file() {
	cd "$BATS_TEST_DIRNAME/../.." || return 1
	PREFIX_DIR="$BATS_FILE_TMPDIR/prefix"
	local san=0
	[[ "$BUILD" == */san ]] && san=1
	make --no-print-directory -s install PREFIX="$PREFIX_DIR" BUILD="$BUILD" SAN=$san >&2
	export PREFIX_DIR
}

setup() {
	common_setup
	BASH_FILE="$PREFIX_DIR/share/bash-completion/completions/socklab"
	ZSH_DIR="$PREFIX_DIR/share/zsh/vendor-completions"
	export PATH="$PREFIX_DIR/bin:$PATH"
}

teardown() {
	tmux_done
}

# complete WORD...: what bash offers for the last WORD (the one being
# typed), one a line, sorted; the installed completion sourced in a fresh
# bash, socklab found on PATH (the installed one)
complete_bash() {
	bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		_socklab; printf "%s\n" "${COMPREPLY[@]}"' _ "$BASH_FILE" "$@" | sort
}

# The options a command really parses, from its source: the getopt
# tables' names (RUNOPTS_LONGOPTS and CMD_NETNS_LONGOPTS expanded), the
# short options, and any option compared by hand (strcmp(argv[i], "--x"));
# plus --help, which cmd_exec() (src/cmd.c) takes for every command.
source_options() {
	local f="src/cmd_$1.c"
	{
		echo --help
		sed -nE 's/.*\{ "([a-z0-9-]+)", (no|required|optional)_argument.*/--\1/p' "$f"
		grep -q RUNOPTS_LONGOPTS "$f" &&
			sed -nE 's/.*\{ "([a-z0-9-]+)", (no|required|optional)_argument.*/--\1/p' src/runopts.h
		grep -q CMD_NETNS_LONGOPTS "$f" &&
			sed -nE 's/.*\{ "([a-z0-9-]+)", (no|required|optional)_argument.*/--\1/p' src/cmd.h
		grep -oE 'strcmp\(argv\[[a-z0-9]+\], "-[^"]+"\)' "$f" | grep -oE '"-[^"]+"' | tr -d '"'
		# short options: a shortopts[] string, or the literal in getopt_long()
		grep -oE 'shortopts\[\] = "[^"]*"|getopt_long\(argc, argv, "[^"]*"' "$f" |
			grep -oE '"[^"]*"' | tr -d '":' | grep -o . | sed 's/^/-/'
	} | sort -u
}

@test "sourcing the installed bash completion registers it for socklab" {
	[ -f "$BASH_FILE" ]
	run bash -c 'source "$1" && complete -p socklab' _ "$BASH_FILE"
	[ "$status" -eq 0 ] || { show_output; false; }
	[ "$output" = "complete -F _socklab socklab" ]
}

@test "bash-completion's loader finds the installed file under PREFIX/share" {
	[ -f /usr/share/bash-completion/bash_completion ] || skip "bash-completion not installed"
	# bash-completion looks in DIR/bash-completion/completions for each DIR
	# of XDG_DATA_DIRS (/usr/local/share:/usr/share by default)
	XDG_DATA_DIRS="$PREFIX_DIR/share:/usr/share" run bash -c '
		source /usr/share/bash-completion/bash_completion
		complete -r socklab 2>/dev/null; __load_completion socklab && complete -p socklab'
	[ "$status" -eq 0 ] || { show_output; false; }
	[ "$output" = "complete -F _socklab socklab" ]
}

@test "socklab <TAB> lists the commands of socklab --help, and help" {
	want=$( { "$SOCKLAB" --help | awk '/^commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }'
		echo help; } | sort)
	[ -n "$want" ]
	run complete_bash socklab ''
	[ "$output" = "$want" ] || { show_output; echo "want: $want"; false; }
	run complete_bash socklab w
	[ "$output" = "$(printf 'watch\nwhy')" ] || { show_output; false; }
	run complete_bash socklab help m
	[ "$output" = matrix ] || { show_output; false; }
}

@test "socklab run 0<TAB> lists the labs 01-09 that socklab list has; slugs complete too" {
	# a Python twin by its key: 07py (the number and its slug's suffix)
	want=$("$SOCKLAB" list | awk '/^0[0-9]  / { k = $1; if ($2 ~ /-(py|tw)$/) k = k substr($2, length($2) - 1); print k }' | sort)
	[ -n "$want" ]
	run complete_bash socklab run 0
	[ "$output" = "$want" ] || { show_output; echo "want: $want"; false; }
	# after an option and its value, still the lab
	run complete_bash socklab run --port-base 45000 0
	[ "$output" = "$want" ] || { show_output; false; }
	run complete_bash socklab check 04 the-
	[ "$output" = "$(printf 'the-story\nthe-story-py\nthe-story-tw')" ] || { show_output; false; }
	run complete_bash socklab dash addr-in
	[ "$output" = "$(printf 'addr-in-use\naddr-in-use-py')" ] || { show_output; false; }
	# one lab for run: nothing after it; the value of --port-base: no guess
	run complete_bash socklab run 04 ''
	[ -z "$output" ] || { show_output; false; }
	run complete_bash socklab run --port-base ''
	[ -z "$output" ] || { show_output; false; }
}

@test "socklab watch --<TAB> lists watch's options" {
	run complete_bash socklab watch --
	[ "$status" -eq 0 ]
	want=$("$SOCKLAB" watch --help | grep -o -- '--[a-z][a-z0-9-]*' | sort -u)
	for o in $want; do
		grep -qx -- "$o" <<<"$output" || { show_output; echo "missing $o" >&2; false; }
	done
	grep -qx -- --netns-of <<<"$output"
	if grep -qx -- --tap <<<"$output"; then echo "watch offers check's --tap" >&2; false; fi
}

@test "every option a command parses (its source) or documents (--help) is offered, and no other" {
	for c in $("$SOCKLAB" __complete commands | cut -f1); do
		[ -f "src/cmd_$c.c" ] || { echo "no src/cmd_$c.c for '$c'" >&2; false; }
		src=$(source_options "$c")
		documented=$("$SOCKLAB" "$c" --help | grep -oE -- '(^|[^a-z0-9-])--?[a-z0-9][a-z0-9-]*' |
			grep -oE -- '--?[a-z0-9][a-z0-9-]*' | grep -E -- '^--|^-.$' | sort -u)
		# exercise: each subcommand's options after its N (check: and FILE)
		if [ "$c" = exercise ]; then
			offered=$({ complete_bash socklab exercise check 4 ex04.c -
				    complete_bash socklab exercise start 4 dir -
				    complete_bash socklab exercise grade 4 dir -
				    complete_bash socklab exercise package 4 -; } | sort -u)
		else
			offered=$(complete_bash socklab "$c" -)
		fi
		[ "$offered" = "$src" ] ||
			{ echo "$c: source has: $src" >&2; echo "offered: $offered" >&2; false; }
		for o in $documented; do
			grep -qx -- "$o" <<<"$offered" || { echo "$c --help documents $o, not offered" >&2; false; }
		done
	done
}

@test "exercise: subcommands, exercise numbers, a directory for start, .c and .py files for check, --tap last" {
	run complete_bash socklab exercise ''
	[ "$output" = "$(printf 'check\ngrade\nlist\npackage\nshow\nstart')" ] || { show_output; false; }
	want=$("$SOCKLAB" exercise list | awk '/^0[0-9]  / { print $1 }' | sort)
	run complete_bash socklab exercise show 0
	[ "$output" = "$want" ] || { show_output; false; }
	mkdir -p "$BATS_TEST_TMPDIR/w/sub"
	touch "$BATS_TEST_TMPDIR/w/ex04.c" "$BATS_TEST_TMPDIR/w/ex05.py" "$BATS_TEST_TMPDIR/w/notes.txt"
	cd "$BATS_TEST_TMPDIR/w"
	run complete_bash socklab exercise check 4 ''
	[ "$(sort <<<"$output")" = "$(printf 'ex04.c\nex05.py\nsub')" ] || { show_output; false; }
	run complete_bash socklab exercise start 4 ''
	[ "$output" = sub ] || { show_output; false; }
	run complete_bash socklab exercise check 4 ex04.c --
	[ "$output" = "$(printf -- '--gradescope\n--help\n--junit\n--prairielearn\n--tap')" ] ||
		{ show_output; false; }
	run complete_bash socklab exercise grade 4 sub ''
	[ "$(sort <<<"$output")" = "$(printf 'ex04.c\nex05.py\nsub')" ] || { show_output; false; }
	run complete_bash socklab exercise grade 4 sub --
	[ "$output" = "$(printf -- '--csv\n--help\n--jobs\n--json\n--junit\n--markdown')" ] ||
		{ show_output; false; }
	run complete_bash socklab exercise start 4 sub --
	[ "$output" = "$(printf -- '--help\n--python')" ] || { show_output; false; }
	run complete_bash socklab exercise show --
	[ "$output" = --help ] || { show_output; false; }
}

@test "paths: run ./PATH, watch --netns PATH, explain's codes" {
	mkdir -p "$BATS_TEST_TMPDIR/w/nsdir"
	touch "$BATS_TEST_TMPDIR/w/lab04"
	cd "$BATS_TEST_TMPDIR/w"
	run complete_bash socklab run ./l
	[ "$output" = ./lab04 ] || { show_output; false; }
	run complete_bash socklab watch --netns ns
	[ "$output" = nsdir ] || { show_output; false; }
	run complete_bash socklab explain EADDRI
	[ "$output" = EADDRINUSE ] || { show_output; false; }
	run complete_bash socklab explain WSAEADDRI
	[ "$output" = WSAEADDRINUSE ] || { show_output; false; }
}

@test "__complete: a wrong request is one line on stderr and exit 2" {
	run --separate-stderr "$SOCKLAB" __complete options nosuch
	[ "$status" -eq 2 ]
	[ "$stderr" = "socklab: __complete options: no command 'nosuch'" ] || { show_output; false; }
	run --separate-stderr "$SOCKLAB" __complete
	[ "$status" -eq 2 ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	# hidden: not among the commands
	if "$SOCKLAB" --help | grep -q __complete; then echo "--help shows __complete" >&2; false; fi
}

@test "zsh: compinit loads the installed _socklab for socklab" {
	command -v zsh >/dev/null || skip "zsh not installed (apt-get install zsh)"
	run zsh -fc 'fpath=("$1" $fpath); autoload -U compinit; compinit -u -d "$2/zcompdump"
		print -r -- $_comps[socklab]' _ "$ZSH_DIR" "$BATS_TEST_TMPDIR"
	[ "$status" -eq 0 ] || { show_output; false; }
	[ "$output" = _socklab ] || { show_output; false; }
}

@test "zsh: socklab run 0<TAB> and socklab watch --<TAB> in a real zsh (tmux)" {
	command -v zsh >/dev/null || skip "zsh not installed (apt-get install zsh)"
	tmux_needed
	T="$BATS_TEST_TMPDIR"
	cat > "$T/.zshrc" <<-EOF
		fpath=("$ZSH_DIR" \$fpath)
		autoload -U compinit; compinit -u -d "$T/zcompdump"
		PS1='%% '
	EOF
	tmux_start -x 150 -y 40 "env ZDOTDIR=$T PATH=$PATH zsh -i"
	tmux_wait '^%'
	tmux_keys 'socklab run 0' Tab
	local ok=0
	tmux_wait 'first-bind' && tmux_wait '09' && ok=1
	tmux_keys C-u
	if [ $ok = 1 ]; then
		tmux_keys C-l 'socklab watch --' Tab
		tmux_wait 'netns-of' || ok=0
	fi
	screen_text=$(tmux_screen)
	[ $ok = 1 ] || { echo "$screen_text"; false; }
	# no lab 10-19 offered for a 0 prefix
	if grep -q 'most-specific-wins' <<<"$screen_text"; then echo "$screen_text"; false; fi
}

@test "socklab watch --state <TAB>: the states watch takes, after a comma too" {
	run complete_bash socklab watch --state time
	[ "$output" = time-wait ] || { show_output; false; }
	run complete_bash socklab watch --state listen,time
	[ "$output" = listen,time-wait ] || { show_output; false; }
	# every name offered is one watch accepts, and the list is watch's
	for s in $("$SOCKLAB" __complete states); do
		"$SOCKLAB" watch --once --state "$s" >/dev/null || { echo "watch refuses --state $s" >&2; false; }
	done
	run complete_bash socklab watch --state ''
	[ "${#lines[@]}" -eq "$("$SOCKLAB" __complete states | wc -l)" ] || { show_output; false; }
}
