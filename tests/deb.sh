#!/bin/sh
# deb.sh — the Debian package, end to end: build it (dpkg-buildpackage -b)
# from a copy of this tree, lint it (lintian; an error fails), install it,
# check the installed socklab (list, its man page, a lab by number and its
# executable in /usr/libexec/socklab, the bash completion), remove it again
# and check nothing is left.  Prints how long each phase took.
#
#   sh tests/deb.sh            install with dpkg -i, remove with dpkg -r
#                              (root, or sudo; refuses when socklab is installed)
#   DEB_ROOT=1 sh tests/deb.sh install into a scratch root (dpkg --root), so
#                              the machine's /usr is never touched
#
# The .deb, .buildinfo, .changes and lintian's report stay in build/deb.
# Installs what it lacks (dpkg-dev, debhelper, lintian, man-db and the
# package's Build-Depends) with apt-get.
set -eu
cd "$(dirname "$0")/.."
repo=$(pwd)
out="$repo/build/deb"
t0=$(date +%s)
phase_t=$t0
phase() {	# the time since the last phase, then the next one's name
	now=$(date +%s)
	[ -n "${phase_name:-}" ] && echo "deb: $phase_name: $((now - phase_t)) s"
	phase_name=$1
	phase_t=$now
}
fail() { echo "deb: FAIL: $*" >&2; exit 1; }

sudo=""	# apt-get and dpkg -i/-r need root; the build does not
if [ "$(id -u)" != 0 ]; then
	command -v sudo >/dev/null 2>&1 || fail "not root and no sudo (apt-get, dpkg -i)"
	sudo=sudo
fi
if [ "${DEB_ROOT:-0}" != 1 ] &&
   dpkg-query -W -f='${Status}' socklab 2>/dev/null | grep -q "install ok installed"; then
	fail "socklab is installed already; this test would remove it (DEB_ROOT=1 uses a scratch root)"
fi

phase "tools"
missing=""
for p in dpkg-dev debhelper lintian man-db; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "deb: installing:$missing"
	$sudo apt-get update -qq
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
fi
if ! dpkg-checkbuilddeps >/dev/null 2>&1; then
	echo "deb: installing the Build-Depends: $(dpkg-checkbuilddeps 2>&1 | sed 's/.*: //')"
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get build-dep -y -qq --no-install-recommends "$repo"
fi

# a copy of the tree (tracked and new files, not what .gitignore hides):
# dpkg-buildpackage writes into the parent directory, and its clean step
# would remove the tree's build/
phase "build"
work=$(mktemp -d "${TMPDIR:-/tmp}/socklab-deb.XXXXXX")
root="$work/root"
trap '$sudo rm -rf "$work"' EXIT
version=$(dpkg-parsechangelog -S Version)
src="$work/socklab-$version"
mkdir -p "$src"
git ls-files -z --cached --others --exclude-standard | xargs -0 sh -c \
	'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' _ |
	tar --null -T - -cf - | tar -xf - -C "$src"
(cd "$src" && dpkg-buildpackage -b -us -uc -j2) > "$work/build.log" 2>&1 ||
	{ tail -40 "$work/build.log" >&2; fail "dpkg-buildpackage (log above)"; }
arch=$(dpkg --print-architecture)
deb="$work/socklab_${version}_$arch.deb"
changes="$work/socklab_${version}_$arch.changes"
[ -f "$deb" ] || fail "no $deb"
rm -rf "$out" && mkdir -p "$out"
cp "$work"/*.deb "$work"/*.buildinfo "$changes" "$work/build.log" "$out/"

phase "lintian"
st=0
lintian --fail-on error --info "$changes" > "$out/lintian.txt" 2>&1 || st=$?
cat "$out/lintian.txt"
[ $st -eq 0 ] || fail "lintian reports errors (E: above)"
echo "deb: lintian: $(grep -c '^E:' "$out/lintian.txt") errors, $(grep -c '^W:' "$out/lintian.txt") warnings"

phase "install"
if [ "${DEB_ROOT:-0}" = 1 ]; then
	# a scratch root with an empty dpkg database: the dependencies are the
	# host's, so dpkg is told not to look for them there
	mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates"
	: > "$root/var/lib/dpkg/status"
	$sudo dpkg --root="$root" --force-depends --force-script-chrootless -i "$deb" > "$work/dpkg.log" 2>&1 ||
		{ cat "$work/dpkg.log" >&2; fail "dpkg --root -i"; }
	dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed 's/^ *//' > "$work/depends"
	while read -r d; do	# each dependency, without alternatives or versions
		p=${d%% *}
		dpkg-query -W -f='${Status}' "${p%%:*}" 2>/dev/null | grep -q "install ok installed" ||
			fail "Depends: $d is not installed on this host"
	done < "$work/depends"
	dpkgq() { $sudo dpkg --root="$root" "$@"; }
else
	root=""
	$sudo dpkg -i "$deb" > "$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log" >&2; fail "dpkg -i"; }
	dpkgq() { $sudo dpkg "$@"; }
fi
echo "deb: Depends: $(dpkg-deb -f "$deb" Depends)"

phase "check"
sl="$root/usr/bin/socklab"
[ -x "$sl" ] || fail "no /usr/bin/socklab"
[ "$(dpkgq -S /usr/bin/socklab)" = "socklab: /usr/bin/socklab" ] || fail "dpkg -S /usr/bin/socklab"
# socklab list: every lab of the tree, and each as an executable of its own
nlabs=$(( $(ls labs/[0-9][0-9]-*.c | wc -l) + $(ls labs/py/[0-9][0-9]*.py | wc -l) ))
listed=$(cd / && "$sl" list | grep -cE '^[0-9]{2}  ')
[ "$listed" -eq "$nlabs" ] || fail "socklab list shows $listed labs, the tree has $nlabs"
for f in labs/[0-9][0-9]-*.c; do
	n=$(basename "$f" .c)
	[ -x "$root/usr/libexec/socklab/$n" ] || fail "no /usr/libexec/socklab/$n"
