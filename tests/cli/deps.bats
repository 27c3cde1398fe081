#!/usr/bin/env bats
# deps.bats — tools/deps.sh by tier, on a machine where the optional
# packages are missing: `make run` (deps.sh build) installs nothing and
# goes on; a user who cannot install gets the line for an administrator and
# is never asked for a password.
#
# The machine is this one, its packages hidden: in a private mount
# namespace (unshare -m) a copy of /var/lib/dpkg/status without the hidden
# packages' stanzas is bind-mounted over the real one, so dpkg-query says
# they are not installed.  Nothing can be installed for real: a fake
# apt-get (and a fake sudo) are first on PATH and are also bind-mounted
# over /usr/bin/apt-get and /usr/bin/sudo; they record every call.

load helpers

# the packages of tools/deps.sh's tiers test, fuzz, memcheck and bpf
OPTIONAL="libcmocka-dev bats tmux iproute2 jq tcpdump bash-completion zsh clang libclang-rt-dev valgrind libbpf-dev"

setup() {
	cd "$REPO_ROOT" || return 1
	[ "$(id -u)" = 0 ] || skip "needs root to make a private mount namespace"
	command -v dpkg-query >/dev/null || skip "no dpkg here: nothing to hide"
	unshare -m true 2>/dev/null || skip "unshare -m is not permitted here"
	for p in make gcc pkg-config libmnl-dev libncurses-dev; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
			skip "build package $p is not installed: nothing to compare with"
	done
	# readable by uid 65534 (BATS_TEST_TMPDIR may not be); logs writable
	T=$(mktemp -d /tmp/socklab-deps.XXXXXX)
	chmod 755 "$T"
	mkdir -m 1777 "$T/log"
	mkdir "$T/bin"
	cp tools/deps.sh "$T/deps.sh"
	cat >"$T/bin/apt-get" <<EOF
#!/bin/sh
echo "uid \$(id -u): apt-get \$*" >>"$T/log/apt-get"
[ "\$1" = update ] && exit 0
exit 100
EOF
	# sudo -n CMD: runs CMD when SUDO_OK=1, else fails as a sudo that would
	# want a password does; sudo without -n is the interactive call that must
	# never happen
	cat >"$T/bin/sudo" <<EOF
#!/bin/sh
echo "sudo \$*" >>"$T/log/sudo"
if [ "\$1" != -n ]; then
	echo "INTERACTIVE sudo \$*" >>"$T/log/sudo"
	exit 1
fi
shift
[ "\${SUDO_OK:-0}" = 1 ] || { echo "sudo: a password is required" >&2; exit 1; }
exec "\$@"
EOF
	chmod 755 "$T/bin/apt-get" "$T/bin/sudo"
}

teardown() {
	[ -n "${T:-}" ] && rm -rf "$T"
	return 0
}

# status_without PKG...: $T/status, the machine's dpkg status without them
status_without() {
	awk -v hide=" $* " 'BEGIN { RS = ""; ORS = "\n\n" }
		{ split($0, l, "\n"); p = l[1]; sub(/^Package: /, "", p) }
		index(hide, " " p " ") == 0' /var/lib/dpkg/status >"$T/status"
}

# in_hidden [AS] CMD...: CMD in a mount namespace where the packages of
# $T/status are all there is; AS "nobody" runs it as uid 65534, no groups
in_hidden() {
	local as=root
	if [ "$1" = nobody ]; then as=nobody; shift; fi
	unshare -m --propagation private bash -c '
		T=$1 as=$2; shift 2
		mount --bind "$T/status" /var/lib/dpkg/status || exit 97
		for f in apt-get sudo; do
			[ -e "/usr/bin/$f" ] && { mount --bind "$T/bin/$f" "/usr/bin/$f" || exit 97; }
		done
		export PATH="$T/bin:/usr/sbin:/usr/bin:/sbin:/bin"
		if [ "$as" = nobody ]; then
			exec setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
		fi
		exec "$@"
	' bash "$T" "$as" "$@"
}

