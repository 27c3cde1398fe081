#!/bin/sh
# claims.sh TAPFILE — every rule a text states is backed by a lab
# expectation that the kernel checked (docs/claims.md).
#
# Reads the table of docs/claims.md (| id | rule | stated in | proved by |),
# the CLAIM("id") calls in labs/*.c, the markers in docs/ src/ labs/
# exercises/ (Markdown `<!-- claim: ID -->`, C `/* claim: ID */`) and the
# TAP output of `socklab check --tap`.  One line per problem on stdout,
# exit 1 when there is one:
#   - a row's claim has no TAP point, or one that is `not ok` (a `# SKIP`
#     is reported, and allowed only with a reason);
#   - a CLAIM() in labs/ has no row;
#   - a marker names an id with no row, or sits in a file its row does not
#     list;
#   - a row lists a file that carries no marker for it.
# A translation states its source's rules: a marker in docs/LANG/X counts
# as one in docs/X, in README.LANG.md as one in README.md (docs.bats checks
# that a translated page carries the same markers as its source).
# CLAIMS_ROOT: the tree to read (default: the repository this script is in).
set -eu

if [ $# -ne 1 ] || [ ! -r "$1" ]; then
	echo "usage: sh tests/lib/claims.sh TAPFILE (the output of socklab check --tap)" >&2
	exit 2
fi
tap=$1
root=${CLAIMS_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
table=$root/docs/claims.md
[ -r "$table" ] || { echo "claims.sh: no table $table" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# rows: id <TAB> stated-in files (space-separated)
awk -F'|' '
function trim(s) { gsub(/^[ \t`]+|[ \t`]+$/, "", s); return s }
/^\|/ && NF >= 6 {
	id = trim($2)
	if (id == "id" || id !~ /^[a-z0-9][a-z0-9-]*$/) next	# header, separator
	files = $4
	gsub(/`/, "", files); gsub(/,/, " ", files); gsub(/[ \t]+/, " ", files)
	print id "\t" trim(files)
}' "$table" > "$tmp/rows"

# markers: id <TAB> file it counts for <TAB> file it is in (relative to
# root); docs/claims.md is the table itself
(cd "$root" && find docs src labs exercises -type f \( -name '*.md' -o -name '*.c' -o -name '*.h' \) \
	! -path docs/claims.md 2>/dev/null | sort | while read -r f; do
	src=$(echo "$f" | sed -E 's#^docs/[a-z]{2}_[A-Z]{2}/#docs/#; s#/README\.[a-z]{2}_[A-Z]{2}\.md$#/README.md#')
	sed -n 's/.*<!-- claim: \([a-z0-9-]*\) -->.*/\1/p; s/.*\/\* claim: \([a-z0-9-]*\) \*\/.*/\1/p' "$f" |
		sort -u | sed "s|\$|	$src	$f|"
done) > "$tmp/markers"

# CLAIM("id") in the labs: id <TAB> file
(cd "$root" && for f in labs/*.c; do
	sed -n 's/.*CLAIM("\([^"]*\)").*/\1/p' "$f" | sort -u | sed "s|\$|	$f|"
done) > "$tmp/claims"

awk -F'\t' -v rows="$tmp/rows" -v markers="$tmp/markers" -v claims="$tmp/claims" '
BEGIN {
	while ((getline l < rows) > 0) {
		split(l, a, "\t"); id = a[1]; row[id] = 1; order[++n] = id
		m = split(a[2], fs, " ")
		for (i = 1; i <= m; i++) { listed[id, fs[i]] = 1; lists[id] = lists[id] " " fs[i] }
	}
	while ((getline l < markers) > 0) {
		split(l, a, "\t")
		if (a[2] == a[3]) marked[a[1], a[2]] = 1	# a translation does not stand in for its source
		if (!(a[1] in row)) { printf "%s: marker for claim %s, which has no row in docs/claims.md\n", a[2], a[1]; bad = 1 }
		else if (!((a[1], a[2]) in listed)) { printf "%s: marker for claim %s, but its row does not list this file\n", a[2], a[1]; bad = 1 }
	}
	while ((getline l < claims) > 0) {
		split(l, a, "\t")
		if (!(a[1] in row)) { printf "%s: CLAIM(\"%s\") has no row in docs/claims.md\n", a[2], a[1]; bad = 1 }
	}
	for (k = 1; k <= n; k++) {
		id = order[k]
		m = split(lists[id], fs, " ")
		for (i = 1; i <= m; i++)
			if (!((id, fs[i]) in marked)) { printf "docs/claims.md: claim %s lists %s, which carries no marker for it\n", id, fs[i]; bad = 1 }
	}
}
# TAP: "ok 12 - 06 reuse-both-sides: claim ID (step 5)", "not ok ...", "... # SKIP why"
/^(not )?ok [0-9]+ - .*: claim [a-z0-9-]+ \(/ {
	line = $0
	sub(/.*: claim /, "", line); id = line; sub(/ .*/, "", id)
	if ($0 ~ /^not ok/) { notok[id] = notok[id] "\n  " $0; next }
	if ($0 ~ / # SKIP/) {
		why = $0; sub(/.* # SKIP */, "", why)
		if (why == "") { printf "claim %s: skipped without a reason\n", id; bad = 1 }
		else skipped[id] = skipped[id] "; " why
		seen[id] = 1
		next
	}
	ok[id] = 1; seen[id] = 1
}
END {
	for (k = 1; k <= n; k++) {
		id = order[k]
		if (id in notok) { printf "claim %s: not proven by this kernel:%s\n", id, notok[id]; bad = 1 }
		else if (!(id in seen)) { printf "claim %s: no TAP point (no lab step proves it)\n", id; bad = 1 }
		else if (!(id in ok)) printf "claim %s: skipped here%s (allowed: a reason is given)\n", id, skipped[id]
	}
	if (!bad) printf "claims: %d rules, each backed by a kernel-checked lab step\n", n
	exit bad
}' "$tap"