done
# the version the binary reports is the package's (the Makefile takes it
# from debian/changelog)
v=$("$sl" --version 2>/dev/null || true)
case "$v" in
*"$version"*) ;;
*) fail "socklab --version says '$v', the package is $version" ;;
esac
echo "deb: socklab list: $listed labs; /usr/libexec/socklab: $(ls "$root/usr/libexec/socklab" | wc -l) executables"
# a lab by number (linked in, sources embedded) and by its libexec path,
# from outside any source tree; exit 2 only when no sandbox can be made here
for lab in 4 "$root/usr/libexec/socklab/04-addr-in-use"; do
	st=0
	(cd / && "$sl" check "$lab") > "$work/check.out" 2>&1 || st=$?
	if [ $st -eq 2 ] && grep -q 'sandbox' "$work/check.out"; then
		echo "deb: socklab check $lab: skipped, no sandbox here: $(head -1 "$work/check.out")"
	elif [ $st -ne 0 ]; then
		cat "$work/check.out" >&2
		fail "socklab check $lab: exit $st"
	fi
done
# a Python lab: the interpreter finds the installed runtime beside
# /usr/bin/socklab (/usr/share/socklab/py), wherever it is run from
if command -v python3 >/dev/null 2>&1; then
	st=0
	(cd / && "$sl" check 04py) > "$work/check.out" 2>&1 || st=$?
	if [ $st -eq 2 ] && grep -q 'sandbox' "$work/check.out"; then
		echo "deb: socklab check 04py: skipped, no sandbox here"
	elif [ $st -ne 0 ]; then
		cat "$work/check.out" >&2
		fail "socklab check 04py: exit $st"
	else
		echo "deb: socklab check 04py: $(grep -c '✔' "$work/check.out") lab passed, Python"
	fi
fi
# the man page, through man(1)
if [ -z "$root" ]; then
	MANWIDTH=80 man socklab > "$work/man.txt" 2>"$work/man.err" || { cat "$work/man.err" >&2; fail "man socklab"; }
else
	MANWIDTH=80 man -M "$root/usr/share/man" socklab > "$work/man.txt" 2>"$work/man.err" ||
		{ cat "$work/man.err" >&2; fail "man -M ROOT/usr/share/man socklab"; }
fi
grep -q 'see what the Linux kernel does with ports' "$work/man.txt" || fail "man socklab: not socklab's page"
[ -s "$work/man.err" ] && { cat "$work/man.err" >&2; fail "man socklab: warnings"; }
# the message catalogs and the translated man page, and the installed
# socklab speaking Chinese from them
[ -f "$root/usr/share/locale/zh_CN/LC_MESSAGES/socklab.mo" ] || fail "no zh_CN catalog"
[ -f "$root/usr/share/man/zh_CN/man1/socklab.1.gz" ] || fail "no zh_CN man page"
if command -v gettext >/dev/null 2>&1; then
	causes=$(TEXTDOMAINDIR="$root/usr/share/locale" LANGUAGE=zh_CN LC_ALL=C.UTF-8 gettext -d socklab "Usual causes")
	(cd / && LANGUAGE=zh_CN LC_ALL=C.UTF-8 "$sl" explain 10048) | grep -qF "$causes" ||
		fail "socklab explain 10048 under LANGUAGE=zh_CN: not in Chinese"
	echo "deb: LANGUAGE=zh_CN socklab explain 10048: $causes"
fi
# the bash completion, where bash-completion's loader looks
[ -f "$root/usr/share/bash-completion/completions/socklab" ] || fail "no bash completion"
[ -f "$root/usr/share/zsh/vendor-completions/_socklab" ] || fail "no zsh completion"
if [ -f /usr/share/bash-completion/bash_completion ]; then
	got=$(XDG_DATA_DIRS="$root/usr/share" PATH="$root/usr/bin:$PATH" bash -c '
		source /usr/share/bash-completion/bash_completion
		__load_completion socklab || exit 1
		COMP_WORDS=(socklab run 0); COMP_CWORD=2; _socklab; echo "${COMPREPLY[*]}"') ||
		fail "bash-completion does not load the installed completion"
	echo "deb: socklab run 0<TAB>: $got"
	# a Python twin by its key (07py), as `socklab __complete labs` names it
	[ "$got" = "$(cd / && "$sl" list | awk '/^0[0-9]  / { k = $1; if ($2 ~ /-(py|tw)$/) k = k substr($2, length($2) - 1); printf "%s%s", s, k; s = " " }')" ] ||
		fail "socklab run 0<TAB> offered '$got'"
fi

phase "remove"
dpkgq -r socklab > "$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log" >&2; fail "dpkg -r"; }
for f in /usr/bin/socklab /usr/libexec/socklab /usr/share/man/man1/socklab.1.gz \
	 /usr/share/man/zh_CN/man1/socklab.1.gz /usr/share/locale/zh_CN/LC_MESSAGES/socklab.mo \
	 /usr/share/bash-completion/completions/socklab /usr/share/zsh/vendor-completions/_socklab; do
	[ ! -e "$root$f" ] || fail "$f is still there after dpkg -r"
done
dpkgq -s socklab 2>/dev/null | grep -q '^Status: install' && fail "socklab still installed"
phase "done"
echo "deb: ok: $(basename "$deb") built, lint-clean, installed, checked and removed in $(($(date +%s) - t0)) s"
