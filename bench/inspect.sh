#!/bin/sh
# bench/inspect.sh [BUILD] — issue 3: `socklab watch --once` against ss(8)
# and lsof(8) on a host with many sockets.
#
# For N in 1000 10000 50000 UDP sockets (plus N/10 TCP listeners), held by
# bench/holder processes on explicit 127.0.0.x:port addresses, it times
# side by side in one hyperfine run per N:
#   1a socklab watch --once --udp --port P          vs ss -uan 'sport = :P'
#   1b socklab watch --once --udp --port P          vs ss -uan '( sport = :P or dport = :P )'
#   1c socklab watch --once --port P (TCP and UDP)  vs ss -tuan '( sport = :P or dport = :P )'
#   2  socklab watch --once --owners --udp --port P vs ss -uanp 'sport = :P'
#   3  socklab watch --once --owners --udp          vs ss -uanp
#   4  socklab watch --once --udp --port P          vs lsof -nP -iUDP:P
# UDP on both sides of a pair: a TCP dump walks the kernel's whole
# established hash (~6 ms here, whatever the filter), which ss -u skips.
# Targets: ratio socklab/reference <= 1.0 in every ss pair at N = 50000;
# pair 2 below 1.0 at every N; pair 4 <= 0.05 (20x faster) at every N.
# 1c has no target: it is the like-for-like figure (socklab without --udp
# dumps TCP too, and any TCP dump walks the kernel's whole established
# hash, a cost of its own that ss -u never pays).
#
# Everything runs in a fresh network namespace this script creates (as
# root `unshare -n`, otherwise `unshare -rn`): only lo, only 127.0.0.0/8,
# no packet sent.  Holders are killed by PID and reaped on every exit path.
# Exit 0 when it ran (targets missed or not), 1 when something broke.
#
# Environment: BENCH_SIZES ("1000 10000 50000"), BENCH_PORT (9999),
# BENCH_P_AT (last: the two port-P sockets are the last ones a /proc scan
# finds, the worst case for an owner scan that stops early; first: the
# first ones), BENCH_PER_HOLDER (15000 sockets per holder process),
# BENCH_MAX_RUNS (200), BENCH_NO_INSTALL=1 (never apt-get), BENCH_LOOP=1
# (shell loop instead of hyperfine).
set -euf

