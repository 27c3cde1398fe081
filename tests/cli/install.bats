#!/usr/bin/env bats
# install.bats — make install puts socklab, its labs and its man page under
# PREFIX, and the installed socklab works from outside the source tree (the
# lab sources are embedded); the man page covers every command.

load helpers

setup() {
	common_setup
}

@test "the man page names every command socklab has, and renders without warnings" {
	for c in $("$SOCKLAB" --help | awk '/^commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }'); do
		grep -q "^\\\\fB$c\\\\fR\|^\\.B $c\$\|^\\.BR \"$c \"" docs/socklab.1 ||
			{ echo "docs/socklab.1 does not describe '$c'" >&2; false; }
	done
	if command -v groff >/dev/null; then
		run groff -man -ww -z docs/socklab.1
		[ "$status" -eq 0 ]
		[ -z "$output" ] || { echo "$output"; false; }
	fi
}

@test "make install PREFIX=...: the installed socklab runs a lab from outside the tree, and man finds its page" {
	prefix="$BATS_TEST_TMPDIR/prefix"
	san=0
	[[ "$BUILD" == */san ]] && san=1
	run make --no-print-directory -s install PREFIX="$prefix" BUILD="$BUILD" SAN=$san
	[ "$status" -eq 0 ] || { show_output; false; }
	[ -x "$prefix/bin/socklab" ]
	[ -x "$prefix/libexec/socklab/04-addr-in-use" ]
	[ -f "$prefix/share/man/man1/socklab.1" ]
	# the message catalogs and the translated man page; the installed
	# socklab finds its catalogs beside it (PREFIX/share/locale)
	[ -f "$prefix/share/locale/zh_CN/LC_MESSAGES/socklab.mo" ]
	[ -f "$prefix/share/man/zh_CN/man1/socklab.1" ]
	if command -v gettext >/dev/null; then
		causes=$(TEXTDOMAINDIR="$prefix/share/locale" LANGUAGE=zh_CN LC_ALL=C.UTF-8 \
			gettext -d socklab "Usual causes")
		[ "$causes" != "Usual causes" ]
		run env LANGUAGE=zh_CN LC_ALL=C.UTF-8 "$prefix/bin/socklab" explain 10048
		[[ "$output" == *"$causes"* ]] || { show_output; false; }
	fi
	cd "$BATS_TEST_TMPDIR"
	run "$prefix/bin/socklab" run 4 --markdown
	[ "$status" -eq 0 ] || { show_output; false; }
	# the source came from the binary: the step's code is in the handout
	[[ "$output" == *'EXPECT_ERR(EADDRINUSE, bind(second'* ]]
	run "$prefix/bin/socklab" run "$prefix/libexec/socklab/04-addr-in-use"
	[ "$status" -eq 0 ] || { show_output; false; }
	# the Python labs and their runtime, installed beside it and run from there
	[ -f "$prefix/share/socklab/py/socklab_lab.py" ]
	[ -f "$prefix/share/socklab/py/07tw-the-story.py" ]
	if command -v python3 >/dev/null; then
		run "$prefix/bin/socklab" run 04py --markdown
		[ "$status" -eq 0 ] || { show_output; false; }
		# run from the installed copy, not the tree it was built from
		[[ "$output" == *"Source: \`$prefix/share/socklab/py/04py-addr-in-use.py\`"* ]] ||
			{ show_output; false; }
		[[ "$output" == *'```python'*'expect_err(errno.EADDRINUSE, lambda: second.bind(addr))'* ]]
	fi
	# the exercises' tasks and starters are embedded too
	run "$prefix/bin/socklab" exercise list
	[ "$status" -eq 0 ] || { show_output; false; }
	[[ "$output" == *"08  no-port-exhaustion"* ]]
	run "$prefix/bin/socklab" exercise start 4 "$BATS_TEST_TMPDIR"
	[ "$status" -eq 0 ] || { show_output; false; }
	if command -v cc >/dev/null; then
		run "$prefix/bin/socklab" exercise check 4 "$BATS_TEST_TMPDIR/ex04.c"
		[ "$status" -eq 1 ] || { show_output; false; }
		[[ "$output" == *"client bind: Address already in use"* ]]
	fi
	if command -v man >/dev/null; then
		run env MANWIDTH=80 man -M "$prefix/share/man" socklab
		[ "$status" -eq 0 ] || { show_output; false; }
		[[ "$output" == *"see what the Linux kernel does with ports"* ]]
	fi
}

@test "make install DESTDIR=...: completions where bash-completion and zsh look; make uninstall leaves no file" {
	root="$BATS_TEST_TMPDIR/root"
	san=0
	[[ "$BUILD" == */san ]] && san=1
	run make --no-print-directory -s install DESTDIR="$root" PREFIX=/usr BUILD="$BUILD" SAN=$san
	[ "$status" -eq 0 ] || { show_output; false; }
	[ -x "$root/usr/bin/socklab" ]
	[ -x "$root/usr/libexec/socklab/07-the-story" ]
	[ -f "$root/usr/share/man/man1/socklab.1" ]
	cmp completions/socklab.bash "$root/usr/share/bash-completion/completions/socklab"
	cmp completions/_socklab "$root/usr/share/zsh/vendor-completions/_socklab"
	# every lab socklab has, as an executable of its own
	# (a Python twin is a script of share/socklab/py instead)
	for n in $("$root/usr/bin/socklab" list | awk '/^[0-9][0-9]  / && $2 !~ /-(py|tw)$/ { print $1 "-" $2 }'); do
		[ -x "$root/usr/libexec/socklab/$n" ] || { echo "no libexec/socklab/$n" >&2; false; }
	done
	run make --no-print-directory -s uninstall DESTDIR="$root" PREFIX=/usr
	[ "$status" -eq 0 ] || { show_output; false; }
	run find "$root" ! -type d
	[ -z "$output" ] || { echo "left behind:"; show_output; false; }
	[ ! -e "$root/usr/libexec/socklab" ]
	# a second uninstall has nothing to do, and says nothing is wrong
	run make --no-print-directory -s uninstall DESTDIR="$root" PREFIX=/usr
	[ "$status" -eq 0 ] || { show_output; false; }
}
