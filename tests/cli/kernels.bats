#!/usr/bin/env bats
# kernels.bats — make test-kernels' parts that need no VM: the runner's
# usage (tests/kernels/run.sh) and the comparison table (compare.sh) on
# results this kernel produces here, copied and then spoiled the ways
# another kernel can differ.  The VMs themselves run in `make
# test-kernels` and in CI's smoke of the oldest kernel (.ci/run).

load helpers

@test "run.sh: --help, and bad usage is one line and exit 2" {
	common_setup
	run sh tests/kernels/run.sh --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"--sources FILE"* && "$output" == *"--repeat N"* && "$output" == *"Exit status"* ]]
	run sh tests/kernels/run.sh --frobnicate
	[ "$status" -eq 2 ]
	[ "${#lines[@]}" -eq 1 ] && [[ "$output" == *"unknown option '--frobnicate'"* ]]
	run sh tests/kernels/run.sh --repeat 0
	[ "$status" -eq 2 ] && [[ "$output" == *"--repeat wants a count"* ]]
	run sh tests/kernels/run.sh --parts check,lunch
	[ "$status" -eq 2 ] && [[ "$output" == *"unknown part 'lunch'"* ]]
	run sh tests/kernels/run.sh --sources /nonexistent
	[ "$status" -eq 2 ] && [[ "$output" == *"cannot read '/nonexistent'"* ]]
	run sh tests/kernels/run.sh firefox
	[ "$status" -eq 2 ] && [[ "$output" == *"not a kernel image package: 'firefox'"* ]]
	run sh tests/kernels/run.sh --oldest linux-image-6.1.0-57-amd64
	[ "$status" -eq 2 ] && [[ "$output" == *"--oldest picks among the default kernels"* ]]
	run sh tests/kernels/run.sh --parts ""
	[ "$status" -eq 2 ]
}

@test "run.sh --list names the kernels, --oldest one of them" {
	common_setup
	run sh tests/kernels/run.sh --build "$BATS_TEST_TMPDIR" --list
	if [ "$status" -eq 2 ] && [[ "$output" == *"no kernel package found"* ]]; then
		skip "this machine's apt sources offer no Debian kernel (apt-get update?)"
	fi
	[ "$status" -eq 0 ] || { show_output; false; }
	for l in "${lines[@]}"; do [[ "$l" == linux-image-[0-9]* ]]; done
	all=("${lines[@]}")
	run sh tests/kernels/run.sh --build "$BATS_TEST_TMPDIR" --list --oldest
	[ "$status" -eq 0 ] && [ "${#lines[@]}" -eq 1 ]
	[[ " ${all[*]} " == *" ${lines[0]} "* ]]
}

# results of this kernel, as run.sh keeps them: check (one lab), the UDP
# matrix, bindprop
results() {
	r=$BATS_TEST_TMPDIR/results
	mkdir -p "$r/host"
	uname -r >"$r/host/uname"
	"$SOCKLAB" check 4 --tap >"$r/host/check.tap" 2>/dev/null || true
	"$SOCKLAB" matrix --udp --json >"$r/host/matrix-udp.json" 2>/dev/null || true
	"$BUILD/tests/tools/bindprop" --seed 1 --count 20 >"$r/host/bindprop.out" 2>&1 || true
	printf 'check 1.0\nmatrix 0.5\nbindprop 0.1\n' >"$r/host/times"
	grep -q '^ok ' "$r/host/check.tap" && grep -q '"agree"' "$r/host/matrix-udp.json" ||
		skip "no sandbox here: check and matrix have nothing to compare"
}

