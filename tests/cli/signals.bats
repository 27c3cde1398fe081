#!/usr/bin/env bats
# Ctrl-C (or SIGTERM/SIGHUP) while a lab waits at a step must end the lab,
# reap every process of it, and leave no socket bound.

setup() {
	SOCKLAB="${SOCKLAB_BUILD:-build}/socklab"
	MARK="socklab-test-$$-$BATS_TEST_NUMBER"
	FIFO="$BATS_TEST_TMPDIR/stdin"
	mkfifo "$FIFO"
}

source "$BATS_TEST_DIRNAME/../lib/procs.sh"

# pids of processes whose environment carries our marker
marked_pids() {
	live_with_env SOCKLAB_MARK "$MARK"
}

# start `socklab run 7 --step ARGS` paused at its first prompt; sets PID
start_paused() {
	exec {W}<>"$FIFO"	# keep the fifo open: socklab blocks reading it
	SOCKLAB_MARK="$MARK" "$SOCKLAB" run 7 --step "$@" <"$FIFO" >"$BATS_TEST_TMPDIR/out" 2>&1 &
	PID=$!
	# step 1 waits for Enter; the server role is already forked
	for _ in $(seq 100); do
		grep -q "Step 1" "$BATS_TEST_TMPDIR/out" && break
		sleep 0.05
	done
	grep -q "Step 1" "$BATS_TEST_TMPDIR/out"
	echo >&"$W"		# run step 1: the server binds
	for _ in $(seq 100); do
		grep -q "Step 2" "$BATS_TEST_TMPDIR/out" && break
		sleep 0.05
	done
	grep -q "Step 2" "$BATS_TEST_TMPDIR/out"
	[ "$(marked_pids | wc -l)" -ge 3 ]	# socklab, lab main, roles
}

stop_with() {
	kill -"$1" "$PID"
	status=0
	wait "$PID" || status=$?
	exec {W}>&-
	for _ in $(seq 50); do
		[ -z "$(marked_pids)" ] && break
		sleep 0.05
	done
}

@test "SIGINT at a step prompt ends the lab and leaves no process" {
	start_paused
	stop_with INT
	[ "$status" -eq 130 ]
	[ -z "$(marked_pids)" ]
	grep -q "stopped by" "$BATS_TEST_TMPDIR/out"
}

@test "SIGTERM and SIGHUP end the lab the same way" {
	start_paused
	stop_with TERM
	[ "$status" -eq 143 ]
	[ -z "$(marked_pids)" ]
	start_paused
	stop_with HUP
	[ "$status" -eq 129 ]
	[ -z "$(marked_pids)" ]
}

@test "SIGINT during a --host run leaves no socket bound on the lab's ports" {
	start_paused --host --port-base 47300
	ss -uan 'sport = :47300' | grep -q 47300	# the server holds it now
	stop_with INT
	[ -z "$(marked_pids)" ]
	! ss -uan 'sport = :47300' | grep -q 47300 || false
}

@test "SIGKILL of socklab takes the lab down with it (PR_SET_PDEATHSIG)" {
	start_paused
	stop_with KILL
	[ -z "$(marked_pids)" ]
}

@test "SIGTERM while exercise check compiles: exit 143, and its copy in /tmp is gone" {
	command -v cc >/dev/null || skip "no C compiler"
	cp exercises/solutions/05-reuseport-spread.c "$BATS_TEST_TMPDIR/"
	"$SOCKLAB" exercise check 5 "$BATS_TEST_TMPDIR/05-reuseport-spread.c" >/dev/null 2>&1 &
	PID=$!
	# the compiler's command line names the directory of the copy
	dir=""
	for _ in $(seq 500); do
		for c in $(cat /proc/"$PID"/task/*/children 2>/dev/null); do
			dir=$({ tr '\0' '\n' < "/proc/$c/cmdline"; } 2>/dev/null |
				grep -m1 -o '^/tmp/socklab-exercise-[^/]*') && break
		done
		[ -n "$dir" ] && break
		sleep 0.005
	done
	if [ -z "$dir" ]; then
		kill "$PID" 2>/dev/null || true
		wait "$PID" || true
		skip "the compiler ended before this test could see it"
	fi
	[ -d "$dir" ]
	kill -TERM "$PID"
	status=0
	wait "$PID" || status=$?
	[ "$status" -eq 143 ]
	[ ! -e "$dir" ] || { ls -la "$dir" >&2; false; }
}
