#!/bin/sh
# valgrind.sh BUILD — memcheck on socklab's CLI paths: no invalid access,
# no uninitialised bytes to the kernel, no definite leak.  A lab's own
# exit status is part of each case (check of the wrong lab exits 1).
set -u
bin="${1:-build}/socklab"
wrong="${1:-build}/tests/labs/wrong-expectation"
fail=0
pass=0
ns=""
vg() {	# vg EXPECTED_STATUS ARGS...
	want=$1; shift
	$ns valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
		--suppressions="$(dirname "$0")/valgrind.supp" \
		--error-exitcode=99 "$bin" "$@" >"${TMPDIR:-/tmp}/socklab-vg.$$.out" \
		2>"${TMPDIR:-/tmp}/socklab-vg.$$"
	got=$?
	if [ "$got" -eq "$want" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "valgrind: socklab $*: exit $got, expected $want" >&2
		grep -v '^socklab' "${TMPDIR:-/tmp}/socklab-vg.$$" | head -20 >&2
		# what failed, in the command's own words (TAP, criteria)
		grep -E '^not ok|✘|FAIL' "${TMPDIR:-/tmp}/socklab-vg.$$.out" | head -10 >&2
	fi
	rm -f "${TMPDIR:-/tmp}/socklab-vg.$$" "${TMPDIR:-/tmp}/socklab-vg.$$.out"
}
vg 0 list
vg 0 --help
vg 0 run 4
vg 0 run 7
vg 0 run 2 --markdown
vg 0 run 7 --wire --pcap "${TMPDIR:-/tmp}/socklab-vg-$$.pcap"
rm -f "${TMPDIR:-/tmp}/socklab-vg-$$.pcap"
vg 0 check
vg 1 check --tap "$wrong"
vg 0 watch --once
vg 0 watch --once --owners --json
vg 0 explain 10013
vg 0 explain eaddrinuse
vg 2 explain nope
vg 2 why 127.0.0.1:0
vg 0 matrix --udp
vg 0 exercise list
vg 0 exercise show 3
if command -v cc >/dev/null 2>&1; then	# the grader: compile, drive, observe
	vg 1 exercise check 4 exercises/04-the-story/starter.c
	vg 0 exercise check 3 exercises/solutions/03-multicast-two-receivers.c --tap
	vg 0 exercise check 8 exercises/solutions/08-no-port-exhaustion.c
	vg 0 exercise check 4 exercises/solutions/04-the-story.py
	# a class: two graded side by side, one ungradable (exit 1); the
	# platforms' files
	cls=$(mktemp -d "${TMPDIR:-/tmp}/socklab-vg-class.XXXXXX")
	mkdir "$cls/empty"
	cp exercises/solutions/01-fixed-source-port.c "$cls/ann.c"
	cp exercises/01-fixed-source-port/starter.c "$cls/bob.c"
	vg 1 exercise grade 1 "$cls" -j 2 --junit "$cls/class.xml"
	vg 1 exercise grade 1 "$cls" --json
	vg 0 exercise check 1 "$cls/ann.c" --gradescope "$cls/gs.json" --prairielearn "$cls/pl.json"
	vg 0 exercise package 1 --gradescope "$cls/bundle"
	rm -rf "$cls"
fi
# why binds for real with --try: in a namespace of its own, where the port is free
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null 2>&1; then
	ns="unshare -n"
	vg 0 why 127.0.0.1:5999 --try
	vg 1 why "[::1]:5999" --tcp --listen --json --try	# lo is down: ::1 is not there
	ns=""
fi
# the playground: a scripted session (three roles, a refused bind, a
# delivery, predict, undo, save) and a script with a bad line
play="${TMPDIR:-/tmp}/socklab-vg-play.$$"
printf '%s\n' 'server: s = socket(udp)' 'server: bind(s, 127.0.0.1:5000)' \
	'client: c = socket(udp)' 'predict client: bind(c, 127.0.0.1:5000)' \
	'client: setsockopt(c, SO_REUSEADDR, 1)' 'peer: p = socket(udp)' \
	'peer: sendto(p, "hi", 127.0.0.1:5000)' 'server: recv(s, 100)' 'server: getsockname(s)' \
	'undo' 'client: getsockopt(c, SO_REUSEADDR)' "save $play.c" > "$play.play"
vg 0 play "$play.play" --batch
printf 'a: s = socket(udp)\na: nope(s)\n' > "$play.bad"
vg 2 play "$play.bad" --batch
rm -f "$play.play" "$play.bad" "$play.c"
# trace: its bad input (valgrind cannot run a program under seccomp: the
# tracer itself is checked under ASan, make test SAN=1)
vg 2 trace
vg 2 trace -- /nonexistent/prog
vg 2 run 99
vg 2 check 7-1
vg 2 run 4 --port-base 70000
# the dashboard, driven through tmux: step lab 7 to its end, the host
# view, a filter, the help overlay, q.  ncurses' own leaks are suppressed
# (tests/lib/valgrind.supp).
if command -v tmux >/dev/null 2>&1; then
	tsock="socklab-vg-$$"
	out="${TMPDIR:-/tmp}/socklab-vg-dash.$$"
	tmux -L "$tsock" -f /dev/null new-session -d -x 100 -y 30 \
		"env LC_ALL=C.UTF-8 valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
		--suppressions=$(dirname "$0")/valgrind.supp --error-exitcode=99 $bin dash 7 2> $out.err; \
		echo \$? > $out.exit" 3>&-
	sleep 3
	for _ in 1 2 3 4 5 6 7 8 9 10 11 12; do
		tmux -L "$tsock" send-keys n; sleep 0.4
	done
	for k in h / 5 Enter '?' x h r n q; do
		tmux -L "$tsock" send-keys "$k"; sleep 0.5
	done
	for _ in $(seq 100); do [ -s "$out.exit" ] && break; sleep 0.1; done
	tmux -L "$tsock" kill-server 2>/dev/null
	if [ "$(cat "$out.exit" 2>/dev/null)" = 0 ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "valgrind: socklab dash 7 (tmux): exit $(cat "$out.exit" 2>/dev/null)" >&2
		head -30 "$out.err" >&2
	fi
	rm -f "$out.exit" "$out.err"
fi
echo "valgrind: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
