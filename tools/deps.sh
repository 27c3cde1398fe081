#!/bin/sh
# deps.sh — install the Debian packages socklab needs that are missing.
# Says what it installs; uses sudo when not root.  Does nothing when all
# are present, so `make test` can call it every time.
set -eu
# clang for every build (clang -target bpf compiles the BPF socket
# iterators, src/inspect/sockflags.bpf.c) and libbpf-dev to load them;
# clang's runtimes (libclang-rt-dev: only a Recommends of clang) for the
# clang build and `make fuzz` (libFuzzer, ASan, UBSan); tcpdump for
# tests/cli/offbox.bats
pkgs="make gcc pkg-config libmnl-dev libncurses-dev libcmocka-dev libbpf-dev bats tmux iproute2 valgrind jq
	clang libclang-rt-dev tcpdump"
missing=""
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
	echo "deps: missing:$missing — install them with your package manager" >&2
	exit 1
fi
sudo=""
if [ "$(id -u)" != 0 ]; then
	command -v sudo >/dev/null 2>&1 || { echo "deps: missing:$missing — not root and no sudo" >&2; exit 1; }
	sudo="sudo"
fi
echo "deps: installing:$missing"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
