#!/bin/sh
# docs.sh BUILD [--check] — the transcripts of docs/labs/NN-slug.md, and
# of the translated pages docs/LANG/labs/NN-slug.md (po/LANG.po).
#
# Each page is written by hand down to its marker line; below it goes the
# output of `socklab run NN --markdown` (in the page's language: the
# build's catalogs, LANGUAGE=LANG).  A transcript is rewritten only
# when the lab's steps or expectations changed: numbers the kernel picks
# anew each run (ephemeral ports, timers) are not a change, so on a clean
# checkout `make docs` leaves the tree as it is.
#   --check   change nothing; list the pages that are out of date, exit 1
set -eu
build=${1:-build}
check=${2:-}
marker='<!-- make docs: generated from `socklab run NN --markdown`; do not edit below -->'
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
stale=0

# What must match: words and structure, not what differs from run to run:
# numbers the kernel picks (ports, timers) and the order of rows that tie
# on everything but their inode (inode numbers are not allocated in order).
norm() {
	# (and in notes and table rows, every number: counts a lab measured,
	# like datagrams per socket of a reuseport group, queues it filled;
	# and what a call returned when it succeeded: descriptor numbers
	# depend on what the caller left open)
	sed -E -e 's/[0-9]+\.[0-9]+s/T/g' -e 's/[0-9]{4,}/N/g' \
		-e '/^- (✔|✘)/!{/^- /s/[0-9]+/N/g}' \
		-e '/^\| [-+~ ] \|/s/[0-9]+/N/g' \
		-e 's/→ [0-9]+ —/→ N —/' "$1" | awk '
		function flush(  i, j, t) {
			for (i = 2; i <= n; i++)
				for (j = i; j > 1 && row[j - 1] > row[j]; j--) {
					t = row[j]; row[j] = row[j - 1]; row[j - 1] = t
				}
			for (i = 1; i <= n; i++)
				print row[i]
			n = 0
		}
		/^\| [-+~ ] \|/ { row[++n] = $0; next }
		{ flush(); print }
		END { flush() }'
}

# page PAGE NUM LANG: PAGE's transcript, of `socklab run NUM --markdown`
# in language LANG ("" English), checked or rewritten
page() {
	file=$1 num=$2 lang=$3
	mark=$(printf '%s' "$marker" | sed "s/NN/$num/")
	if [ ! -f "$file" ]; then
		echo "docs: $file is missing (write its prose, end it with the marker line)" >&2
		stale=1
		return
	fi
	if ! grep -qxF "$mark" "$file"; then
		echo "docs: $file has no marker line: $mark" >&2
		stale=1
		return
	fi
	# the hand-written part, the marker included; then the committed transcript
	awk -v m="$mark" '{ print } $0 == m { exit }' "$file" > "$tmp/head"
	awk -v m="$mark" 'on { print } $0 == m { on = 1 }' "$file" | sed '1{/^$/d}' > "$tmp/old"
	# the pages are UTF-8 whatever the caller's locale (socklab draws by it)
	# (a Python lab names its file by its absolute path, in any language:
	# the tree's own, wherever the tree is, reads labs/py/...)
	if ! LC_ALL=C.UTF-8 LANGUAGE=$lang SOCKLAB_LOCALEDIR="$build/locale" \
		"$build/socklab" run "$num" --markdown > "$tmp/run" ||
	   ! sed 's|`/[^`]*/labs/py/|`labs/py/|' "$tmp/run" > "$tmp/new"; then
		echo "docs: socklab run $num --markdown failed: the lab's expectations do not hold here" >&2
		stale=1
		return
	fi
	norm "$tmp/old" > "$tmp/old.n"
	norm "$tmp/new" > "$tmp/new.n"
	if cmp -s "$tmp/old.n" "$tmp/new.n"; then
		return
	fi
	if [ "$check" = --check ]; then
		echo "docs: $file is out of date (make docs):" >&2
		diff "$tmp/old.n" "$tmp/new.n" | head -20 >&2 || true
		stale=1
	else
		{ cat "$tmp/head"; echo; cat "$tmp/new"; } > "$file"
		echo "docs: $file updated"
	fi
}

for src in labs/[0-9][0-9]-*.c labs/py/[0-9][0-9]*.py; do
	[ -e "$src" ] || continue
	name=$(basename "$(basename "$src" .c)" .py)
	num=${name%%-*}		# 04, or a Python twin's 04py
	page "docs/labs/$name.md" "$num" ""
	# its translations: every language with a catalog has its pages
	for po in po/*.po; do
		[ -e "$po" ] || continue
		lang=$(basename "$po" .po)
		page "docs/$lang/labs/$name.md" "$num" "$lang"
	done
done
exit $stale
