#!/bin/sh
# includes.sh [SRC] — the include rules of README's "Layout", checked.
#
# Each folder of src/ may include its own headers and those the table
# below names (a folder, or one header of it); top-level headers (args.h,
# termguard.h, version.h) are for the folders above the bottom ones (not
# lab/, inspect/, errtab/, sandbox/, proc/, kver/, wire/), and cmd.h and runopts.h, the
# commands' glue, for the commands alone.  A few rules are
# about single files.  Prints one line per broken rule and exits 1; 0 and
# a summary line when every rule holds.  SRC defaults to ./src.
set -eu
src=${1:-src}
[ -d "$src" ] || { echo "includes: no directory $src" >&2; exit 2; }

# folder: what it may include besides itself ("-": nothing of ours)
rules='
lab: sandbox kver
kver: -
sandbox: -
proc: -
errtab: -
inspect: -
doctor: inspect errtab
runner: lab inspect proc sandbox wire/wire.h
render: errtab exercise inspect lab runner/steps.h runner/registry.h wire
exercise: inspect proc sandbox wire runner/registry.h
tui: errtab inspect lab play proc render runner sandbox trace wire
play: lab sandbox doctor errtab inspect proc
trace: lab proc doctor inspect/pidfd.h inspect/embed.h inspect/bpf_types.h
wire: -
'

bad=0
say() { echo "includes: $*"; bad=1; }

# "FILE HEADER" for every #include "..." of ours under src/
list() {
	find "$src" -name '*.[ch]' | sort | while read -r f; do
		sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f" | while read -r h; do
			echo "${f#"$src"/} $h"
		done
	done
}

list > "${TMPDIR:-/tmp}/includes.$$"
trap 'rm -f "${TMPDIR:-/tmp}/includes.$$"' EXIT
n=0
while read -r f h; do
	n=$((n + 1))
	case $f in
	*/*) dir=${f%%/*} ;;
	*) dir= ;;
	esac
	case $h in
	*/*) hdir=${h%%/*} ;;
	*) hdir= ;;
	esac
	# the commands' glue stays in the commands
	case $h in
	cmd.h | runopts.h)
		[ -z "$dir" ] || say "$f includes $h: only the commands (src/*.c) may"
		continue ;;
	esac
	if [ -z "$hdir" ]; then
		# a header of the file's own folder, or a top-level one
		[ -n "$dir" ] && [ -e "$src/$dir/$h" ] && continue
		case $dir in
		lab) say "$f includes top-level $h: a lab links only lab/, sandbox/ and kver/" ;;
		inspect | errtab | sandbox | proc | kver | wire) say "$f includes top-level $h: $dir/ includes nothing of ours" ;;
		esac
		continue
	fi
	[ -z "$dir" ] && continue	# the commands are glue: anything
	[ "$hdir" = "$dir" ] && continue
	allowed=$(echo "$rules" | sed -n "s/^$dir: //p")
	[ -n "$allowed" ] || { say "$f: folder $dir/ has no rule in includes.sh"; continue; }
	ok=0
	for a in $allowed; do
		[ "$a" = "$hdir" ] || [ "$a" = "$h" ] && ok=1
	done
	[ "$ok" = 1 ] || say "$f includes $h: $dir/ may include ${allowed} only"
done < "${TMPDIR:-/tmp}/includes.$$"

# single files: in tui/ only the controller talks to the runner; the
# doctor's rules and scenarios are the model and its kernel runs (never
# the inspector: a scenario knows its sockets, it does not read them);
# render/ reads no kernel and draws no curses
grep -l '#include "runner/runner.h"' "$src"/tui/*.[ch] 2>/dev/null | while read -r f; do
	[ "${f#"$src"/}" = tui/dash.c ] || echo "includes: ${f#"$src"/} includes runner/runner.h: in tui/ only dash.c may"
done | grep . && bad=1
# in tui/ only the controller calls the collectors and the runner
for f in "$src"/tui/*.[ch]; do
	[ "${f#"$src"/}" = tui/dash.c ] && continue
	if grep -Eq '\b(inspect_(open|dump|query|owners|flags|flags_at|destroyed_open|destroyed_read|igmp)|runner_[a-z_]+)\(' "$f"; then
		say "${f#"$src"/} calls the inspector's collectors or the runner: in tui/ only dash.c may"
	fi
done
for f in "$src"/doctor/rules.[ch] "$src"/doctor/scenario.[ch]; do
	[ -e "$f" ] || continue
	if grep -q '#include "inspect/' "$f"; then
		say "${f#"$src"/} includes the inspector: the doctor's rules are the pure model"
	fi
done
for f in "$src"/render/*.[ch]; do
	if grep -Eq '#include <(n?curses|panel|sys/socket|net/if|linux/[a-z_]+)\.h>' "$f"; then
		say "${f#"$src"/} includes curses or a kernel interface: render/ formats what it is handed"
	fi
done

[ "$bad" = 0 ] || exit 1
echo "includes: $n includes in $src, every rule of README's Layout holds"
