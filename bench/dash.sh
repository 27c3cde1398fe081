#!/bin/sh
# bench/dash.sh [BUILD] — the dashboard (`socklab dash 7`) at rest and while
# it steps, side by side with `watch -n 1 ss -tuan` in the same run.
#
# Both run in 100x30 tmux sessions on a tmux server of the script's own
# (-L socklab-bench-dash-PID).  Each pane runs its command with exec, so the
# pane's pid is socklab (or watch) itself.  It measures:
#   1 idle CPU over BENCH_IDLE_S (10) s after lab 7's first 2 steps:
#     utime+stime+cutime+cstime from /proc/PID/stat, % of one CPU,
#     socklab's and watch's over the same window.  Target: socklab < 0.5 %.
#   2 VmRSS of socklab after step 2 and after step 11 (the larger is
#     judged) and of watch; the lab's processes (socklab's descendants)
#     summed, for information.  Target: socklab < 8 MB (1 MB = 1024 kB).
#   3 step to screen: space for each of the 11 steps, the next key only
#     after the trace line of the last (SOCKLAB_DASH_TRACE) and 0.3 s;
#     key_to_screen_us, median and max.  Target: max < 50 ms.
#   4 back to step 9 from the end (the key 9): the lab restarts in a fresh
#     sandbox and replays steps 1-8 without stopping; the trace's "goto"
#     line, key to the screen before step 9.  Target: < 300 ms.
#   5 the socklab/watch ratios of CPU and RSS (no target: for scale).
# Then q: socklab must exit 0 and every lab process it had must be gone.
# Exit 0 when it ran (targets missed or not), 1 when something broke.
#
# Environment: BENCH_IDLE_S (10), BENCH_KEY_GAP (0.3 s between steps),
# BENCH_NO_INSTALL=1 (never apt-get tmux or procps).
set -eu

