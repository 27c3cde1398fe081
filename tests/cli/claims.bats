#!/usr/bin/env bats
bats_require_minimum_version 1.5.0
# tests/lib/claims.sh: every rule of docs/claims.md has a kernel-checked TAP
# point, and each way the table, the labs and the texts drift apart is caught.

load helpers

setup_file() {
	export TREE="$BATS_FILE_TMPDIR/tree"
	mkdir -p "$TREE"
	cp -r docs labs src "$TREE"/
	[ -d exercises ] && cp -r exercises "$TREE"/
	"${SOCKLAB_BUILD:-build}/socklab" check --tap > "$BATS_FILE_TMPDIR/check.tap" </dev/null || true
}

setup() {
	common_setup
	rm -rf "$BATS_TEST_TMPDIR/t"
	cp -r "$TREE" "$BATS_TEST_TMPDIR/t"
	cp "$BATS_FILE_TMPDIR/check.tap" "$BATS_TEST_TMPDIR/check.tap"
	export CLAIMS_ROOT="$BATS_TEST_TMPDIR/t"
	TAP="$BATS_TEST_TMPDIR/check.tap"
}

@test "claims.sh: this kernel backs every claim of the table" {
	run sh tests/lib/claims.sh "$TAP"
	[ "$status" -eq 0 ] || { show_output; false; }
	[[ "$output" == *"each backed by a kernel-checked lab step"* ]]
}

@test "claims.sh: a claim's TAP point removed is caught" {
	grep -q ': claim holder-flag-read-late (' "$TAP"
	sed -i '/: claim holder-flag-read-late (/d' "$TAP"
	run sh tests/lib/claims.sh "$TAP"
	[ "$status" -eq 1 ] || { show_output; false; }
	[[ "$output" == *"claim holder-flag-read-late: no TAP point"* ]] || { show_output; false; }
}

@test "claims.sh: a claim's TAP point turned not ok is caught" {
	sed -i 's/^ok \([0-9]* - .*: claim reuse-both-shares (\)/not ok \1/' "$TAP"
	grep -q '^not ok .*claim reuse-both-shares' "$TAP"
	run sh tests/lib/claims.sh "$TAP"
	[ "$status" -eq 1 ] || { show_output; false; }
	[[ "$output" == *"claim reuse-both-shares: not proven"* ]] || { show_output; false; }
}

@test "claims.sh: a SKIP without a reason is caught, one with a reason allowed" {
	sed -i 's/^\(ok [0-9]* - .*: claim addr-in-use ([^)]*)\)$/\1 # SKIP no second uid/' "$TAP"
	run sh tests/lib/claims.sh "$TAP"
	[ "$status" -eq 0 ] || { show_output; false; }
	[[ "$output" == *"claim addr-in-use: skipped here; no second uid"* ]] || { show_output; false; }
	sed -i 's/ # SKIP no second uid$/ # SKIP/' "$TAP"
	run sh tests/lib/claims.sh "$TAP"
	[ "$status" -eq 1 ] || { show_output; false; }
	[[ "$output" == *"claim addr-in-use: skipped without a reason"* ]] || { show_output; false; }
}

@test "claims.sh: a CLAIM() without a row is caught" {
	sed -i '/^| reuseport-rehash |/d' "$CLAIMS_ROOT/docs/claims.md"
	run sh tests/lib/claims.sh "$TAP"
	[ "$status" -eq 1 ] || { show_output; false; }
	[[ "$output" == *'labs/08-reuseport-balance.c: CLAIM("reuseport-rehash") has no row'* ]] || { show_output; false; }
}

@test "claims.sh: a marker without a row, or in a file its row does not list, is caught" {
	echo '<!-- claim: no-such-rule -->' >> "$CLAIMS_ROOT/docs/labs/01-first-bind.md"
	echo '/* claim: addr-in-use */' >> "$CLAIMS_ROOT/src/lab/claim.c"
	run sh tests/lib/claims.sh "$TAP"
	[ "$status" -eq 1 ] || { show_output; false; }
	[[ "$output" == *"docs/labs/01-first-bind.md: marker for claim no-such-rule, which has no row"* ]] || { show_output; false; }
	[[ "$output" == *"src/lab/claim.c: marker for claim addr-in-use, but its row does not list this file"* ]] || { show_output; false; }
}

@test "claims.sh: a row listing a file without its marker is caught" {
	sed -i 's/ <!-- claim: second-bind-einval -->//' "$CLAIMS_ROOT/docs/labs/03-one-socket-one-port.md"
	run sh tests/lib/claims.sh "$TAP"
	[ "$status" -eq 1 ] || { show_output; false; }
	[[ "$output" == *"claim second-bind-einval lists docs/labs/03-one-socket-one-port.md, which carries no marker for it"* ]] || { show_output; false; }
}

@test "check: a lab whose claimed step fails reports the claim not ok" {
	run "$SOCKLAB" check --tap "$TEST_LABS/claim-fails" </dev/null
	[ "$status" -eq 1 ] || { show_output; false; }
	printf '%s\n' "$output" | grep -Eq '^ok [0-9]+ - .*: claim test-claim-proven \(step 1\)$' || { show_output; false; }
	printf '%s\n' "$output" | grep -Eq '^not ok [0-9]+ - .*: claim test-claim-wrong \(step 2\): NOT proven: 1 of 1 expectations' || { show_output; false; }
	printf '%s\n' "$output" | grep -Eq '^not ok [0-9]+ - .*: claim test-claim-unchecked .*no expectation' || { show_output; false; }
	printf '%s\n' "$output" | grep -Eq '^not ok [0-9]+ - .*: claim test-claim-unreached .*never ran' || { show_output; false; }
}

@test "run: a claim's outcome is shown under its step" {
	run "$SOCKLAB" run 6 </dev/null
	[ "$status" -eq 0 ] || { show_output; false; }
	[[ "$output" == *"claim holder-flag-read-late: proven"* ]] || { show_output; false; }
}