build=${1:-build}
case $build in /*) ;; *) build=$(pwd)/$build ;; esac
bench_dir=$(cd "$(dirname "$0")" && pwd)
script=$bench_dir/inspect.sh
sizes=${BENCH_SIZES:-1000 10000 50000}
target_n=50000
P=${BENCH_PORT:-9999}
p_at=${BENCH_P_AT:-last}
per_holder=${BENCH_PER_HOLDER:-15000}
max_runs=${BENCH_MAX_RUNS:-200}
port_base=10000
holder=$build/bench/holder
bin=$build/socklab

say() { printf '%s\n' "$*"; }
fail() { printf 'bench: %s\n' "$*" >&2; exit 1; }

case $P in '' | *[!0-9]*) fail "BENCH_PORT must be a port below $port_base" ;; esac
if [ "$P" -lt 1 ] || [ "$P" -ge "$port_base" ]; then fail "BENCH_PORT must be a port below $port_base"; fi
case $p_at in first | last) ;; *) fail "BENCH_P_AT is first or last" ;; esac

find_lsof() {
	for l in "$(command -v lsof 2>/dev/null || :)" /usr/bin/lsof /usr/sbin/lsof /sbin/lsof; do
		[ -n "$l" ] && [ -x "$l" ] && { echo "$l"; return 0; }
	done
	return 1
}

# ---- outside: tools, the holder, then into a fresh network namespace ----
if [ -z "${SOCKLAB_BENCH_HOSTNS:-}" ]; then
	. "$(dirname "$0")/lib.sh"	# try_install
	if [ -z "${BENCH_LOOP:-}" ] && ! command -v hyperfine >/dev/null 2>&1; then
		try_install hyperfine || say "bench: no hyperfine; timing with a shell loop instead"
	fi
	find_lsof >/dev/null || try_install lsof || say "bench: no lsof, and it could not be installed"
	command -v ss >/dev/null 2>&1 && command -v ip >/dev/null 2>&1 || try_install iproute2 ||
		fail "ss and ip (iproute2) are needed"
	command -v unshare >/dev/null 2>&1 || fail "unshare (util-linux) is needed"

	mkdir -p "$build/bench"
	${CC:-cc} -O2 -std=c11 -D_GNU_SOURCE -Wall -Wextra -o "$holder" "$bench_dir/holder.c" ||
		fail "could not compile $bench_dir/holder.c"

	SOCKLAB_BENCH_HOSTNS=$(readlink /proc/self/ns/net)
	export SOCKLAB_BENCH_HOSTNS
	if [ "$(id -u)" = 0 ]; then
		exec unshare -n -- sh "$script" "$build"
	else
		exec unshare -rn -- sh "$script" "$build"
	fi
fi

# ---- inside the fresh namespace ----
[ "$(readlink /proc/self/ns/net)" != "$SOCKLAB_BENCH_HOSTNS" ] ||
	fail "still in the host's network namespace; refusing to bind anything"
ip link set lo up || fail "cannot bring lo up in the benchmark's namespace"
[ -z "$(ss -Htuan)" ] || fail "the new namespace is not empty"
# (awk, not read: dash reads a byte at a time, and a sysctl file answers
# a read at a non-zero offset with end of file)
eph_lo=$(awk '{ print $1 }' /proc/sys/net/ipv4/ip_local_port_range)
width=$((eph_lo - port_base))	# ports per address: port_base .. ephemeral range - 1
[ "$width" -ge 1000 ] || fail "ephemeral range starts at $eph_lo; no room below it"
export NO_COLOR=1

lsof=$(find_lsof || :)
timer=loop
[ -z "${BENCH_LOOP:-}" ] && command -v hyperfine >/dev/null 2>&1 && timer=hyperfine
have_watch=0
[ -x "$bin" ] && "$bin" watch --help >/dev/null 2>&1 && have_watch=1

tmp=$(mktemp -d "${TMPDIR:-/tmp}/socklab-bench.XXXXXX")
pids=""
hf_pid=""
broken=0
problem() { printf '  PROBLEM: %s\n' "$*"; broken=1; }

stop_holders() {	# by PID, then reap each one
	for pid in $pids; do kill -TERM "$pid" 2>/dev/null || :; done
	for pid in $pids; do wait "$pid" 2>/dev/null || :; done
	pids=""
}
# shellcheck disable=SC2317 # cleanup runs from the EXIT trap
cleanup() {
	if [ -n "$hf_pid" ]; then
		kill -TERM "$hf_pid" 2>/dev/null || :
		wait "$hf_pid" 2>/dev/null || :
	fi
	stop_holders
	exec 3>&-
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# The holders' stdin: a FIFO only this shell keeps open for writing, so
# they see end of file whenever it goes away, however it goes.
mkfifo "$tmp/stdin"
exec 3<>"$tmp/stdin"

start_holders() {	# start_holders N — N UDP (2 of them on port P) + N/10 TCP listeners
	n=$1
	udp=$((n - 2))
	tcp=$((n / 10))
	nholders=$(( (n + tcp + per_holder - 1) / per_holder ))
	h=0
	while [ "$h" -lt "$nholders" ]; do
		u0=$((udp * h / nholders)); u1=$((udp * (h + 1) / nholders))
		t0=$((tcp * h / nholders)); t1=$((tcp * (h + 1) / nholders))
		set -- -u "$u0:$((u1 - u0))" -t "$((udp + t0)):$((t1 - t0))" -b "$port_base" -w "$width"
		if [ "$p_at" = last ] && [ "$h" -eq $((nholders - 1)) ]; then
			set -- "$@" -p "$P"
		elif [ "$p_at" = first ] && [ "$h" -eq 0 ]; then
			set -- "$@" -p "$P" -e
		fi
		mkfifo "$tmp/ready"
		"$holder" "$@" <"$tmp/stdin" >"$tmp/ready" 2>>"$tmp/holder.err" 3>&- &
		pids="$pids $!"
		word=""
		read -r word _ <"$tmp/ready" || :
		rm -f "$tmp/ready"
		if [ "$word" != ready ]; then
			cat "$tmp/holder.err" >&2
			fail "holder $h ($*) did not get ready"
		fi
		h=$((h + 1))
	done
}

rows() {	# rows FILE [WORD] — lines naming port P (and WORD, if given)
	if [ -n "${2:-}" ]; then
		grep -E ":$P([^0-9]|\$)" "$1" | grep -c -- "$2" || :
	else
		grep -c -E ":$P([^0-9]|\$)" "$1" || :
	fi
}

# check NAME CMD N — run CMD once; does it work and show what it should?
check() {
	out=$tmp/out
	rc=0
	eval "$2" >"$out" 2>"$out.err" || rc=$?
	if [ "$rc" != 0 ]; then
		problem "$2 exited $rc: $(head -n 1 "$out.err")"
		return 1
	fi
	case $1 in
	ss_port | ss_port_fair | ss_tu_port | sl_port | sl_uport) want=2 got=$(rows "$out") what="rows on port $P" ;;
	ss_p_port | sl_owners_uport) want=2 got=$(rows "$out" holder) what="rows on port $P owned by holder" ;;
	lsof_port) want=2 got=$(grep -c -E "^holder .*:$P([^0-9]|\$)" "$out" || :) what="holder rows on port $P" ;;
	ss_p_all | sl_owners_udp) want=$3 got=$(grep -c holder "$out" || :) what="rows owned by holder" ;;
	esac
	if [ "$got" != "$want" ]; then
		problem "$2 printed $got $what, expected $want"
		return 1
	fi
}

# time_loop CMD — mean seconds per run, by a shell loop (no hyperfine)
time_loop() {
	i=0
	while [ "$i" -lt 3 ]; do eval "$1" >/dev/null 2>&1 || return 1; i=$((i + 1)); done
	t0=$(date +%s%N)
	eval "$1" >/dev/null 2>&1 || return 1
	t1=$(date +%s%N)
	runs=$(( 3000000000 / (t1 - t0 + 1) ))
	[ "$runs" -ge 10 ] || runs=10
	[ "$runs" -le "$max_runs" ] || runs=$max_runs
	i=0
	t0=$(date +%s%N)
	while [ "$i" -lt "$runs" ]; do eval "$1" >/dev/null 2>&1 || return 1; i=$((i + 1)); done
	t1=$(date +%s%N)
	awk -v ns=$((t1 - t0)) -v r="$runs" 'BEGIN { printf "%.9f\n", ns / r / 1e9 }'
}

# ---- header ----
started=$(date +%s)
say "socklab watch vs ss and lsof (issue 3)"
say "  $(uname -sr), $(nproc) cores; $(ss -V 2>&1 | head -n 1)$( [ -n "$lsof" ] && printf '; lsof %s' "$("$lsof" -v 2>&1 | sed -n 's/^ *revision: *//p' | head -n 1)")"
if [ "$timer" = hyperfine ]; then
	say "  timing: $(hyperfine --version), -N, 3 warmup runs, 10..$max_runs runs per command (about 3 s each); mean wall time"
