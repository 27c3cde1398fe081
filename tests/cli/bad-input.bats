#!/usr/bin/env bats
# bad-input.bats — bad command lines and environments, one table for every
# command.  Each case must: exit with the status the table gives (2 bad
# input; 1 where a lab legitimately failed), print exactly one line on
# stderr of the form 'socklab CMD: problem' (mentioning what the table
# says), print nothing on stdout when the status is 2, not crash (no status
# >= 128), and leave no process behind.

load helpers
source "$BATS_TEST_DIRNAME/../lib/procs.sh"

setup() {
	common_setup
	T="$BATS_TEST_TMPDIR"
	TSOCK="socklab-badin-$$-$BATS_TEST_NUMBER"
}

teardown() {
	tmux -L "$TSOCK" kill-server 2>/dev/null || true
	[ -z "${PUB:-}" ] || rm -rf "$PUB"
}

# The table.  Columns, separated by '|':
#   status  2 bad input, 1 a lab ran and failed (one line says why)
#   how     -   stdin /dev/null, no terminal
#           tty in a 100x30 tmux pane (stdin and stdout a terminal)
#   env     - none, VAR=VALUE to set, -VAR to unset (space separated)
#   args    socklab's arguments, as shell words ($LONG: 10 000 characters,
#           $T: this test's directory, with notexec, notc.txt, ex.c)
#   mention a word the stderr line must contain (shell words; - none)
CASES=$(cat <<'TABLE'
# ------------------------------------------------------------ top level
2 | - | - | frobnicate                                  | frobnicate
2 | - | - | help nosuchcmd                              | nosuchcmd
2 | - | - | ''                                          | "unknown command"
2 | - | - | --bogus                                     | --bogus
2 | - | - | "$LONG"                                     | "unknown command"
2 | - | - | --version extra                             | extra
2 | - | - | --help extra                                | extra
2 | - | - | help run extra                              | extra
# ----------------------------------------------------------------- list
2 | - | - | list extra                                  | extra
2 | - | - | list --bogus                                | --bogus
2 | - | - | list ''                                     | "no arguments"
# ------------------------------------------------------------------ run
2 | - | - | run                                         | "which lab"
2 | - | - | run --step                                  | "which lab"
2 | - | - | run 42                                      | 42
2 | - | - | run 'abc!'                                  | 'abc!'
2 | - | - | run ''                                      | "no lab"
2 | - | - | run "$LONG"                                 | "no lab"
2 | - | - | run 4 5                                     | 5
2 | - | - | run 1-7                                     | 1-7
2 | - | - | run 4 --bogus                               | --bogus
2 | - | - | run 4 -x                                    | -x
2 | - | - | run 4 --port-base 0                         | "'0'"
2 | - | - | run 4 --port-base 65536                     | 65536
2 | - | - | run 4 --port-base -1                        | -1
2 | - | - | run 4 --port-base abc                       | abc
2 | - | - | run 4 --port-base 70000                     | 70000
2 | - | - | run 4 --port-base 65437                     | 65437
2 | - | - | run 4 --port-base 5000junk                  | 5000junk
2 | - | - | run 4 --port-base ''                        | --port-base
2 | - | - | run 4 --port-base                           | "needs a value"
2 | - | - | run 4 --timeout -1                          | -1
2 | - | - | run 4 --timeout 99                          | 99
2 | - | - | run 4 --timeout                             | "needs a value"
2 | - | - | run 4 --step --markdown                     | "--step and --markdown"
2 | - | - | run 4 --netns /nonexistent                  | --netns
2 | - | - | run ./nonexistent/lab                       | ./nonexistent/lab
2 | - | - | run "$T/notexec"                            | "$T/notexec"
2 | - | - | run "$T/"                                   | "not a regular file"
2 | - | - | run /bin/true                               | "not a socklab lab"
1 | - | - | run "$TEST_LABS/hangs" --timeout 100        | "did nothing for 100 ms"
# ---------------------------------------------------------------- check
2 | - | - | check 7-1                                   | 7-1
2 | - | - | check 99                                    | 99
2 | - | - | check 1-7x                                  | 1-7x
2 | - | - | check 1-                                    | 1-
2 | - | - | check 4 99                                  | 99
2 | - | - | check ''                                    | "''"
2 | - | - | check "$LONG"                               | "no lab"
2 | - | - | check --port-base 0                         | --port-base
2 | - | - | check 4 --port-base 65536                   | 65536
2 | - | - | check --timeout abc                         | abc
2 | - | - | check --timeout                             | "needs a value"
2 | - | - | check --tap --bogus                         | --bogus
2 | - | - | check ./nonexistent/lab                     | ./nonexistent/lab
# ---------------------------------------------------------------- watch
2 | - | - | watch --port 0                              | "'0'"
2 | - | - | watch --port 65536                          | 65536
2 | - | - | watch --port -1                             | -1
2 | - | - | watch --port abc                            | abc
2 | - | - | watch --port                                | "needs a value"
2 | - | - | watch --pid abc                             | abc
2 | - | - | watch --pid 0                               | --pid
2 | - | - | watch --pid 999999 --once                   | 999999
2 | - | - | watch --state bogus                         | bogus
2 | - | - | watch --interval 10                         | 10
2 | - | - | watch --netns /nonexistent --once           | /nonexistent
2 | - | - | watch --netns /etc/passwd --once            | "not a network namespace"
2 | - | - | watch --netns '' --once                     | --netns
2 | - | - | watch --netns "/$LONG" --once               | "too long"
2 | - | - | watch --netns-of 0 --once                   | --netns-of
2 | - | - | watch --netns-of 999999 --once              | 999999
2 | - | - | watch --netns /x --netns-of 1 --once        | "one namespace"
2 | - | - | watch --bogus                               | --bogus
2 | - | - | watch "$LONG"                               | "no arguments"
# ----------------------------------------------------------------- dash
2 | - | - | dash                                        | terminal
2 | - | - | dash 4                                      | terminal
2 | - | - | dash nosuchlab                              | nosuchlab
2 | - | - | dash 4 --bogus                              | --bogus
2 | - | - | dash 4 --port-base 0                        | --port-base
2 | tty | -TERM | dash 4                                | TERM
2 | tty | TERM= | dash 4                                | TERM
2 | tty | TERM=dumb | dash 4                            | dumb
2 | tty | TERM=nosuchterm | dash 4                      | nosuchterm
2 | tty | -TERM | ''                                    | "unknown command"
2 | tty | -     | dash nosuchlab                        | nosuchlab
# -------------------------------------------------------------- explain
2 | - | - | explain                                     | "which code"
2 | - | - | explain ''                                  | "unknown error code"
2 | - | - | explain NOTACODE                            | NOTACODE
2 | - | - | explain 99999                               | 99999
2 | - | - | explain "$LONG"                             | "unknown error code"
2 | - | - | explain EADDRINUSE extra                    | extra
# ------------------------------------------------------------------ why
2 | - | - | why                                         | "which address"
2 | - | - | why ''                                      | ADDR:PORT
2 | - | - | why 1.2.3:80                                | 1.2.3:80
2 | - | - | why 1.2.3.4.5:80                            | 1.2.3.4.5:80
2 | - | - | why 300.1.1.1:80                            | 300.1.1.1:80
2 | - | - | why '[::1'                                  | '[::1'
2 | - | - | why '::1]:80'                               | '::1]:80'
2 | - | - | why '[zz::1]:80'                            | '[zz::1]:80'
2 | - | - | why 127.0.0.1:0                             | 127.0.0.1:0
2 | - | - | why 127.0.0.1:65536                         | 127.0.0.1:65536
2 | - | - | why 127.0.0.1:-1                            | 127.0.0.1:-1
2 | - | - | why 127.0.0.1:abc                           | 127.0.0.1:abc
2 | - | - | why 127.0.0.1                               | 127.0.0.1
2 | - | - | why "$LONG:80"                              | ADDR:PORT
2 | - | - | why 127.0.0.1:80 127.0.0.1:81               | 127.0.0.1:81
2 | - | - | why 127.0.0.1:80 --udp --tcp                | "one protocol"
2 | - | - | why 127.0.0.1:80 --listen --udp             | --listen
2 | - | - | why 127.0.0.1:80 --uid abc                  | abc
2 | - | - | why 127.0.0.1:80 --uid -1                   | -1
2 | - | - | why 127.0.0.1:80 --uid                      | "needs a value"
2 | - | - | why 127.0.0.1:80 --netns /nonexistent       | /nonexistent
2 | - | - | why 127.0.0.1:80 --netns /etc/passwd        | "not a network namespace"
2 | - | - | why 127.0.0.1:80 --bogus                    | --bogus
# --------------------------------------------------------------- matrix
2 | - | - | matrix --bogus                              | --bogus
2 | - | - | matrix extra                                | extra
2 | - | - | matrix --udp --tcp                          | "one protocol"
# ------------------------------------------------------------- exercise
2 | - | - | exercise                                    | "list, show N"
2 | - | - | exercise bogus                              | bogus
2 | - | - | exercise --bogus                            | --bogus
2 | - | - | exercise list extra                         | extra
2 | - | - | exercise show                               | "show N"
2 | - | - | exercise show 99                            | 99
2 | - | - | exercise show ''                            | "no exercise"
2 | - | - | exercise show -1                            | -1
2 | - | - | exercise show 1 extra                       | extra
2 | - | - | exercise start 99                           | 99
2 | - | - | exercise start 1 /proc/nonexistent/dir      | /proc/nonexistent
2 | - | - | exercise start 1 /etc/passwd                | "Not a directory"
2 | - | - | exercise check                              | "check N FILE.c"
2 | - | - | exercise check 1                            | "check N FILE.c"
2 | - | - | exercise check 99 "$T/ex.c"                 | 99
2 | - | - | exercise check 1 /etc/passwd                | "not a C or Python file"
2 | - | - | exercise check 1 "$T/notc.txt"              | "not a C or Python file"
2 | - | - | exercise check 1 /etc                       | "no FILE.c or FILE.py in /etc"
2 | - | - | exercise check 1 /nonexistent.c             | /nonexistent.c
2 | - | - | exercise check 1 ''                         | "No such file"
2 | - | - | exercise check 1 "$LONG.c"                  | "too long"
2 | - | - | exercise check 1 "$T/ex.c" --bogus          | --bogus
2 | - | - | exercise check 1 "$T/ex.c" extra            | extra
2 | - | - | exercise check 1 --tap "$T/ex.c"            | --tap
2 | - | - | exercise check 1 "$T/ex.c" --junit /proc/x  | /proc/x
2 | - | - | exercise grade                              | "grade N PATH"
2 | - | - | exercise grade 1                            | "grade N PATH"
2 | - | - | exercise grade 1 /nonexistent               | /nonexistent
2 | - | - | exercise grade 1 /etc/passwd                | "not a C or Python file"
2 | - | - | exercise grade 1 "$T/ex.c" -j 0             | "from 1 to 64"
2 | - | - | exercise grade 1 "$T/ex.c" --jobs x         | "from 1 to 64"
2 | - | - | exercise grade 1 "$T/ex.c" --csv --markdown | "one of --csv"
2 | - | - | exercise grade 1 "$T/ex.c" --tap            | --tap
2 | - | - | exercise package 1                          | "--gradescope DIR"
2 | - | - | exercise package 1 --gradescope /proc/x/y   | /proc/x
TABLE
)

