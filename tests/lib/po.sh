#!/bin/sh
# po.sh — the message catalogs are complete: every message the sources
# mark (_() and N_(), and the labs' narration: po/extract.sh, afresh) is
# translated in every
# po/LANG.po, none fuzzy, and msgfmt --check passes.  A new English message
# without its translation fails here, naming it.
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
exit "$bad"