@test "compare.sh: a kernel that agrees passes" {
	common_setup
	results
	cp -r "$r/host" "$r/same"
	printf 'download 1.2\nimage 0.4\nboot 2.1\nvm 15.0\naccel tcg\n' >>"$r/same/times"
	run sh tests/kernels/compare.sh "$r" host same
	[ "$status" -eq 0 ] || { show_output; false; }
	n=$(grep -c '^ok ' "$r/host/check.tap")
	[[ "$output" =~ same\ +[^\ ]+\ +$n\ +0\ +0\ +0\ +[0-9]+\ +0\ +0\+0 ]] || { show_output; false; }
	[[ "$output" == *"seconds"*"download"*"boot"* ]]
	[[ "$output" =~ same\ +1\.2\ +0\.4\ +2\.1 ]]
	[[ "$output" == *"under tcg"* ]]
}

@test "compare.sh: failures, flaky expectations, differing cells and mismatches are named" {
	common_setup
	results
	k=$r/spoiled
	cp -r "$r/host" "$k"
	# one expectation fails in the first run, another in the second (in
	# the words the kernel's answer gives a failure): both are flaky
	fail='s/^ok \([0-9]*\) - \(.*\) = .*/not ok \1 - \2: expected success; the kernel answered EIO 5/'
	sed "0,/^ok .* = /{$fail}" "$r/host/check.tap" >"$k/check.tap"
	sed "/step 2 line/{$fail}" "$r/host/check.tap" >"$k/check-2.tap"
	grep -q '^not ok.*step 2 line' "$k/check-2.tap"
	# one cell: the kernel answered otherwise, and the model did not see it
	sed '0,/"kernel":"ok","model":"ok","agree":true/s//"kernel":"INUSE","model":"ok","agree":false/' \
		"$r/host/matrix-udp.json" >"$k/matrix-udp.json"
	echo 'mismatch: bindprop --seed 7 --count 1   # udp ... invented' >"$k/bindprop.out"
	echo '20 scenarios, 1 mismatches, 100 scenarios/s (seeds 1..20; two uids; udp walk: every)' >>"$k/bindprop.out"
	mkdir -p "$r/gone"
	echo "cannot be had" >"$r/gone/missing"
	run sh tests/kernels/compare.sh "$r" host spoiled gone
	[ "$status" -eq 1 ] || { show_output; false; }
	first=$(grep -m1 '^ok .* = ' "$r/host/check.tap" | sed 's/^ok [0-9]* - \(.*\) = .*/\1/')
	[[ "$output" == *"spoiled: not ok "*" - $first: expected success; the kernel answered EIO 5"* ]] ||
		{ show_output; false; }
	[[ "$output" == *"spoiled (run 2): not ok "*"step 2 line"* ]]
	[[ "$output" == *"spoiled: flaky: "*"step 2 line"* ]]
	[[ "$output" =~ spoiled:\ differs:\ .*INUSE ]]
	[[ "$output" == *"spoiled: mismatch: bindprop --seed 7"* ]]
	[[ "$output" =~ spoiled\ +[^\ ]+\ +[0-9]+\ +1\ +0\ +2\ +[0-9]+\ +1\ +1\+1\ +every ]] || { show_output; false; }
	[[ "$output" =~ gone\ +cannot\ be\ had ]]
}

@test "compare.sh: a run cut short, or a part missing, fails; usage errors exit 2" {
	common_setup
	results
	cp -r "$r/host" "$r/cut"
	head -n 3 "$r/host/check.tap" >"$r/cut/check-2.tap"	# the plan, then 2 of its points
	run sh tests/kernels/compare.sh "$r" host cut
	[ "$status" -eq 1 ] && [[ "$output" =~ cut\ +[^\ ]+\ +[0-9]+\ +0\ +0\ +0\ cut:1 ]] || { show_output; false; }
	cp -r "$r/host" "$r/nomatrix"
	rm "$r/nomatrix/matrix-udp.json"
	run sh tests/kernels/compare.sh "$r" host nomatrix
	[ "$status" -eq 1 ] || { show_output; false; }
	PARTS=check,bindprop run sh tests/kernels/compare.sh "$r" host nomatrix
	[ "$status" -eq 0 ] || { show_output; false; }
	run sh tests/kernels/compare.sh
	[ "$status" -eq 2 ] && [[ "$output" == "usage: tests/kernels/compare.sh RESULTS BASE"* ]]
}