# run_case HOW ENV ARGS...: socklab ARGS with ENV, sets status, output,
# stderr, stderr_lines.  Every process it starts carries SOCKLAB_BADIN=$mark.
run_case() {
	local how=$1 envs=$2 w envargs=() q
	shift 2
	for w in $envs; do
		case "$w" in
		-) ;;
		-*) envargs+=(-u "${w#-}") ;;
		*) envargs+=("$w") ;;
		esac
	done
	if [ "$how" = - ]; then
		run --separate-stderr env "${envargs[@]}" SOCKLAB_BADIN="$mark" "$SOCKLAB" "$@" </dev/null
		return 0
	fi
	# tty: stdin and stdout the pane's terminal, stderr to a file
	rm -f "$T/exit" "$T/err"
	q=$(printf ' %q' env "${envargs[@]}" SOCKLAB_BADIN="$mark" "$SOCKLAB" "$@")
	# bats keeps fd 3 open: tmux's server must not inherit it
	tmux -L "$TSOCK" -f /dev/null new-session -d -x 100 -y 30 \
		"$q 2>$T/err; echo \$? > $T/exit" 3>&-
	for _ in $(seq 50); do
		[ -s "$T/exit" ] && break
		sleep 0.1
	done
	if ! [ -s "$T/exit" ]; then	# still running: it did not refuse
		tmux -L "$TSOCK" send-keys q
		sleep 1
		tmux -L "$TSOCK" kill-server 2>/dev/null || true
		status=999
	else
		status=$(cat "$T/exit")
	fi
	output=""
	stderr=$(cat "$T/err" 2>/dev/null)
	mapfile -t stderr_lines < "$T/err" 2>/dev/null || stderr_lines=()
	return 0
}