else
	say "  timing: shell loop (no hyperfine), 3 warmup runs, 10..$max_runs runs per command; mean wall time, includes fork+exec"
fi
say "  fresh network namespace (only lo); sockets on 127.0.0.2.. ports $port_base..$((eph_lo - 1)) (ephemeral range starts at $eph_lo)"
say "  P = $P: exactly two UDP sockets (127.0.0.2:$P, 127.0.0.3:$P), bound by the $p_at holder $( [ "$p_at" = last ] && echo after || echo before) all its others"
if [ "$have_watch" = 1 ]; then
	say "  socklab: $bin"
else
	say "  socklab watch: not built yet ($bin has no 'watch' command); reference timings only"
fi
say ""

sl() { printf "'%s' watch --once %s" "$bin" "$1"; }

for n in $sizes; do
	case $n in '' | *[!0-9]*) fail "BENCH_SIZES: '$n' is not a number" ;; esac
	[ "$n" -ge 10 ] || fail "BENCH_SIZES: $n is too small (at least 10)"
	t_start=$(date +%s%N)
	start_holders "$n"
	t_ready=$(date +%s%N)
	nudp=$(ss -Huan | wc -l)
	ntcp=$(ss -Htln | wc -l)
	hp=processes; [ "$nholders" -gt 1 ] || hp=process
	say "N = $n: $nudp UDP sockets ($P: 2 of them) + $ntcp TCP listeners in $nholders holder $hp, bound in $(( (t_ready - t_start) / 1000000 )) ms"
	if [ "$nudp" -ne "$n" ] || [ "$ntcp" -ne $((n / 10)) ]; then
		fail "expected $n UDP sockets and $((n / 10)) TCP listeners"
	fi

	# name, command — references first, then socklab's
	cmds="ss_port|ss -uan 'sport = :$P'
