#!/bin/sh
# deps.sh — the Debian packages socklab needs, by tier; installs the
# missing ones of the tiers asked for, or says how to get them.
#
#   sh tools/deps.sh [TIER | +TIER]...    (no TIER: every tier, as CI wants)
#
# TIER is needed: when one of its packages is missing and cannot be
# installed here, the exit status is 1.  +TIER is wanted: installed along
# when installing is possible, listed when not, never a failure (what
# depends on it skips and says why).  `make run` asks for build only,
# `make test` for build test +memcheck +bpf, `make fuzz` for fuzz,
# `make test-kernels` for vm.
#
# Installs with apt-get as root, or through sudo when sudo works without a
# password (`sudo -n true`): it never prompts.  Otherwise it lists what is
# missing, per tier and what for, and the one line to hand to an
# administrator.  Quiet when everything asked for is present, so the
# Makefile can call it every time.
set -eu

# One line per package and tier: package, tier, what it is for.  A package
# needed by two tiers has two lines (clang).
table='make            build    make itself
gcc             build    the C compiler (CC=cc)
pkg-config      build    finds libmnl, ncursesw+panel, libedit, libpcap and libbpf
libmnl-dev      build    sock_diag netlink: the socket table (src/inspect)
libncurses-dev  build    the dashboard (ncursesw + panel, src/tui)
libedit-dev     build    the line editor of socklab play (history, completion)
libpcap-dev     build    writes the wire of a lab as a pcap file (run --pcap)
gettext         build    msgfmt compiles po/LANG.po; xgettext, msgcmp check them (make po)
libcmocka-dev   test     the unit tests (tests/unit, make unit)
bats            test     the CLI tests (tests/cli)
tmux            test     drives the dashboard in tests/cli/dash.bats
iproute2        test     ip and ss: the oracles of the CLI tests
jq              test     reads --json output in the CLI tests
tcpdump         test     tests/cli/offbox.bats: no packet leaves the machine
bash-completion test     loads the installed completion (tests/cli/completion.bats)
zsh             test     the zsh completion, in a real zsh (tests/cli/completion.bats)
python3-twisted test     the story traced for real: Twisted (tests/cli/trace.bats)
nftables        test     nft: the NAT router of lab 20 (it skips without it)
libxml2-utils   test     xmllint validates --junit output against tests/data/junit.xsd
locales         test     the sources localedef makes zh_CN.UTF-8 from (tests/cli/i18n.bats)
po4a            test     keeps the translated man page current (po/man, make po)
clang           fuzz     make fuzz (libFuzzer) and the clang build of CI
libclang-rt-dev fuzz     clang sanitizer and libFuzzer runtimes (a Recommends of clang)
valgrind        memcheck make memcheck, part of make test (skipped without it)
clang           bpf      clang -target bpf compiles src/inspect/sockflags.bpf.c
libbpf-dev      bpf      loads it: the root-only flags reader (TIME_WAIT, other users)
qemu-system-x86 vm       boots other kernels for make test-kernels (tests/kernels)
busybox-static  vm       the tools inside the VM, one static binary
cpio            vm       packs the initramfs of the VM
xz-utils        vm       unpacks .ko.xz kernel modules
zstd            vm       unpacks .ko.zst kernel modules
dash            vm       /bin/sh in the VM (the busybox shell runs its own ip)'
tiers="build test fuzz memcheck bpf vm"

need="" want=""
[ $# -gt 0 ] || set -- all
for a in "$@"; do
	case "$a" in
	+*) t=${a#+} ;;
	*) t=$a ;;
	esac
	case " $tiers all " in
	*" $t "*) ;;
	*)
		echo "deps: unknown tier '$t' (one of: $tiers, all; +TIER: wanted, not needed)" >&2
		exit 2 ;;
	esac
	[ "$t" = all ] && t=$tiers
	case "$a" in
	+*) want="$want $t" ;;
	*) need="$need $t" ;;
	esac
done

installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

# report: "tier package why" lines of what is missing; missing: packages,
# once each; fail: 1 when a needed tier lacks one
report="" missing="" fail=0 cache_ok=" " cache_no=" "
for t in $tiers; do
	case " $need " in
	*" $t "*) kind=need ;;
	*) case " $want " in *" $t "*) kind=want ;; *) continue ;; esac ;;
	esac
	lines=$(printf '%s\n' "$table" | awk -v t="$t" '$2 == t')
	while read -r p _ why; do
		case "$cache_ok" in *" $p "*) continue ;; esac
		case "$cache_no" in
		*" $p "*) ;;
		*)
			if installed "$p"; then
				cache_ok="$cache_ok$p "
				continue
			fi
			cache_no="$cache_no$p "
			missing="$missing $p" ;;
		esac
		[ "$kind" = need ] && fail=1
		report="$report$(printf '  %-8s %-15s %s%s' "$t" "$p" "$why" \
			"$([ "$kind" = want ] && echo ' [optional here]')")
"
	done <<EOF
$lines
EOF
done
[ -n "$missing" ] || exit 0

# How to install, if at all: root, or sudo that needs no password.
how="" why_not=""
if ! command -v apt-get >/dev/null 2>&1; then
	why_not="no apt-get on this machine"
elif [ "$(id -u)" = 0 ]; then
	how=root
elif ! command -v sudo >/dev/null 2>&1; then
	why_not="not root, and no sudo here (the line below is for an administrator)"
elif sudo -n true >/dev/null 2>&1; then
	how=sudo
else
	why_not="not root, and sudo needs a password (not asked for here)"
fi

if [ -n "$how" ]; then
	s=""
	[ "$how" = sudo ] && s="sudo -n"
	echo "deps: installing:$missing"
	$s apt-get update -qq
	$s env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
	exit 0
fi

{
	echo "deps: missing Debian packages; cannot install them: $why_not"
	printf '%s' "$report"
	echo "deps: an administrator can install them with:"
	echo "  sudo apt-get install --no-install-recommends$missing"
	build=$(printf '%s\n' "$table" | awk '$2 == "build" { printf "%s%s", s, $1; s = " " }')
	lacking=""
	for p in $build; do installed "$p" || lacking="$lacking $p"; done
	if [ -n "$lacking" ]; then
		echo "deps: 'make && build/socklab' works once the build packages are there ($build)"
	else
		echo "deps: the build packages are all there: 'make && build/socklab' works now"
	fi
} >&2
exit $fail