build=${1:-build}
case $build in /*) ;; *) build=$(pwd)/$build ;; esac
bin=$build/socklab
lab=7
steps=11		# lab 7's steps
idle_steps=2		# steps run before the idle window
idle_s=${BENCH_IDLE_S:-10}
gap=${BENCH_KEY_GAP:-0.3}
cols=100
rows=30
cpu_target=0.5		# % of one CPU
rss_target=8		# MB
lat_target=50		# ms, every step
back_target=300		# ms, back to step 9 from the end

say() { printf '%s\n' "$*"; }
fail() { printf 'bench: %s\n' "$*" >&2; exit 1; }

case $idle_s in '' | *[!0-9]* | 0) fail "BENCH_IDLE_S is a whole number of seconds, at least 1" ;; esac
case $gap in '' | *[!0-9.]*) fail "BENCH_KEY_GAP is a number of seconds" ;; esac
[ -x "$bin" ] || fail "$bin is not built (make)"

. "$(dirname "$0")/lib.sh"	# try_install
command -v tmux >/dev/null 2>&1 || try_install tmux || fail "tmux is needed"
command -v watch >/dev/null 2>&1 || try_install procps || fail "watch (procps) is needed"
command -v ss >/dev/null 2>&1 || try_install iproute2 || fail "ss (iproute2) is needed"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/socklab-bench-dash.XXXXXX")
trace=$tmp/trace
tsock=socklab-bench-dash-$$
printf 'set -g remain-on-exit on\nset -g status off\n' >"$tmp/tmux.conf"
sl_pid=""; sl_start=""
w_pid=""; w_start=""
lab_pids=""		# PID:STARTTIME of every lab process seen
broken=0
problem() { printf '  PROBLEM: %s\n' "$*"; broken=1; }

# tmux on our own server only; fd 3+ and $TMUX are not passed on
tm() { env -u TMUX tmux -f "$tmp/tmux.conf" -L "$tsock" "$@" 3>&- 4>&- 5>&-; }

# /proc/PID/stat fields after "(comm)": $1 state, $12 utime, $13 stime,
# $14 cutime, $15 cstime, $20 starttime
stat_of() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null || :; }
start_of() { stat_of "$1" | awk '{ print $20 }'; }
ticks_of() { stat_of "$1" | awk '{ print $12 + $13 + $14 + $15 }'; }
sys_of() { stat_of "$1" | awk '{ print $13 + $15 }'; }	# stime+cstime: in the kernel
kb_of() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/$3" 2>/dev/null || :; }	# kb_of PID FIELD FILE
ns_of() { awk '{ print $1 }' "/proc/$1/schedstat" 2>/dev/null || :; }
wakes_of() { awk '{ print $3 }' "/proc/$1/schedstat" 2>/dev/null || :; }
now_ns() { date +%s%N; }

# alive PID STARTTIME — is that very process (not a reused pid) still there?
alive() { [ -n "$2" ] && [ "$(start_of "$1")" = "$2" ]; }

# every descendant of PID (the lab's processes, for socklab)
descendants() {
	for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do
		echo "$c"
		descendants "$c"
	done
}

record_lab() {	# add socklab's current descendants to $lab_pids
	for p in $(descendants "$sl_pid"); do
		st=$(start_of "$p")
		[ -n "$st" ] || continue
		case " $lab_pids " in *" $p:$st "*) ;; *) lab_pids="$lab_pids $p:$st" ;; esac
	done
}

lab_alive() {	# the recorded lab processes still there, as "PID(state)"
	for e in $lab_pids; do
		p=${e%%:*}
		if alive "$p" "${e#*:}"; then printf ' %s(%s)' "$p" "$(stat_of "$p" | awk '{ print $1 }')"; fi
	done
}

lab_sum() {	# lab_sum ticks|rss|pss — summed over the live lab processes
	for e in $lab_pids; do
		p=${e%%:*}
		alive "$p" "${e#*:}" || continue
		case $1 in
		ticks) ticks_of "$p" ;;
		rss) kb_of "$p" VmRSS status ;;
		pss) kb_of "$p" Pss smaps_rollup ;;
		esac
	done | awk '{ s += $1 } END { print s + 0 }'
}

nap_pid=""	# the idle window's sleep
tsock_path=""	# the server's socket file, which kill-server leaves behind

# shellcheck disable=SC2317 # cleanup runs from the EXIT trap
cleanup() {
	trap '' INT TERM HUP	# a second signal must not cut the cleanup short
	if [ -n "$nap_pid" ]; then kill -TERM "$nap_pid" 2>/dev/null || :; fi
	tm kill-server >/dev/null 2>&1 || :
	[ -n "$tsock_path" ] && [ -S "$tsock_path" ] && rm -f "$tsock_path"
	# the server's end hangs up on both panes; whatever is left, by pid
	for e in "$sl_pid:$sl_start" "$w_pid:$w_start" $lab_pids; do
		p=${e%%:*}
		[ -n "$p" ] || continue
		i=0
		while alive "$p" "${e#*:}" && [ "$i" -lt 20 ]; do sleep 0.1; i=$((i + 1)); done
		if alive "$p" "${e#*:}"; then
			kill -KILL "$p" 2>/dev/null || :
		fi
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

q() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }

pane() {	# pane SESSION FORMAT
	tm list-panes -t "$1" -F "$2" 2>/dev/null || :
}

# start SESSION COMM CMD — a tmux session running CMD by exec; prints its pid
start() {
	tm new-session -d -s "$1" -x "$cols" -y "$rows" "$3" || fail "tmux new-session $1 failed"
	i=0
	while :; do
		pid=$(pane "$1" '#{pane_pid}')
		[ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null || :)" = "$2" ] && break
		[ "$(pane "$1" '#{pane_dead}')" = 1 ] && { tm capture-pane -p -t "$1" >&2 || :; fail "$2 exited at once (status $(pane "$1" '#{pane_dead_status}'))"; }
		i=$((i + 1))
		[ "$i" -lt 100 ] || fail "the $1 pane never ran $2"
		sleep 0.05
	done
	echo "$pid"
}

lines() { if [ -f "$trace" ]; then wc -l <"$trace"; else echo 0; fi; }

step() {	# step K — space, then wait (5 s at most) for trace line K
	tm send-keys -t dash Space
	i=0
	while [ "$(lines)" -lt "$1" ]; do
		i=$((i + 1))
		if [ "$i" -gt 100 ]; then
			problem "step $1: no trace line 5 s after the key"
			tm capture-pane -p -t dash | sed 's/^/    | /'
			return 1
		fi
		sleep 0.05
	done
}

mb() { awk -v k="$1" 'BEGIN { printf "%.2f", k / 1024 }'; }

# ---- start both ----
started=$(date +%s)
hz=$(getconf CLK_TCK)
say "socklab dash: the dashboard at rest and stepping, beside watch -n 1 ss -tuan"
say "  $(uname -sr), $(nproc) cores; $(tmux -V); $(watch -v 2>&1 | head -n 1); $(ss -V 2>&1 | head -n 1)"
say "  both in ${cols}x${rows} tmux sessions on a server of their own (-L $tsock); lab $lab, $steps steps"

w_pid=$(start watch watch "exec env LANG=C.UTF-8 watch -n 1 ss -tuan")
w_start=$(start_of "$w_pid")
tsock_path=$(tm display-message -p '#{socket_path}' 2>/dev/null || :)
t_watch=$(now_ns)
sl_pid=$(start dash socklab "exec env LANG=C.UTF-8 SOCKLAB_DASH_TRACE=$(q "$trace") $(q "$bin") dash $lab")
sl_start=$(start_of "$sl_pid")
[ "$(pane dash '#{pane_width}x#{pane_height}')" = "${cols}x${rows}" ] ||
	fail "the dash pane is $(pane dash '#{pane_width}x#{pane_height}'), not ${cols}x${rows}"

# ready once the lab runs: its processes exist only after curses is up,
# so a key sent from then on waits in the terminal for the first pause
i=0
while [ -z "$(descendants "$sl_pid")" ]; do
	if ! alive "$sl_pid" "$sl_start" || [ "$i" -ge 200 ]; then
		tm capture-pane -p -t dash 2>/dev/null | sed 's/^/    | /'
		fail "socklab dash $lab never started its lab (10 s)"
	fi
	i=$((i + 1))
	sleep 0.05
done
record_lab

# ---- the first steps, then the idle window ----
k=1
while [ "$k" -le "$idle_steps" ]; do
	step "$k" || fail "the dashboard did not run step $k"
	sleep "$gap"
	k=$((k + 1))
done
sleep 1
# watch has run for at least 2 s before the window opens
while [ $(( ($(now_ns) - t_watch) / 1000000 )) -lt 2000 ]; do sleep 0.2; done
record_lab
nlab=$(echo "$lab_pids" | wc -w)
say "  socklab pid $sl_pid, its lab $nlab processes ($(for e in $lab_pids; do printf '%s ' "${e%%:*}"; done | sed 's/ $//')); watch pid $w_pid"
say ""

t0=$(now_ns)
sl0=$(ticks_of "$sl_pid"); w0=$(ticks_of "$w_pid"); lab0=$(lab_sum ticks)
sys0=$(sys_of "$sl_pid"); wsys0=$(sys_of "$w_pid")
ns0=$(ns_of "$sl_pid"); wk0=$(wakes_of "$sl_pid")
sleep "$idle_s" &	# waited for, so a signal's trap runs at once
nap_pid=$!
wait "$nap_pid" || :
nap_pid=""
t1=$(now_ns)
sl1=$(ticks_of "$sl_pid"); w1=$(ticks_of "$w_pid"); lab1=$(lab_sum ticks)
sys1=$(sys_of "$sl_pid"); wsys1=$(sys_of "$w_pid")
ns1=$(ns_of "$sl_pid"); wk1=$(wakes_of "$sl_pid")
[ -n "$sl1" ] || fail "socklab exited during the idle window"
[ -n "$w1" ] || fail "watch exited during the idle window"
tm capture-pane -p -t watch | grep -q 'ss -tuan' || problem "the watch pane does not show ss -tuan"
tm capture-pane -p -t watch | grep -q 'Netid' || problem "the watch pane does not show ss's table"

sl_rss_idle=$(kb_of "$sl_pid" VmRSS status)
w_rss=$(kb_of "$w_pid" VmRSS status)
lab_rss=$(lab_sum rss)
lab_pss=$(lab_sum pss)
lab_n=$(lab_alive | wc -w)

pct() { awk -v t="$1" -v hz="$hz" -v ns="$2" 'BEGIN { printf "%.9f", t / hz / (ns / 1e9) * 100 }'; }
secs=$(awk -v ns=$((t1 - t0)) 'BEGIN { printf "%.2f", ns / 1e9 }')
sl_pct=$(pct $((sl1 - sl0)) $((t1 - t0)))
w_pct=$(pct $((w1 - w0)) $((t1 - t0)))
lab_pct=$(pct $((lab1 - lab0)) $((t1 - t0)))
say "Idle: $secs s after step $idle_steps, utime+stime+cutime+cstime (CLK_TCK $hz: 1 tick = $(awk -v hz="$hz" -v s="$secs" 'BEGIN { printf "%.2f", 100 / hz / s }') %)"
printf '  %-22s %6.2f %% of one CPU  (%d ticks, %d of them in the kernel)\n' "socklab dash $lab" "$sl_pct" \
	$((sl1 - sl0)) $((sys1 - sys0))
awk -v ns=$((ns1 - ns0)) -v wall=$((t1 - t0)) -v wk=$((wk1 - wk0)) 'BEGIN {
	printf "  %-22s   schedstat: %.1f ms on CPU (%.2f %%) in %d wakeups, %.2f ms each\n",
		"", ns / 1e6, ns / wall * 100, wk, wk ? ns / 1e6 / wk : 0 }'
printf '  %-22s %6.2f %% of one CPU  (%d ticks, %d of them in the kernel; its ss children included)\n' \
	"watch -n 1 ss -tuan" "$w_pct" $((w1 - w0)) $((wsys1 - wsys0))
printf '  %-22s %6.2f %% of one CPU  (%d ticks, %d processes; information)\n' "the lab's processes" "$lab_pct" $((lab1 - lab0)) "$lab_n"

# ---- the other steps ----
while [ "$k" -le "$steps" ]; do
	step "$k" || break
	sleep "$gap"
	k=$((k + 1))
done
record_lab
sl_rss_end=$(kb_of "$sl_pid" VmRSS status)
sl_hwm=$(kb_of "$sl_pid" VmHWM status)
[ -n "$sl_rss_end" ] || fail "socklab exited while stepping"
sl_rss=$sl_rss_idle
[ "$sl_rss_end" -gt "$sl_rss" ] && sl_rss=$sl_rss_end
say ""
say "RSS (VmRSS; 1 MB = 1024 kB)"
say "  socklab dash $lab           $(mb "$sl_rss_idle") MB after step $idle_steps, $(mb "$sl_rss_end") MB after step $steps (peak VmHWM $(mb "$sl_hwm") MB)"
say "  watch -n 1 ss -tuan      $(mb "$w_rss") MB"
say "  the lab's processes      $(mb "$lab_rss") MB summed over $lab_n ($(mb "$lab_pss") MB Pss: forks of socklab share pages; information)"

# ---- back to step 9: a restart and a silent replay of steps 1-8 ----
tm send-keys -t dash 9
i=0
while ! grep -q '^goto ' "$trace" 2>/dev/null && [ "$i" -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
back=$(awk '$1 == "goto" && $2 == 9 { printf "%.1f", $4 / 1000; exit }' "$trace")
if [ -z "$back" ]; then
	problem "back to step 9: no goto line in the trace 5 s after the key"
	back=-
else
	tm capture-pane -p -t dash | grep -q 'step 8 of 11' ||
		problem "back to step 9: the screen is not at step 8 of 11"
fi
record_lab
say ""
say "Back to step 9 from the end: $back ms (key 9: restart, steps 1-8 replayed, drawn before step 9)"

# ---- the trace ----
say ""
say "Step to screen: key_to_screen_us (from socklab reading the key to the redrawn screen, the step's run included)"
awk -v want="$steps" '
	$1 == "step" && $3 == "key_to_screen_us" { n++; if ($2 != n) bad = bad " " $2; printf "%s %s\n", $2, $4 }
	END { if (n != want || bad != "") exit 1 }' "$trace" >"$tmp/lat" ||
	problem "the trace has $(lines) lines, steps$(awk '{ printf " %s", $2 }' "$trace"); expected 1..$steps in order"
lat_n=$(wc -l <"$tmp/lat")
lat=$(awk '{ print $2 }' "$tmp/lat" | sort -n | awk '
	{ v[NR] = $1 }
	END {
		if (NR == 0) { print "- -"; exit }
		m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%.3f %.3f\n", m / 1000, v[NR] / 1000
	}')
lat_med=${lat% *}
lat_max=${lat#* }
say "  $lat_n steps: median $lat_med ms, max $lat_max ms"
say "  per step, ms:$(awk '{ printf " %.1f", $2 / 1000 }' "$tmp/lat")"

# ---- q: a clean exit, and nothing of socklab's left ----
say ""
tq=$(now_ns)
tm send-keys -t dash q
# socklab's exit status: tmux's (pane_dead_status or pane_dead_signal) once
# it has reaped socklab.  tmux 3.3a now and then leaves the pane dead and
# socklab a zombie for seconds (its SIGCHLD seems lost); the status is then
# the zombie's exit_code (/proc/PID/stat field 52, as waitpid reports it).
st=""; sig=""; how=""
i=0
while [ "$i" -lt 100 ]; do
	st=$(pane dash '#{pane_dead_status}')
	sig=$(pane dash '#{pane_dead_signal}')
	if [ -n "$st$sig" ]; then how="tmux reaped it"; break; fi
	z=$(stat_of "$sl_pid" | awk -v s="$sl_start" '$1 == "Z" && $20 == s {
		c = $50; if (c % 128 == 0) print "exit", int(c / 256) % 256; else print "signal", c % 128 }')
	case $z in
	"exit "*) st=${z#exit }; how="a zombie tmux had not reaped: status from /proc/$sl_pid/stat"; break ;;
	"signal "*) sig=${z#signal }; how="a zombie tmux had not reaped: status from /proc/$sl_pid/stat"; break ;;
	esac
	sleep 0.05
	i=$((i + 1))
done
ms_q=$(( ($(now_ns) - tq) / 1000000 ))
if [ -z "$st$sig" ]; then
	problem "socklab did not exit within 5 s of q (pid $sl_pid: $(if alive "$sl_pid" "$sl_start"; then echo "state $(stat_of "$sl_pid" | awk '{ print $1 }'), in $(cat "/proc/$sl_pid/wchan" 2>/dev/null || :)"; else echo gone; fi); lab processes left:$(lab_alive))"
	tm capture-pane -p -t dash 2>/dev/null | sed 's/^/    | /'
else
	left=$(lab_alive)
	[ -n "$sig" ] && problem "socklab was killed by signal $sig after q"
	[ -n "$st" ] && [ "$st" != 0 ] && problem "socklab exited $st after q, not 0"
	[ -n "$left" ] && problem "after q, lab processes are still there:$left"
	if [ "$st" = 0 ] && [ -z "$left" ]; then
		say "  q: socklab exited 0 within $ms_q ms (polled every 50 ms; $how); its $(echo "$lab_pids" | wc -w) lab processes are gone"
	fi
fi
tm kill-server >/dev/null 2>&1 || :
i=0
while alive "$w_pid" "$w_start" && [ "$i" -lt 40 ]; do sleep 0.05; i=$((i + 1)); done
alive "$w_pid" "$w_start" && problem "watch (pid $w_pid) outlived its tmux server"

# ---- results ----
say ""
say "Results: socklab beside watch -n 1 ss -tuan; ratio = socklab / watch, lower is better (no target)"
awk -v c="$sl_pct" -v wc="$w_pct" -v ct="$cpu_target" \
	-v r="$sl_rss" -v wr="$w_rss" -v rt="$rss_target" \
	-v lm="$lat_med" -v lx="$lat_max" -v lt="$lat_target" \
	-v bk="$back" -v bt="$back_target" '
	function ratio(a, b) { if (b + 0 <= 0) return "-"; q = a / b; return sprintf(q < 0.1 ? "%.3fx" : "%.2fx", q) }
	function row(name, v, fmt, target, w, ra, res) {
		printf "  %-28s %8s  %8s  %8s  %7s  %s\n", name, v == "-" ? "-" : sprintf(fmt, v), target,
			w == "-" ? "-" : sprintf(fmt, w), ra, res
	}
	BEGIN {
		met = 0; missed = 0
		printf "  %-28s %8s  %8s  %8s  %7s  %s\n", "figure", "socklab", "target", "watch", "ratio", "result"
		# judged on the exact figures, not the rounded ones
		ok = c < ct; if (ok) met++; else missed++
		row("idle CPU, % of one CPU", c, "%.2f", "< " ct, wc, ratio(c, wc), ok ? "ok" : "MISSED")
		ok = r / 1024 < rt; if (ok) met++; else missed++
		row("RSS, MB", r / 1024, "%.2f", "< " rt, wr / 1024, ratio(r, wr), ok ? "ok" : "MISSED")
		if (lx == "-") { missed++; res = "MISSED" } else { ok = lx < lt; if (ok) met++; else missed++; res = ok ? "ok" : "MISSED" }
		row("step to screen, max ms", lx, "%.1f", "< " lt, "-", "-", res)
		row("step to screen, median ms", lm, "%.1f", "-", "-", "-", "-")
		if (bk == "-") { missed++; res = "MISSED" } else { ok = bk < bt; if (ok) met++; else missed++; res = ok ? "ok" : "MISSED" }
		row("back to step 9, ms", bk, "%.1f", "< " bt, "-", "-", res)
		printf "\n%d targets met, %d missed\n", met, missed
	}'
say "whole run: $(( $(date +%s) - started )) s"
if [ "$broken" = 1 ]; then
	say "something broke (see PROBLEM above): exit 1"
	exit 1
fi
exit 0
