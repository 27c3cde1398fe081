# helpers.bash — shared setup for the socklab CLI tests (bats >= 1.5).
#
# SOCKLAB_BUILD is the build directory (build, or build/san for the
# sanitizer build), relative to the repository root or absolute.

bats_require_minimum_version 1.5.0

REPO_ROOT="$(cd "$BATS_TEST_DIRNAME/../.." && pwd)"
BUILD="${SOCKLAB_BUILD:-build}"
case "$BUILD" in
/*) ;;
*) BUILD="$REPO_ROOT/$BUILD" ;;
esac
SOCKLAB="$BUILD/socklab"
LABS="$BUILD/labs"
TEST_LABS="$BUILD/tests/labs"

# What the tests depend on is pinned here, for setup_file and every test,
# not inherited from whoever runs them (root or a user, any login shell,
# locale or tmux).  A test that wants another value sets it on its command.
# - LC_ALL: patterns and widths of the screens' box-drawing glyphs
#   (grep '─*', wc -L) count characters, and only a UTF-8 locale has them;
# - SHELL: tmux runs a pane's command with $SHELL.  The commands are bash
#   (printf %q quoting), and bash outlives a Ctrl-C of its child (dash, a
#   user's /bin/sh, dies with it before it writes the exit status);
# - TMUX_TMPDIR: tmux's sockets in a directory of this run: inside
#   `unshare -r` a test is uid 0, and root's /tmp/tmux-0 is not its own;
# - HOME: an empty one, so that no dotfile of the user's takes part;
# - TERM: tmux sets a pane's own; everything else sees a plain xterm.
export LC_ALL=C.UTF-8 SHELL=/bin/bash TERM=xterm
export TMUX_TMPDIR="$BATS_RUN_TMPDIR/tmux" HOME="$BATS_RUN_TMPDIR/home"
mkdir -p "$TMUX_TMPDIR" "$HOME"
unset TMUX	# a tmux of the caller's: its clients must not nest into ours

common_setup() {
	cd "$REPO_ROOT" || return 1
	[ -x "$SOCKLAB" ] || {
		echo "no $SOCKLAB: run 'make' first" >&2
		return 1
	}
	# tests read plain text: never colour, whatever the caller's environment
	export NO_COLOR=1
	# the marks tests look for are UTF-8 (✔ ·); glyphs.bats asks for LANG=C;
	# the words are English (i18n.bats asks for other languages)
	export LANG=C.UTF-8 && unset LC_ALL LC_CTYPE LANGUAGE
	# this test's tmux server (tmux_* below), in the run's TMUX_TMPDIR
	TSOCK="socklab-$(basename "$BATS_TEST_FILENAME" .bats)-$BATS_TEST_NUMBER"
	export TSOCK
}

# ---------------------------------------------------------------- tmux
# A terminal for a test: a tmux server of its own (socket $TSOCK, under the
# private TMUX_TMPDIR above, no config), one pane; keys in, screen out.
# The functions are exported: a test that needs a network namespace runs
# them in the shell it unshares (bash -c), where the server then starts.

# Skip the test when there is no tmux.
tmux_needed() {
	command -v tmux >/dev/null || skip "tmux not installed"
}

# tmux_start [-x COLS] [-y ROWS] COMMAND: COMMAND (a shell line) in a
# detached COLSxROWS pane (100x30).  A command that should be looked at
# after it ends keeps its pane open (e.g. `...; sleep 60`).
tmux_start() {
	local cols=100 rows=30
	while :; do
		case $1 in
		-x) cols=$2; shift 2 ;;
		-y) rows=$2; shift 2 ;;
		*) break ;;
		esac
	done
	# bats keeps fd 3 open: tmux's server must not inherit it
	tmux -L "$TSOCK" -f /dev/null new-session -d -x "$cols" -y "$rows" "$1" 3>&-
}

# tmux_screen [capture-pane OPTIONS]: the pane as text (-e: with its
# attributes as escape sequences), and $TMUX_HISTORY lines of scrollback
# above it when that is set (a transcript that scrolls).
tmux_screen() {
	tmux -L "$TSOCK" capture-pane -p ${TMUX_HISTORY:+-S -"$TMUX_HISTORY"} "$@"
}

# tmux_wait ERE [SECONDS]: wait (up to SECONDS, 5) until the screen matches
# ERE; when it never does, say so and show the screen on stderr, return 1.
tmux_wait() {
	local _
	for _ in $(seq $(( ${2:-5} * 10 ))); do
		tmux_screen | grep -Eq -- "$1" && return 0
		sleep 0.1
	done
	echo "screen never matched: $1" >&2
	tmux_screen >&2
	return 1
}

# tmux_keys KEY...: tmux send-keys (Enter, C-c, a string...)
tmux_keys() {
	tmux -L "$TSOCK" send-keys "$@"
}

# tmux_pane FORMAT: the pane's #{FORMAT} (pane_pid: its shell; pane_tty)
tmux_pane() {
	tmux -L "$TSOCK" list-panes -F "#{$1}"
}

# The server ends, and the pane's processes get a SIGHUP.
tmux_done() {
	tmux -L "$TSOCK" kill-server 2>/dev/null || true
}
export -f tmux_start tmux_screen tmux_wait tmux_keys tmux_pane tmux_done

# Print $output (or $stderr) on failure, so a red test shows what it saw.
show_output() {
	printf 'status: %s\n--- stdout ---\n%s\n' "$status" "$output" >&2
	if [ -n "${stderr+x}" ]; then
		printf -- '--- stderr ---\n%s\n' "$stderr" >&2
	fi
}

# The body of step N of a `socklab run` text transcript: from its
# "Step N " heading up to (not including) the next heading or the result.
step_block() {
	printf '%s\n' "$output" | awk -v n="$1" '
		/^Step [0-9]+ / { on = ($2 == n) }
		/^[^ ]/ && !/^Step / { on = 0 }
		on'
}

# 1-based number of the first line of $output matching the ERE $1 (none: 0).
line_no() {
	printf '%s\n' "$output" | awk -v re="$1" '$0 ~ re { print NR; found = 1; exit }
		END { if (!found) print 0 }'
}

# Pids of processes still alive (not zombies) whose command line contains
# the fixed string $1.  pgrep only looks here; nothing is ever killed.
live_pids_matching() {
	local pid state
	for pid in $(pgrep -f -- "$1"); do
		state=$(awk '{ sub(/^.*\) /, ""); print $1 }' "/proc/$pid/stat" 2>/dev/null) || continue
		[ -n "$state" ] && [ "$state" != Z ] && echo "$pid"
	done
	return 0
}

# free_port_bases N: the bases of N ranges of 100 ports (what a --host run
# uses) that hold no socket in any state (an earlier run's TIME-WAIT
# included), above this host's ephemeral range so that no other program's
# connection picks one of their ports (below it, from 20000, when there is
# no room above).  One per line; fewer when there are not enough.
free_port_bases() {
	local want=$1 lo hi b found=0 used
	read -r lo hi < /proc/sys/net/ipv4/ip_local_port_range
	used=$(ss -tuanH | awk '{ n = split($5, a, ":"); print a[n] }' | sort -un)
	for b in $(seq $(( (hi / 100 + 1) * 100 )) 100 65400) $(seq 20000 100 $(( lo - 100 ))); do
		[ "$found" -lt "$want" ] || break
		awk -v b="$b" '$1 >= b && $1 < b + 100 { f = 1 } END { exit f }' <<<"$used" || continue
		echo "$b"
		found=$((found + 1))
	done
}

# 0 when $SOCKLAB has the BPF flags reader (src/inspect/bpf.c), 1 when it
# was built without it (make BPF=0, or no clang or libbpf: bpf_none.c, what
# inspect_bpf_built() says).  The binary itself tells: only the stand-in
# carries its "not built" message.
bpf_reader_built() {
	! "$SOCKLAB" --version 2>/dev/null | grep -qE '^ *bpf-flags +no +not built in'
}

# Skip the test when it needs the BPF flags reader and this build has none.
skip_unless_bpf_built() {
	bpf_reader_built ||
		skip "socklab was built without the BPF flags reader (BPF=0, or no clang/libbpf at build time): ${1:-this test reads flags only it can}"
}

# python_setup: $PY, the interpreter the Python labs and submissions run
# with (Debian's first: it has python3-twisted), exported as
# SOCKLAB_PYTHON; or skip the test when there is none
python_setup() {
	PY=$(command -v /usr/bin/python3 || command -v python3 || true)
	[ -n "$PY" ] || skip "no python3 here"
	export SOCKLAB_PYTHON="$PY"
}

# ---------------------------------------------------------------- no sandbox
# no_userns ARGS...: run ARGS as uid 65534 where unprivileged user
# namespaces are disabled: inside a user namespace of our own (uids 0..65535
# mapped to the host's), whose own user.max_user_namespaces is set to 0.
# The host's sysctl is not touched; that one is per user namespace.
no_userns() {
	local d pid q st
	d=$(mktemp -d "$BATS_TEST_TMPDIR/userns.XXXXXX")
	mkfifo "$d/go"
	q=$(printf ' %q' "$@")
	unshare -U sh -c "read x < $d/go; exec sh -c 'echo 0 > /proc/sys/user/max_user_namespaces && exec setpriv --reuid 65534 --regid 65534 --clear-groups $q'" &
	pid=$!
	# once it has its own user namespace, map it (as root, from outside)
	while [ "$(readlink /proc/$pid/ns/user)" = "$(readlink /proc/self/ns/user)" ]; do
		sleep 0.01
	done
	echo '0 0 65536' > /proc/$pid/uid_map
	echo '0 0 65536' > /proc/$pid/gid_map
	echo go > "$d/go"
	st=0
	wait $pid || st=$?
	return $st
}