@test "the hiding works: dpkg-query says the hidden packages are not installed, the build ones are" {
	status_without $OPTIONAL
	run in_hidden sh -c 'for p in valgrind clang libbpf-dev make libmnl-dev; do
		printf "%s %s\n" "$p" "$(dpkg-query -W -f="\${Status}" "$p" 2>/dev/null || echo absent)"; done'
	[ "$status" -eq 0 ] || { show_output; false; }
	for p in valgrind clang libbpf-dev; do
		grep -q "^$p " <<<"$output" && ! grep -q "^$p install ok installed" <<<"$output" ||
			{ show_output; false; }
	done
	[[ "$output" == *"make install ok installed"* && "$output" == *"libmnl-dev install ok installed"* ]] ||
		{ show_output; false; }
	# and outside the namespace nothing changed
	dpkg-query -W -f='${Status}' make | grep -q "install ok installed"
}

@test "deps.sh build (what make run calls), as root, the optional packages missing: silent, exit 0, installs nothing" {
	status_without $OPTIONAL
	run --separate-stderr in_hidden sh "$T/deps.sh" build
	[ "$status" -eq 0 ] || { show_output; false; }
	[ -z "$output" ] && [ -z "$stderr" ] || { show_output; false; }
	[ ! -e "$T/log/apt-get" ] || { cat "$T/log/apt-get" >&2; false; }
	[ ! -e "$T/log/sudo" ] || { cat "$T/log/sudo" >&2; false; }
}

@test "deps.sh with no tier (make deps, CI), as root: installs exactly the hidden packages, with apt-get" {
	status_without $OPTIONAL valgrind
	run in_hidden sh "$T/deps.sh"
	[ "$status" -ne 0 ]	# the fake apt-get install fails
	[[ "$output" == *"deps: installing: libcmocka-dev bats tmux iproute2 jq tcpdump bash-completion zsh clang libclang-rt-dev valgrind libbpf-dev"* ]] ||
		{ show_output; false; }
	grep -qx "uid 0: apt-get update -qq" "$T/log/apt-get"
	grep -qx "uid 0: apt-get install -y -qq --no-install-recommends libcmocka-dev bats tmux iproute2 jq tcpdump bash-completion zsh clang libclang-rt-dev valgrind libbpf-dev" \
		"$T/log/apt-get" || { cat "$T/log/apt-get" >&2; false; }
	[ ! -e "$T/log/sudo" ]	# root needs none
}

@test "as a user without sudo, a build package missing: the administrator's apt-get line, exit 1, no password asked" {
	status_without $OPTIONAL libncurses-dev
	run --separate-stderr in_hidden nobody sh "$T/deps.sh" build
	[ "$status" -eq 1 ] || { show_output; false; }
	[ -z "$output" ] || { show_output; false; }
	[[ "$stderr" == *"cannot install them: not root, and sudo needs a password"* ]] || { show_output; false; }
	[[ "$stderr" == *"build    libncurses-dev  the dashboard"* ]] || { show_output; false; }
	grep -qxF "  sudo apt-get install --no-install-recommends libncurses-dev" <<<"$stderr" || { show_output; false; }
	[[ "$stderr" == *"'make && build/socklab' works once the build packages are there (make gcc pkg-config libmnl-dev libncurses-dev libedit-dev libpcap-dev gettext)"* ]] ||
		{ show_output; false; }
	# only the tier asked for is listed
	[[ "$stderr" != *valgrind* ]] || { show_output; false; }
	# sudo was asked whether it works without a password, nothing else
	[ "$(cat "$T/log/sudo")" = "sudo -n true" ] || { cat "$T/log/sudo" >&2; false; }
	! grep -q INTERACTIVE "$T/log/sudo" || false
	[ ! -e "$T/log/apt-get" ] || { cat "$T/log/apt-get" >&2; false; }
}