ss_port_fair|ss -uan '( sport = :$P or dport = :$P )'
ss_tu_port|ss -tuan '( sport = :$P or dport = :$P )'
ss_p_port|ss -uanp 'sport = :$P'
ss_p_all|ss -uanp"
	if [ -n "$lsof" ]; then
		cmds="$cmds
lsof_port|'$lsof' -nP -iUDP:$P"
	else
		problem "lsof is not installed: pair 4 has no reference"
	fi
	if [ "$have_watch" = 1 ]; then
		cmds="$cmds
sl_port|$(sl "--port $P")
sl_uport|$(sl "--udp --port $P")
sl_owners_uport|$(sl "--owners --udp --port $P")
sl_owners_udp|$(sl "--owners --udp")"
	fi

	# run each once and check its output; only working commands are timed
	good=""
	oldifs=$IFS
	IFS='
'
	for line in $cmds; do
		IFS=$oldifs
		name=${line%%|*}
		cmd=${line#*|}
		if check "$name" "$cmd" "$n"; then
			good="$good$name|$cmd
"
		else
			echo "$n $name failed" >>"$tmp/results"
		fi
	done
	IFS=$oldifs

	: >"$tmp/times"
	if [ "$timer" = hyperfine ]; then
		set --
		IFS='
'
		for line in $good; do
			set -- "$@" -n "${line%%|*}" "${line#*|}"
		done
		IFS=$oldifs
		csv=$build/bench/inspect-$n.csv
		# in the background, so a signal's trap runs at once, not when it ends
		hyperfine -N --warmup 3 --min-runs 10 --max-runs "$max_runs" --style none \
			--export-json "$build/bench/inspect-$n.json" --export-csv "$csv" "$@" \
			>"$tmp/hyperfine.log" 2>&1 3>&- &
		hf_pid=$!
		rc=0
		wait "$hf_pid" || rc=$?
		hf_pid=""
		if [ "$rc" = 0 ]; then
			tail -n +2 "$csv" | awk -F, '{ printf "%s %.9f %.9f\n", $1, $2, $3 }' >>"$tmp/times"
		else
			cat "$tmp/hyperfine.log" >&2
			problem "hyperfine failed at N = $n"
		fi
	else
		IFS='
'
		for line in $good; do
			IFS=$oldifs
			if mean=$(time_loop "${line#*|}"); then
				echo "${line%%|*} $mean -" >>"$tmp/times"
			else
				problem "${line#*|} failed while timed"
			fi
		done
		IFS=$oldifs
	fi

	# the raw figures, with the full commands
	IFS='
'
	for line in $good; do
		IFS=$oldifs
		name=${line%%|*}
		awk -v name="$name" -v cmd="${line#*|}" -v n="$n" -v res="$tmp/results" '
			$1 == name {
				sd = ($3 == "-") ? "" : sprintf("  sd %.2f", $3 * 1000)
				printf "  %9.2f ms%s  %s\n", $2 * 1000, sd, cmd
				printf "%s %s %.6f\n", n, name, $2 * 1000 >> res
			}' "$tmp/times"
	done
	IFS=$oldifs

	stop_holders
	left=$(ss -Htuan | wc -l)
	[ "$left" -eq 0 ] || fail "$left sockets still open after the holders were stopped"
	say ""
done

# ---- the comparison table ----
# pair | label | socklab command | reference command | target kind
say "Comparison: mean ms per run; ratio = socklab / reference, lower is better"
say "  1a  watch --once --udp --port P      vs  ss -uan 'sport = :P'"
say "  1b  watch --once --udp --port P      vs  ss -uan '( sport = :P or dport = :P )'"
say "  1c  watch --once --port P            vs  ss -tuan '( sport = :P or dport = :P )'   (like for like: TCP and UDP)"
say "  2   watch --once --owners --udp --port P  vs  ss -uanp 'sport = :P'"
say "  3   watch --once --owners --udp      vs  ss -uanp"
say "  4   watch --once --udp --port P      vs  lsof -nP -iUDP:P"
say "  targets: <= 1.00x ss in every pair at N = $target_n; pair 2 < 1.00x at every N; pair 4 <= 0.05x (20x faster) at every N"
say ""
touch "$tmp/results"
awk -v sizes="$sizes" -v target_n="$target_n" -v have_watch="$have_watch" '
	{ v[$1 " " $2] = $3 }
	function cell(key) {
		if (!(key in v)) return "-"
		if (v[key] == "failed") return "failed"
		return sprintf("%.2f", v[key])
	}
	BEGIN {
		npairs = split("1a 1b 1c 2 3 4", pid, " ")
		sln["1a"] = "sl_uport";       ref["1a"] = "ss_port";      kind["1a"] = "ss"
		sln["1b"] = "sl_uport";       ref["1b"] = "ss_port_fair"; kind["1b"] = "ss"
		sln["1c"] = "sl_port";        ref["1c"] = "ss_tu_port";   kind["1c"] = "info"
		sln["2"] = "sl_owners_uport"; ref["2"] = "ss_p_port";     kind["2"] = "faster"
		sln["3"] = "sl_owners_udp";   ref["3"] = "ss_p_all";      kind["3"] = "ss"
		sln["4"] = "sl_uport";        ref["4"] = "lsof_port";     kind["4"] = "lsof"
	}
	END {
		nn = split(sizes, ns, " ")
		w = have_watch ? 12 : 29
		printf "  %6s  %-4s  %*s  %12s  %8s  %8s  %s\n", "N", "pair", w, "socklab ms", "reference ms", "ratio", "target", "result"
		met = 0; missed = 0
		for (i = 1; i <= nn; i++) for (j = 1; j <= npairs; j++) {
			n = ns[i]; p = pid[j]
			s = have_watch ? cell(n " " sln[p]) : "socklab watch: not built yet"
			r = cell(n " " ref[p])
			target = "-"
			if (kind[p] == "ss" && n == target_n) target = "<= 1.00x"
			if (kind[p] == "faster") target = "< 1.00x"
			if (kind[p] == "lsof") target = "<= 0.05x"
			ratio = "-"; result = "-"
			if (s ~ /^[0-9.]+$/ && r ~ /^[0-9.]+$/ && r + 0 > 0) {
				q = s / r
				ratio = sprintf(q < 0.1 ? "%.3fx" : "%.2fx", q)
				# judged on the exact quotient, not the rounded one
				if (target == "<= 1.00x") ok = q <= 1.0
				else if (target == "< 1.00x") ok = q < 1.0
				else if (target == "<= 0.05x") ok = q <= 0.05
				if (target != "-") {
					result = ok ? "ok" : "MISSED"
					if (ok) met++; else missed++
				}
			} else if (!have_watch) {
				result = "n/a"
			}
			printf "  %6s  %-4s  %*s  %12s  %8s  %8s  %s\n", n, p, w, s, r, ratio, target, result
		}
		printf "\n"
		if (have_watch) printf "targets: %d met, %d MISSED\n", met, missed
		else printf "targets: not judged (socklab watch: not built yet)\n"
	}' "$tmp/results"
[ "$timer" = hyperfine ] && say "hyperfine exports: $build/bench/inspect-N.json and .csv"
say "whole run: $(( $(date +%s) - started )) s"
if [ "$broken" = 1 ]; then
	say "something broke (see PROBLEM above): exit 1"
	exit 1
fi
exit 0
