#!/bin/sh
# po.sh — the message catalogs are complete: every message the sources
# mark (_() and N_(), and the labs' narration: po/extract.sh, afresh) is
# translated in every po/LANG.po, none fuzzy, and msgfmt --check passes.
# A new English message without its translation fails here, naming it.
# The same for the man page (po/man, po4a): its catalogs translate every
# paragraph of docs/socklab.1, and docs/LANG/socklab.1 is what they make.
set -eu
tmp=$(mktemp -d "${TMPDIR:-/tmp}/socklab-po.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
sh po/extract.sh "$tmp/fresh.pot"
bad=0
for po in po/*.po; do
	[ -e "$po" ] || continue
	lang=$(basename "$po" .po)
	# msgcmp: each message of the sources has a translation in $po
	if ! msgcmp "$po" "$tmp/fresh.pot" 2> "$tmp/cmp"; then
		echo "po: $lang lacks translations:" >&2
		sed 's/^/  /' "$tmp/cmp" >&2
		bad=1
	fi
	stats=$(msgfmt --check --statistics -o /dev/null "$po" 2>&1) || { echo "po: $po: $stats" >&2; bad=1; }
	case $stats in
	*fuzzy* | *untranslated*) echo "po: $lang: $stats" >&2; bad=1 ;;
	esac
	echo "po: $lang: $stats"
done

# the man page: po4a, run on a copy of the tree's page and catalogs
if command -v po4a >/dev/null 2>&1; then
	mkdir -p "$tmp/man/docs" "$tmp/man/po"
	cp docs/socklab.1 "$tmp/man/docs/"
	cp -r po/man "$tmp/man/po/"
	if ! (cd "$tmp/man" && po4a -q po/man/po4a.cfg) > "$tmp/po4a" 2>&1; then
		echo "po: man: po4a failed:" >&2
		sed 's/^/  /' "$tmp/po4a" >&2
		bad=1
	fi
	for po in po/man/*.po; do
		[ -e "$po" ] || continue
		lang=$(basename "$po" .po)
		stats=$(msgfmt --statistics -o /dev/null "$tmp/man/$po" 2>&1) || true
		case $stats in
		*fuzzy* | *untranslated*)
			echo "po: man $lang: $stats: paragraphs of docs/socklab.1 lack a translation (make man-po, then translate po/man/$lang.po)" >&2
			bad=1 ;;
		esac
		if ! cmp -s "$tmp/man/docs/$lang/socklab.1" "docs/$lang/socklab.1"; then
			echo "po: man $lang: docs/$lang/socklab.1 is not what po/man/$lang.po makes (make man-po)" >&2
			bad=1
		fi
		echo "po: man $lang: $stats"
	done
else
	echo "po: man: skipped: no po4a here (Debian: apt-get install po4a)"
fi
exit "$bad"