@test "as a user without sudo, every tier: each missing package with its tier and what for, one line for all" {
	status_without $OPTIONAL libncurses-dev
	run --separate-stderr in_hidden nobody sh "$T/deps.sh"
	[ "$status" -eq 1 ] || { show_output; false; }
	for l in "build    libncurses-dev" "test     bats            the CLI tests" \
		"fuzz     clang           make fuzz" "memcheck valgrind" \
		"bpf      clang           clang -target bpf" "bpf      libbpf-dev"; do
		[[ "$stderr" == *"  $l"* ]] || { echo "no '$l'" >&2; show_output; false; }
	done
	# clang once in the line, though two tiers want it
	grep -qxF "  sudo apt-get install --no-install-recommends libncurses-dev libcmocka-dev bats tmux iproute2 jq tcpdump bash-completion zsh clang libclang-rt-dev valgrind libbpf-dev" \
		<<<"$stderr" || { show_output; false; }
	! grep -q INTERACTIVE "$T/log/sudo" || false
	[ ! -e "$T/log/apt-get" ]
}

@test "as a user, the build tier complete and optional ones (+memcheck +bpf) missing: listed as optional, exit 0" {
	status_without $OPTIONAL
	run --separate-stderr in_hidden nobody sh "$T/deps.sh" build test +memcheck +bpf
	[ "$status" -eq 1 ] || { show_output; false; }	# test is needed, and missing
	run --separate-stderr in_hidden nobody sh "$T/deps.sh" build +memcheck +bpf
	[ "$status" -eq 0 ] || { show_output; false; }
	[[ "$stderr" == *"memcheck valgrind"*"[optional here]"* ]] || { show_output; false; }
	grep -qxF "  sudo apt-get install --no-install-recommends valgrind clang libbpf-dev" <<<"$stderr" ||
		{ show_output; false; }
	[[ "$stderr" == *"the build packages are all there: 'make && build/socklab' works now"* ]] || { show_output; false; }
	! grep -q INTERACTIVE "$T/log/sudo" || false
	[ ! -e "$T/log/apt-get" ]
}

@test "as a user whose sudo needs no password: installs through sudo -n, never plain sudo" {
	status_without $OPTIONAL libncurses-dev
	run in_hidden nobody env SUDO_OK=1 sh "$T/deps.sh" build
	[ "$status" -ne 0 ]	# the fake apt-get install fails
	[[ "$output" == *"deps: installing: libncurses-dev"* ]] || { show_output; false; }
	grep -qxF "uid 65534: apt-get install -y -qq --no-install-recommends libncurses-dev" "$T/log/apt-get" ||
		{ cat "$T/log/apt-get" >&2; false; }
	! grep -q INTERACTIVE "$T/log/sudo" || { cat "$T/log/sudo" >&2; false; }
	grep -qx "sudo -n true" "$T/log/sudo"
}

@test "as a user, everything of the tier present: silent, exit 0, sudo not even asked" {
	status_without $OPTIONAL
	run --separate-stderr in_hidden nobody sh "$T/deps.sh" build
	[ "$status" -eq 0 ] && [ -z "$output" ] && [ -z "$stderr" ] || { show_output; false; }
	[ ! -e "$T/log/sudo" ] && [ ! -e "$T/log/apt-get" ]
}

@test "deps.sh with an unknown tier: one line on stderr, exit 2" {
	run --separate-stderr sh tools/deps.sh bogus
	[ "$status" -eq 2 ] || { show_output; false; }
	[ "$stderr" = "deps: unknown tier 'bogus' (one of: build test fuzz memcheck bpf vm, all; +TIER: wanted, not needed)" ] ||
		{ show_output; false; }
}

@test "deps.sh test as a user, a build package hidden too: it does not say the build packages are there" {
	status_without $OPTIONAL libmnl-dev
	run --separate-stderr in_hidden nobody sh "$T/deps.sh" test
	[ "$status" -eq 1 ] || { show_output; false; }
	[[ "$stderr" == *"'make && build/socklab' works once the build packages are there"* ]] ||
		{ show_output; false; }
	[[ "$stderr" != *"build packages are all there"* ]] || { show_output; false; }
	# and with the build tier whole, it says so
	status_without $OPTIONAL
	run --separate-stderr in_hidden nobody sh "$T/deps.sh" test
	[[ "$stderr" == *"the build packages are all there"* ]] || { show_output; false; }
}