@test "bad input table: exit 2 (or 1), one 'socklab CMD:' line on stderr, no crash, nothing left running" {
	local line st how envs args want n=0 bad=0 why pids
	LONG=$(printf '%*s' 10000 '' | tr ' ' x)
	echo 'not a lab' > "$T/notexec"
	chmod 644 "$T/notexec"	# no x bit at all: even root's access(X_OK) fails
	echo 'int main(void) { return 0; }' > "$T/notc.txt"
	cp exercises/01-*/starter.c "$T/ex.c"
	while IFS= read -r line; do
		[[ "$line" =~ ^[[:space:]]*(#|$) ]] && continue
		IFS='|' read -r st how envs args want <<< "$line"
		st=$(echo $st) how=$(echo $how) envs=$(echo $envs)
		eval "set -- $args"
		mark="$$-$BATS_TEST_NUMBER-$n"
		n=$((n + 1))
		run_case "$how" "$envs" "$@"
		why=""
		if [ "$status" -ge 128 ]; then
			why="crashed or hung (status $status)"
		elif [ "$status" != "$st" ]; then
			why="status $status, want $st"
		elif [ "${#stderr_lines[@]}" -ne 1 ]; then
			why="${#stderr_lines[@]} lines on stderr, want 1"
		elif ! [[ "${stderr_lines[0]}" =~ ^socklab(\ [a-z]+)?:\ .+ ]]; then
			why="stderr is not 'socklab CMD: problem'"
		elif [ "$st" = 2 ] && [ -n "$output" ]; then
			why="stdout not empty"
		fi
		if [ -z "$why" ] && [ "$(echo $want)" != - ]; then
			eval "set -- $want"
			[[ "${stderr_lines[0]}" == *"$1"* ]] || why="stderr lacks '$1'"
		fi
		# nothing it started may outlive it (a killed one may take a moment)
		for _ in $(seq 20); do
			pids=$(live_with_env SOCKLAB_BADIN "$mark")
			[ -z "$pids" ] && break
			sleep 0.1
		done
		[ -z "$pids" ] || why="${why:+$why; }left running: $pids"
		if [ -n "$why" ]; then
			bad=$((bad + 1))
			printf 'FAIL [%s|%s|%s] %s: %s\n   stderr: %s\n' "$st" "$how" "$envs" \
				"${args:0:60}" "$why" "${stderr:0:300}" >&2
			[ -z "$output" ] || printf '   stdout: %s\n' "${output:0:300}" >&2
		fi
	done <<< "$CASES"
	echo "$n cases, $bad failed" >&2
	[ "$n" -ge 45 ]
	[ "$bad" -eq 0 ]
}

@test "dash in a 40x10 terminal says it is too small, and q exits 0 leaving nothing" {
	command -v tmux >/dev/null || skip "tmux not installed"
	mark="$$-small"
	tmux -L "$TSOCK" -f /dev/null new-session -d -x 40 -y 10 \
		"env SOCKLAB_BADIN=$mark $SOCKLAB dash 4 2>$T/err; echo \$? > $T/exit" 3>&-
	for _ in $(seq 50); do
		tmux -L "$TSOCK" capture-pane -p | grep -q '80x24' && break
		sleep 0.1
	done
	run tmux -L "$TSOCK" capture-pane -p
	[[ "$output" == *"need 80x24"* ]] || { show_output; false; }
	[[ "$output" == *"q quits"* ]] || { show_output; false; }
	tmux -L "$TSOCK" send-keys q
	for _ in $(seq 50); do
		[ -s "$T/exit" ] && break
		sleep 0.1
	done
	[ "$(cat "$T/exit")" = 0 ]
	[ ! -s "$T/err" ] || { cat "$T/err" >&2; false; }
	[ -z "$(live_with_env SOCKLAB_BADIN "$mark")" ]
}

@test "user namespaces disabled: run, check, matrix and exercise check say what to do in one line, exit 2" {
	[ "$(id -u)" = 0 ] || skip "needs root to make the test's user namespace"
	command -v setpriv >/dev/null || skip "setpriv not installed"
	command -v unshare >/dev/null || skip "unshare not installed"
	setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$SOCKLAB" ||
		skip "$SOCKLAB is not executable by uid 65534"
	host_limit=$(cat /proc/sys/user/max_user_namespaces)
	# a file uid 65534 can read ($T's parents are not searchable by it)
	PUB=$(mktemp -d /tmp/socklab-badin.XXXXXX)
	chmod 755 "$PUB"
	cp exercises/01-*/starter.c "$PUB/ex.c"
	chmod 644 "$PUB/ex.c"
	for args in "run 1" "check 1" "check --tap 1" "matrix" "exercise check 1 $PUB/ex.c"; do
		# shellcheck disable=SC2086
		run --separate-stderr no_userns "$SOCKLAB" $args
		[ "$status" -eq 2 ] || { echo "socklab $args" >&2; show_output; false; }
		[ -z "$output" ] || { echo "socklab $args: stdout" >&2; show_output; false; }
		[ "${#stderr_lines[@]}" -eq 1 ] || { echo "socklab $args" >&2; show_output; false; }
		[[ "${stderr_lines[0]}" =~ ^socklab\ [a-z]+:\ cannot\ make\ a\ sandbox ]] || { show_output; false; }
		[[ "${stderr_lines[0]}" == *"user namespaces are disabled"* ]] || { show_output; false; }
		[[ "${stderr_lines[0]}" == *"user.max_user_namespaces"* ]] || { show_output; false; }
		# --host is offered only by the commands that have it
		case "$args" in
		run* | check*) [[ "${stderr_lines[0]}" == *"--host"* ]] || { show_output; false; } ;;
		*) [[ "${stderr_lines[0]}" != *"--host"* ]] || { show_output; false; } ;;
		esac
	done
	# and --host still works there, on the real loopback
	run --separate-stderr no_userns "$SOCKLAB" check 1 --host --port-base 47100
	[ "$status" -eq 0 ] || { show_output; false; }
	[ "$(cat /proc/sys/user/max_user_namespaces)" = "$host_limit" ]
}
