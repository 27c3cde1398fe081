#!/usr/bin/env bash
# signal-trials.sh BUILD SEED TRIALS — signals at random points of socklab's
# long-running commands, each in a terminal of its own (tmux).
#
# A trial picks, from SEED: a command (run --step, dash, check, watch, an
# exercise check of a program that forks and hides, a --host run), a
# signal (INT, TERM, HUP or KILL) and a moment (0.1-2 s in, with keys
# pressed meanwhile).  After it, it asserts:
#   - socklab ended (its exit status is recorded);
#   - no process of the trial is left: every process socklab starts
#     inherits SOCKLAB_TRIAL=<mark>, and /proc/*/environ is searched for it
#     (labs, roles, the grader, the student's program and its children, the
#     terminal watcher);
#   - no socket is left bound on the --host trial's ports;
#   - the terminal's modes (stty -g) are what they were before;
#   - the exit status is the signal's (128 + N) or a normal one (0, 1);
#   - the exercise grader left nothing in /tmp;
#   - and every few trials, a new `socklab run 4` works.
# One line per trial, then a summary; exit 1 if any trial failed.
set -u
build=${1:-build}
seed=${2:-1}
trials=${3:-50}
bin=$(cd "$(dirname "$build/socklab")" && pwd)/socklab
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
RANDOM=$seed
host_base=47000	# the --host trials' ports: 47000.. (lab 06 uses two)

# A submission that forks 20 children, each in a session of its own, that
# would run forever: the worst case for "nothing left".
cat > "$work/hide.c" <<'C'
#include <unistd.h>
int main(void)
{
	for (int i = 0; i < 20; i++)
		if (fork() == 0) {
			setsid();
			for (;;)
				pause();
		}
	sleep(30);
	return 0;
}
C
chmod 644 "$work/hide.c"

cmds=(
	"run 7 --step"
	"dash 7"
	"check"
	"watch"
	"exercise check 5 $repo/exercises/solutions/05-reuseport-spread.c"
	"exercise check 1 $work/hide.c"
	"run 6 --step --host --port-base $host_base"
)
keys=(Enter Space "" "" "" "" Enter)
sigs=(INT TERM HUP KILL)

# live_with_env NAME VALUE: the pids of the processes still marked
. "$repo/tests/lib/procs.sh"

host_sockets() {
	ss -Htuan "( sport >= :$host_base and sport <= :$((host_base + 9)) )" 2>/dev/null |
		grep -v TIME-WAIT || true
}

failed=0 leaked=0 badtty=0 bound=0 reruns=0 signalled=0
for ((t = 1; t <= trials; t++)); do
	c=$((RANDOM % ${#cmds[@]}))
	s=${sigs[$((RANDOM % ${#sigs[@]}))]}
	delay=$((100 + RANDOM % 1900))
	mark="$$-$t"
	tmpdirs=$(ls -d /tmp/socklab-exercise-* 2>/dev/null | wc -l)
	d="$work/t$t"
	mkdir -p "$d"
	sock="socklab-trial-$$-$t"
	tmux -L "$sock" -f /dev/null new-session -d -x 100 -y 30 \
		"stty -g > $d/before; env SOCKLAB_TRIAL=$mark LANG=C.UTF-8 $bin ${cmds[$c]} 2>$d/err; \
		 echo \$? > $d/status; while [ ! -e $d/go ]; do sleep 0.05; done; stty -g > $d/after; sleep 60" 3>&-
	shell=$(tmux -L "$sock" display -p '#{pane_pid}' 2>/dev/null)
	# keys while we wait for the moment
	for ((ms = 0; ms < delay; ms += 100)); do
		sleep 0.1
		[ -n "${keys[$c]}" ] && tmux -L "$sock" send-keys "${keys[$c]}" 2>/dev/null
	done
	pid=$(pgrep -P "$shell" -f "$bin" | head -1)
	if [ -n "$pid" ]; then
		kill -"$s" "$pid" 2>/dev/null && signalled=$((signalled + 1))
	fi
	for _ in $(seq 100); do [ -s "$d/status" ] && break; sleep 0.1; done
	status=$(cat "$d/status" 2>/dev/null || echo none)
	# what is left: give the kernel a moment to deliver the last SIGKILLs
	# (and the terminal watcher its moment to put the modes back)
	left=""
	for _ in $(seq 30); do
		left=$(live_with_env SOCKLAB_TRIAL "$mark")
		[ -z "$left" ] && break
		sleep 0.1
	done
	# only then does the terminal's shell read the modes
	touch "$d/go"
	for _ in $(seq 50); do [ -s "$d/after" ] && break; sleep 0.1; done
	problems=""
	[ "$status" = none ] && problems="$problems socklab-still-running"
	# killed by the signal (128 + its number), or done before it came
	# (0, or 1 for a check that failed): never a crash, never a 2
	case "$s:$status" in
	INT:130 | TERM:143 | HUP:129 | KILL:137 | *:0 | *:1 | *:none) ;;
	*) problems="$problems exit-$status" ;;
	esac
	if [ "$(ls -d /tmp/socklab-exercise-* 2>/dev/null | wc -l)" -gt "$tmpdirs" ]; then
		problems="$problems files-left-in-/tmp"
	fi
	if [ -n "$left" ]; then
		problems="$problems left:$(echo $left | tr ' ' ,)"
		leaked=$((leaked + $(echo "$left" | wc -w)))
		ps -o pid,ppid,stat,cmd -p "$(echo $left | tr ' ' ,)" >&2
		for p in $left; do kill -KILL "$p" 2>/dev/null; done
	fi
	if [ "$status" != none ] && ! cmp -s "$d/before" "$d/after"; then
		problems="$problems stty-changed"
		badtty=$((badtty + 1))
	fi
	if [ -n "$(host_sockets)" ]; then
		problems="$problems sockets-left"
		bound=$((bound + 1))
		host_sockets >&2
	fi
	tmux -L "$sock" kill-server 2>/dev/null
	if ((t % 10 == 0)) || ((t == trials)); then
		if "$bin" run 4 > /dev/null 2>&1; then
			reruns=$((reruns + 1))
		else
			problems="$problems rerun-failed"
		fi
	fi
	printf 'trial %2d: %-64.64s SIG%-4s at %4d ms: exit %-4s%s\n' "$t" "${cmds[$c]/$repo\//}" "$s" \
		"$delay" "$status" "${problems:- clean}"
	[ -n "$problems" ] && failed=$((failed + 1))
done
echo "signal trials: seed $seed, $trials trials ($signalled signalled while running), $failed failed;" \
	"processes left $leaked, terminals changed $badtty, sockets left $bound, reruns ok $reruns"
[ "$failed" -eq 0 ]
