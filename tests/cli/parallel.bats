#!/usr/bin/env bats
# parallel.bats — many socklab runs at once: 16 `check` runs, each with its
# own sandboxes, and 10 `check --host` runs on distinct port ranges of the
# real loopback, all pass; afterwards none of their processes (socklab, the
# labs' roles) is left, and no socket on those ranges but the TIME-WAIT
# entries labs 14 and 15 leave on purpose.

load helpers

setup() {
	common_setup
	T="$BATS_TEST_TMPDIR"
}

# starttime PID: field 22 of /proc/PID/stat (a pid plus this names one
# process, even after the pid is reused)
starttime() {
	awk '{ sub(/^.*\) /, ""); print $20 }' "/proc/$1/stat" 2> /dev/null || true
}

# descendants PID...: "pid starttime" of every descendant now
descendants() {
	local p k st
	for p in "$@"; do
		for k in $(cat /proc/"$p"/task/*/children 2> /dev/null); do
			st=$(starttime "$k")
			[ -z "$st" ] || echo "$k $st"
			descendants "$k"
		done
	done
}

# run_parallel NAME ARGS-LIST-FILE: one `socklab ARGS` per line of the file,
# all at once, TAP to $T/NAME.N.tap, exit status to $T/NAME.N.rc; every
# process seen under them (sampled every 50 ms) goes to $T/NAME.procs.
run_parallel() {
	local name=$1 list=$2 i=0 args pids=() sampler
	: > "$T/$name.procs"
	: > "$T/$name.pids"
	touch "$T/$name.running"
	(
		while [ -e "$T/$name.running" ]; do
			descendants $(cat "$T/$name.pids") >> "$T/$name.procs"
			sleep 0.05
		done
	) 3>&- &
	sampler=$!
	while read -r args; do
		# shellcheck disable=SC2086
		"$SOCKLAB" $args --tap > "$T/$name.$i.tap" 2> "$T/$name.$i.err" < /dev/null 3>&- &
		pids+=($!)
		echo "$!" >> "$T/$name.pids"
		echo "$! $(starttime $!)" >> "$T/$name.procs"
		i=$((i + 1))
	done < "$list"
	for i in "${!pids[@]}"; do
		local rc=0
		wait "${pids[$i]}" || rc=$?
		echo "$rc" > "$T/$name.$i.rc"
	done
	rm -f "$T/$name.running"
	wait "$sampler"
}

# every run exited 0, printed a plan and no `not ok`
assert_all_passed() {
	local name=$1 n=$2 i bad=0
	for ((i = 0; i < n; i++)); do
		if [ "$(cat "$T/$name.$i.rc")" != 0 ] || grep -q '^not ok' "$T/$name.$i.tap" ||
			! grep -q '^1\.\.[1-9]' "$T/$name.$i.tap"; then
			echo "run $i: exit $(cat "$T/$name.$i.rc")"
			grep -v '^ok' "$T/$name.$i.tap" | head -20
			cat "$T/$name.$i.err"
			bad=1
		fi
	done
	[ "$bad" -eq 0 ]
}

# no process recorded in $T/NAME.procs is alive (same pid, same start)
assert_none_left() {
	local pid st state left=0
	sort -u "$T/$1.procs" > "$T/$1.procs.u"
	while read -r pid st; do
		[ -n "$pid" ] || continue
		[ "$(starttime "$pid")" = "$st" ] || continue
		state=$(awk '{ sub(/^.*\) /, ""); print $1 }' "/proc/$pid/stat" 2> /dev/null || true)
		[ -n "$state" ] && [ "$state" != Z ] || continue
		echo "still alive: $pid $(tr '\0' ' ' < "/proc/$pid/cmdline")"
		left=1
	done < "$T/$1.procs.u"
	echo "# $(wc -l < "$T/$1.procs.u") processes seen, none left" >&3
	[ "$left" -eq 0 ]
}

@test "parallel: 16 concurrent checks, each in its own sandboxes, all pass; no process left" {
	# one lab at a time in each (-j 1): 16 labs at once load 2 cores
	# enough; check's own default would make it four times that
	for _ in $(seq 16); do echo check -j 1; done > "$T/list"
	start=$(date +%s.%N)
	run_parallel sandbox "$T/list"
	secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
	echo "# 16 concurrent checks: $secs s" >&3
	assert_all_passed sandbox 16
	assert_none_left sandbox
}

@test "parallel: 10 concurrent check --host on distinct port ranges all pass; nothing left on them" {
	# a lab uses 4 ports from its own base (grep LAB_PORT labs/: at most
	# LAB_PORT + 3); a --host run gives lab N of the run base + 4(N-1), all
	# within the 100 from --port-base: ranges 100 apart do not overlap
	max=$(grep -ho 'LAB_PORT *+ *[0-9]*' labs/*.c | grep -o '[0-9]*$' | sort -n | tail -1)
	[ "$max" -lt 4 ] || { echo "a lab uses LAB_PORT + $max: more than LAB_PORTS (4)"; false; }
	bases=$(free_port_bases 10)
	[ "$(echo "$bases" | wc -l)" -eq 10 ] || skip "fewer than 10 free ranges of 100 ports: $bases"
	for b in $bases; do echo "check --host --port-base $b"; done > "$T/list"
	start=$(date +%s.%N)
	run_parallel host "$T/list"
	secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
	echo "# 10 concurrent check --host ($(echo $bases | tr ' ' ,)): $secs s;" \
		"$(cat "$T"/host.*.tap | grep -c '# SKIP') skipped" >&3
	assert_all_passed host 10
	assert_none_left host
	# no socket on those ranges (nor lab 17's privileged port of each),
	# but TIME-WAIT, which belongs to no process and which labs 14 and 15 leave
	ss -tuanH > "$T/ss"
	for b in $bases; do
		priv=$((1023 - (b + 16 * 5) / 100 % 100))
		awk -v b="$b" -v p="$priv" '$2 != "TIME-WAIT" {
			n = split($5, a, ":"); port = a[n]
			if ((port >= b && port < b + 100) || port == p) print }' "$T/ss"
	done > "$T/left"
	tw=$(for b in $bases; do awk -v b="$b" '$2 == "TIME-WAIT" { n = split($5, a, ":")
		if (a[n] >= b && a[n] < b + 100) print }' "$T/ss"; done | wc -l)
	echo "# sockets left on those ranges: $(wc -l < "$T/left") (and $tw in TIME-WAIT)" >&3
	[ ! -s "$T/left" ] || { cat "$T/left"; false; }
}
