#!/bin/sh
# as-user.sh [MAKE-ARGS...] — the whole suite (make test) as a normal user:
# no root, no sudo, SHELL=/bin/sh, LANG and every LC_* unset, TERM unset,
# an empty HOME: what a student's account gives it.  The tests must pin
# what they depend on (tests/cli/helpers.bash); this is where they prove it.
#
# Run as root (CI): installs what is missing first (the user could not),
# creates the user $SOCKLAB_TEST_USER (default socklabtest, shell /bin/sh)
# if there is none, copies this tree without build/ and .git into a
# directory of its own, and runs `make test MAKE-ARGS` there as the user,
# in a clean environment.  Run as a user: the same, in this tree, as you.
# CI=... is passed on (the Makefile adds -Werror).  Exit status: make's.
#   sh tests/as-user.sh            the suite as socklabtest
#   sh tests/as-user.sh SAN=1      under ASan+UBSan
set -eu
cd "$(dirname "$0")/.."
user=${SOCKLAB_TEST_USER:-socklabtest}
ci=${CI:+CI=$CI}

if [ "$(id -u)" != 0 ]; then
	home=$(mktemp -d)
	trap 'rm -rf "$home"' EXIT
	st=0
	env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$home" SHELL=/bin/sh $ci \
		make test "$@" || st=$?
	exit $st
fi

command -v runuser >/dev/null 2>&1 || { echo "as-user: no runuser (util-linux)" >&2; exit 2; }
sh tools/deps.sh
if ! id -u "$user" >/dev/null 2>&1; then
	echo "as-user: creating user $user"
	useradd --create-home --shell /bin/sh "$user"
fi
[ "$(id -u "$user")" != 0 ] || { echo "as-user: $user is root" >&2; exit 2; }

dir=$(mktemp -d /tmp/socklab-as-user.XXXXXX)
trap 'rm -rf "$dir"' EXIT
mkdir "$dir/tree" "$dir/home"
tar --exclude=./build --exclude=./.git -cf - . | tar -C "$dir/tree" -xf -
chown -R "$user:" "$dir"
chmod 755 "$dir"
echo "as-user: make test${*:+ $*} as $user (uid $(id -u "$user")) in $dir/tree"
start=$(date +%s)
st=0
runuser -u "$user" -- env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$dir/home" \
	SHELL=/bin/sh $ci make -C "$dir/tree" test "$@" || st=$?
echo "as-user: make test${*:+ $*} as $user: exit $st after $(($(date +%s) - start)) s"
exit $st
