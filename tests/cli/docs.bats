#!/usr/bin/env bats
# docs.bats — the lab pages: one per lab, linked from the README, and their
# transcripts in step with what the labs do (tools/docs.sh, `make docs`).

load helpers

setup() {
	common_setup
}

@test "every lab has a page, and the README links it" {
	for src in labs/[0-9][0-9]-*.c labs/py/[0-9][0-9]*.py; do
		name=$(basename "$(basename "$src" .c)" .py)
		[ -f "docs/labs/$name.md" ] || { echo "no docs/labs/$name.md" >&2; false; }
		grep -qF "(docs/labs/$name.md)" README.md || { echo "README does not link $name" >&2; false; }
		for section in "## The idea" "## What to watch in the table" "## Questions for the reader" "## Transcript"; do
			grep -qxF "$section" "docs/labs/$name.md" || { echo "$name: no '$section'" >&2; false; }
		done
	done
}

@test "every lab has a page in each language with a catalog, in the same shape as the English" {
	for po in po/*.po; do
		lang=$(basename "$po" .po)
		for src in labs/[0-9][0-9]-*.c labs/py/[0-9][0-9]*.py; do
			name=$(basename "$(basename "$src" .c)" .py)
			page="docs/$lang/labs/$name.md"
			[ -f "$page" ] || { echo "no $page" >&2; false; }
			# the generated part starts at the same marker line
			tail_en=$(grep -F '<!-- make docs: generated' "docs/labs/$name.md")
			grep -qxF "$tail_en" "$page" || { echo "$page: no marker line" >&2; false; }
			grep -qF "(../../labs/$name.md)" "$page" || { echo "$page: no link to the English" >&2; false; }
			# it states the same rules: the same claims, in the same order
			diff <(grep -o '<!-- claim: [a-z0-9-]* -->' "docs/labs/$name.md") \
			     <(grep -o '<!-- claim: [a-z0-9-]* -->' "$page") ||
				{ echo "$page: not the English page's claims" >&2; false; }
		done
	done
}

@test "make docs would change nothing: every committed transcript matches its lab's steps and expectations" {
	# like with like: the committed transcripts are root's (a second uid in
	# the sandbox, flags read by the BPF reader); the test just below checks
	# docs.sh itself for any user
	[ "$(id -u)" = 0 ] || skip "the committed transcripts are made as root (make docs): a user's run shows no uid column and ? flags"
	skip_unless_bpf_built "the transcripts show the TIME-WAIT flags it reads (labs 14, 15, 18)"
	run --separate-stderr sh tools/docs.sh "$BUILD" --check
	[ "$status" -eq 0 ] || { show_output; false; }
}

@test "a transcript that no longer matches its lab is caught, and make docs rewrites it" {
	# a copy of the tree's labs and pages, one page's expectation altered
	mkdir -p "$BATS_TEST_TMPDIR/t/labs" "$BATS_TEST_TMPDIR/t/docs"
	cp labs/04-addr-in-use.c "$BATS_TEST_TMPDIR/t/labs/"
	cp -r docs/labs "$BATS_TEST_TMPDIR/t/docs/"
	page="$BATS_TEST_TMPDIR/t/docs/labs/04-addr-in-use.md"
	sed -i 's/^- ✔ `bind(second/- ✔ `connect(second/' "$page"
	grep -q 'connect(second' "$page"
	cd "$BATS_TEST_TMPDIR/t"
	run --separate-stderr sh "$REPO_ROOT/tools/docs.sh" "$BUILD" --check
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"docs/labs/04-addr-in-use.md is out of date"* ]]
	run sh "$REPO_ROOT/tools/docs.sh" "$BUILD"
	[ "$status" -eq 0 ]
	[[ "$output" == *"04-addr-in-use.md updated"* ]]
	! grep -q 'connect(second' "$page" || false
	grep -q '^- ✔ `bind(second' "$page"
	run sh "$REPO_ROOT/tools/docs.sh" "$BUILD" --check
	[ "$status" -eq 0 ]
}
