#!/usr/bin/env bats
# version.bats — socklab --version: the version, the kernel it runs on, and
# each optional feature with a one-word state and a reason, checked against
# what the kernel lets this user do (util-linux's unshare, uname).

load helpers

setup() {
	common_setup
}

# The state word of feature $1 in $output ("yes"/"no"), or nothing.
state_of() {
	printf '%s\n' "$output" | awk -v f="$1" '$1 == f { print $2 }'
}

# as_nobody CMD...: CMD as uid/gid 65534, or skip.
as_nobody() {
	[ "$(id -u)" -eq 0 ] || skip "needs root to switch to uid 65534"
	command -v setpriv >/dev/null || skip "setpriv (util-linux) not installed"
	setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
}

@test "--version: the version, uname -r, and one line per feature" {
	run "$SOCKLAB" --version
	[ "$status" -eq 0 ] || { show_output; false; }
	[[ "${lines[0]}" =~ ^socklab\ [0-9]+\.[0-9]+\.[0-9]+$ ]] || { show_output; false; }
	[[ "$output" == *"kernel: Linux $(uname -r) $(uname -m)"* ]] || { show_output; false; }
	for f in user-namespaces sandbox pidfd_getfd bpf-flags; do
		n=$(printf '%s\n' "$output" | grep -Ec "^  $f +(yes|no) +[^ ].{10,}$")
		[ "$n" -eq 1 ] || { echo "feature $f: $n lines" >&2; show_output; false; }
	done
}

@test "--version: user-namespaces and sandbox say what unshare(1) can do as this user" {
	command -v unshare >/dev/null || skip "unshare (util-linux) not installed"
	run "$SOCKLAB" --version
	want=no
	unshare --user true 2>/dev/null && want=yes
	[ "$(state_of user-namespaces)" = "$want" ] || { echo "unshare --user: $want" >&2; show_output; false; }
	want=no
	if [ "$(id -u)" -eq 0 ]; then
		unshare --net true 2>/dev/null && want=yes
	else
		unshare --user --net true 2>/dev/null && want=yes
	fi
	[ "$(state_of sandbox)" = "$want" ] || { echo "unshare (sandbox): $want" >&2; show_output; false; }
}

@test "--version as uid 65534: BPF flags reader built in but not usable, and why" {
	# the skips here, not inside `run` (a skip in its subshell is lost)
	[ "$(id -u)" -eq 0 ] || skip "needs root to switch to uid 65534"
	command -v setpriv >/dev/null || skip "setpriv (util-linux) not installed"
	skip_unless_bpf_built "it checks the built reader's refusal"
	run as_nobody "$SOCKLAB" --version
	[ "$status" -eq 0 ] || { show_output; false; }
	[[ "$output" == *"as uid 65534"* ]] || { show_output; false; }
	[ "$(state_of bpf-flags)" = no ] || { show_output; false; }
	printf '%s\n' "$output" | grep -Eq '^  bpf-flags +no +.*needs root' || { show_output; false; }
	# and the user namespace line still matches what this user can do
	want=no
	as_nobody unshare --user true 2>/dev/null && want=yes
	[ "$(state_of user-namespaces)" = "$want" ] || { show_output; false; }
}

@test "--version as root: the BPF reader is tried, not assumed (yes with a socket count, or no with the load's errno)" {
	[ "$(id -u)" -eq 0 ] || skip "needs root"
	run "$SOCKLAB" --version
	[ "$status" -eq 0 ] || { show_output; false; }
	printf '%s\n' "$output" | grep -Eq '^  bpf-flags +(yes  built in and loaded: read the flags of [0-9]+ socket|no  built in, (failed to load: E[A-Z]+|not usable))' ||
		{ show_output; false; }
}

@test "--version in a user namespace with no more allowed: user-namespaces no, with the knob" {
	command -v unshare >/dev/null || skip "unshare (util-linux) not installed"
	unshare --user --map-root-user true 2>/dev/null || skip "no user namespace here"
	# inside a new user namespace, user.max_user_namespaces can be set to 0 for it
	run unshare --user --map-root-user --mount sh -c \
		'echo 0 > /proc/sys/user/max_user_namespaces 2>/dev/null || exit 77; exec "$0" --version' "$SOCKLAB"
	[ "$status" -ne 77 ] || skip "cannot lower user.max_user_namespaces in a user namespace here"
	[ "$status" -eq 0 ] || { show_output; false; }
	printf '%s\n' "$output" | grep -Eq '^  user-namespaces +no  .*max_user_namespaces' || { show_output; false; }
}
