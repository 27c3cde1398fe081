# procs.sh — sourced by the tests that prove nothing is left running: every
# process a test starts carries a mark in its environment, inherited by all
# it forks (labs, roles, the grader, a student's program, the terminal
# watcher), and this finds the ones still alive.

# Pids of live processes (not zombies) whose environment holds $1=$2.
live_with_env() {
	local f pid state
	for f in $(grep -lzx -- "$1=$2" /proc/[0-9]*/environ 2>/dev/null); do
		pid=${f#/proc/}
		pid=${pid%/environ}
		state=$(awk '{ sub(/^.*\) /, ""); print $1 }' "/proc/$pid/stat" 2>/dev/null) || continue
		[ -n "$state" ] && [ "$state" != Z ] && echo "$pid"
	done
	return 0
}
