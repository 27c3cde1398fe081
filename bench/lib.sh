# lib.sh — shared by the bench scripts (sourced; they define say()).

try_install() {	# try_install PKG — apt-get it, unless BENCH_NO_INSTALL
	[ -z "${BENCH_NO_INSTALL:-}" ] && command -v apt-get >/dev/null 2>&1 || return 1
	sudo=""
	if [ "$(id -u)" != 0 ]; then
		command -v sudo >/dev/null 2>&1 || return 1
		sudo="sudo -n"
	fi
	say "bench: installing $1 (apt-get)"
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$1" >/dev/null 2>&1 ||
		{ $sudo apt-get update -qq >/dev/null 2>&1 &&
		  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$1" >/dev/null 2>&1; }
}
