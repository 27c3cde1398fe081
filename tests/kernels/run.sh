#!/bin/sh
# tests/kernels/run.sh — socklab's labs, matrix and bind model on other
# kernels, each booted in a small VM (make test-kernels).
#
#   sh tests/kernels/run.sh [OPTIONS] [PACKAGE ...]
#
#   --build DIR      socklab's build directory (build); the cache is DIR/kernels
#   --sources FILE   look kernels up and download them from the apt sources
#                    in FILE (one-line format, as tests/kernels/newer.list)
#                    instead of this machine's; a private apt state under
#                    DIR/kernels/apt, nothing of the machine's apt changes
#   --oldest         only the oldest of the default kernels (the CI smoke)
#   --parts LIST     what runs in each VM: check,matrix,bindprop (all three)
#   --repeat N       run `socklab check` N times in each VM: an expectation
#                    that flips between runs is counted as flaky
#   --list           print the packages that would be booted, and stop
#
# PACKAGE is a Debian kernel image package (linux-image-6.1.0-57-amd64).
# With none: the kernel of every flavour and series the apt sources offer
# (what linux-image-amd64, linux-image-cloud-amd64, linux-image-6.12-amd64
# and linux-image-6.12-cloud-amd64 depend on, those of them the sources
# have).  A suite keeps only its current kernels: older versions are on
# snapshot.debian.org (a sources line for --sources).
#
# For each kernel: `apt-get download` (nothing is installed into /boot),
# unpack it, build an initramfs (busybox-static, dash as /bin/sh, socklab
# and bindprop with their shared libraries, iproute2's ip, the veth
# module), boot it in qemu-system-x86_64 (KVM when /dev/kvm opens, TCG
# otherwise; serial console, no network device at all), run the parts and
# copy the results out on a second serial port (base64 of a tar).  The
# running kernel is measured the same way on the host; compare.sh prints
# the table.  Downloads, images and results are kept under DIR/kernels.
#
# Exit status: 0 every kernel ran every part, every expectation passed or
# skipped and the model agreed; 1 a kernel failed something, gave no
# results or could not be had (its row says which); 2 bad usage, or a tool
# that cannot be had.
set -eu

me=tests/kernels/run.sh
here=$(cd "$(dirname "$0")" && pwd)
BUILD=build SOURCES="" OLDEST=0 PARTS=check,matrix,bindprop REPEAT=1 LIST=0
die() { echo "$me: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
	case $1 in
	--build) [ $# -ge 2 ] || die "--build needs a directory"; BUILD=$2; shift 2 ;;
	--sources) [ $# -ge 2 ] || die "--sources needs a file"; SOURCES=$2; shift 2 ;;
	--oldest) OLDEST=1; shift ;;
	--parts) [ $# -ge 2 ] && [ -n "$2" ] || die "--parts needs a list"; PARTS=$2; shift 2 ;;
	--repeat) [ $# -ge 2 ] || die "--repeat needs a number"; REPEAT=$2; shift 2 ;;
	--list) LIST=1; shift ;;
	-h|--help) sed -n '2,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	--) shift; break ;;
	-*) die "unknown option '$1' (--help lists them)" ;;
	*) break ;;
	esac
done
case $REPEAT in ''|*[!0-9]*|0) die "--repeat wants a count from 1, got '$REPEAT'" ;; esac
for p in $(echo "$PARTS" | tr , ' '); do
	case $p in check|matrix|bindprop) ;; *) die "--parts: unknown part '$p' (check, matrix, bindprop)" ;; esac
done
[ -z "$SOURCES" ] || [ -r "$SOURCES" ] || die "--sources: cannot read '$SOURCES'"
for p in "$@"; do
	case $p in
	linux-image-[0-9]*) ;;
	-*) die "options go before the packages: '$p'" ;;
	*) die "not a kernel image package: '$p' (linux-image-VERSION-FLAVOUR)" ;;
	esac
done
[ "$OLDEST" = 0 ] || [ $# -eq 0 ] || die "--oldest picks among the default kernels: name no package with it"

CACHE=$BUILD/kernels
mkdir -p "$CACHE" || die "cannot make $CACHE"
CACHE=$(cd "$CACHE" && pwd)

# apt, on the machine's sources or on a private state for --sources
APT_OPTS=""
if [ -n "$SOURCES" ]; then
	a=$CACHE/apt
	mkdir -p "$a/lists/partial" "$a/cache/archives/partial"
	# a changed list is fetched anew; an unchanged one once
	cmp -s "$SOURCES" "$a/sources.list" 2>/dev/null || { cp "$SOURCES" "$a/sources.list"; rm -f "$a/updated"; }
	APT_OPTS="-o Dir::Etc::sourcelist=$a/sources.list -o Dir::Etc::sourceparts=- \
-o Dir::State::lists=$a/lists -o Dir::Cache=$a/cache -o Debug::NoLocking=1"
	if [ ! -e "$a/updated" ]; then
		echo "# apt-get update for $SOURCES" >&2
		# shellcheck disable=SC2086
		apt-get -q $APT_OPTS update >"$a/update.log" 2>&1 ||
			die "apt-get update of $SOURCES failed (see $a/update.log)"
		touch "$a/updated"
	fi
fi
# shellcheck disable=SC2086
aptc() { apt-cache $APT_OPTS "$@"; }

if [ $# -eq 0 ]; then
	metas="linux-image-amd64 linux-image-cloud-amd64 linux-image-6.12-amd64 linux-image-6.12-cloud-amd64"
	for meta in $metas; do
		p=$(aptc depends "$meta" 2>/dev/null |
			awk '/Depends: linux-image-[0-9]/{print $2; exit}')
		if [ -n "$p" ]; then set -- "$@" "$p"
		else echo "# $meta: not in the apt sources, skipped" >&2
		fi
	done
	[ $# -gt 0 ] || die "no kernel package found in the apt sources (apt-get update first?)"
	if [ "$OLDEST" = 1 ]; then
		# the oldest series, in its cloud flavour where there is one (a third
		# of the download)
		o=$(for p in "$@"; do echo "$p"; done | sort -V | head -1)
		c=${o%-amd64}; c=${c%-cloud}-cloud-amd64
		for p in "$@"; do [ "$p" = "$c" ] && o=$c; done
		set -- "$o"
	fi
fi
if [ "$LIST" = 1 ]; then
	for p in "$@"; do echo "$p"; done
	exit 0
fi

for t in qemu-system-x86_64 apt-get dpkg-deb cpio base64 xz zstd; do
	command -v $t >/dev/null 2>&1 ||
		die "needs $t: sh tools/deps.sh vm (qemu-system-x86 busybox-static cpio xz-utils zstd)"
done
BUSYBOX=$(command -v busybox 2>/dev/null || true)
[ -n "$BUSYBOX" ] && ldd "$BUSYBOX" 2>&1 | grep -q "not a dynamic" ||
	die "needs a static busybox: sh tools/deps.sh vm (busybox-static)"
DASH=$(command -v dash 2>/dev/null) || die "needs dash for the guest's /bin/sh"
IP=$(command -v ip 2>/dev/null) || die "needs iproute2's ip"
has() { case ",$PARTS," in *,$1,*) return 0 ;; esac; return 1; }
[ -x "$BUILD/socklab" ] || die "needs $BUILD/socklab (make)"
! has bindprop || [ -x "$BUILD/tests/tools/bindprop" ] ||
	die "needs $BUILD/tests/tools/bindprop (make $BUILD/tests/tools/bindprop)"

ACCEL=tcg
if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
	# a /dev/kvm that opens may still not run guests (a nested guest): a
	# working KVM keeps this stopped machine waiting until the timeout
	st=0
	timeout 2 qemu-system-x86_64 -accel kvm -machine none -nodefaults \
		-display none -S -monitor none </dev/null >/dev/null 2>&1 || st=$?
	[ "$st" = 124 ] && ACCEL=kvm
fi

now() { cut -d' ' -f1 /proc/uptime; }
since() { echo "$1 $(now)" | awk '{printf "%.1f", $2 - $1}'; }

# copy the shared libraries the binaries load into the tree $1
libs_of() {
	root=$1; shift
	for bin in "$@"; do
		ldd "$bin" 2>/dev/null | awk '/=> \//{print $3} /^\t\//{print $1}' |
		while read -r lib; do
			mkdir -p "$root$(dirname "$lib")"
			[ -e "$root$lib" ] || cp -L "$lib" "$root$lib"
		done
	done
}

# the initramfs common to every kernel, then one per kernel with its modules
common=$CACHE/common
rm -rf "$common"; mkdir -p "$common/bin" "$common/sbin" "$common/r" "$common/opt" "$common/etc"
cp "$BUSYBOX" "$common/bin/busybox"
for a in mount mkdir cat cut tar base64 stty uname insmod poweroff sleep \
	ls echo date grep sed wc awk head tail rm cp tr; do
	ln -sf busybox "$common/bin/$a"
done
cp -L "$DASH" "$common/bin/sh"
libs_of "$common" "$BUILD/socklab" "$IP" "$DASH"
cp -L "$BUILD/socklab" "$common/opt/socklab"
if has bindprop; then
	libs_of "$common" "$BUILD/tests/tools/bindprop"
	cp -L "$BUILD/tests/tools/bindprop" "$common/opt/bindprop"
fi
cp -L "$IP" "$common/sbin/ip"
cp "$here/init" "$common/init"
chmod +x "$common/init"
printf 'root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' >"$common/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$common/etc/group"

results=$CACHE/results
mkdir -p "$results"

# the running kernel, on the host: the column everything is compared to
host=$results/host
rm -rf "$host"; mkdir -p "$host"
uname -r >"$host/uname"
t0=$(now)
if has check; then
	"$BUILD/socklab" check --tap >"$host/check.tap" 2>"$host/check.err" || true
	echo "check $(since "$t0")" >>"$host/times"
	i=2
	while [ "$i" -le "$REPEAT" ]; do
		"$BUILD/socklab" check --tap >"$host/check-$i.tap" 2>/dev/null || true
		i=$((i + 1))
	done
fi
if has matrix; then
	t1=$(now)
	"$BUILD/socklab" matrix --udp --json >"$host/matrix-udp.json" 2>/dev/null || true
	"$BUILD/socklab" matrix --tcp --json >"$host/matrix-tcp.json" 2>/dev/null || true
	echo "matrix $(since "$t1")" >>"$host/times"
fi
if has bindprop; then
	t1=$(now)
	"$BUILD/tests/tools/bindprop" --seed 1 --count 2000 >"$host/bindprop.out" 2>&1 || true
	echo "bindprop $(since "$t1")" >>"$host/times"
fi
echo "# running kernel $(cat "$host/uname"): $(since "$t0") s" >&2

for pkg in "$@"; do
	k=$CACHE/$pkg
	r=$results/$pkg
	rm -rf "$r"; mkdir -p "$k" "$r"
	t0=$(now)
	if ! ls "$k"/*.deb >/dev/null 2>&1; then
		echo "# $pkg: apt-get download" >&2
		# shellcheck disable=SC2086
		if ! (cd "$k" && apt-get -q $APT_OPTS download "$pkg" >"$k/download.log" 2>&1); then
			echo "# $pkg: cannot be had: $(grep -m1 '^E:' "$k/download.log" || echo 'apt-get download failed')" >&2
			echo "cannot be had" >"$r/missing"
			continue
		fi
	fi
	# Debian 13's newer kernels split the image package: vmlinuz is in
	# linux-binary-VERSION, the modules in linux-modules-VERSION
	for part in $(dpkg-deb -f "$(ls "$k"/linux-image-*.deb | head -1)" Depends |
		tr ',' '\n' | sed -n 's/^ *\(linux-\(binary\|modules\)-[^ ]*\).*/\1/p'); do
		ls "$k/$part"_*.deb >/dev/null 2>&1 && continue
		# shellcheck disable=SC2086
		if ! (cd "$k" && apt-get -q $APT_OPTS download "$part" >>"$k/download.log" 2>&1); then
			echo "# $pkg: $part cannot be had" >&2
			echo "$part cannot be had: no modules (veth), so lab 12 fails" >>"$r/notes"
		fi
	done
	dl=$(since "$t0")
	t1=$(now)
	# unpacked once; again when a package arrived since
	if [ ! -e "$k/root/.unpacked" ] || [ -n "$(find "$k" -maxdepth 1 -name '*.deb' -newer "$k/root/.unpacked")" ]; then
		rm -rf "$k/root"; mkdir -p "$k/root"
		for d in "$k"/*.deb; do dpkg-deb -x "$d" "$k/root"; done
		touch "$k/root/.unpacked"
	fi
	# /boot/vmlinuz-VERSION, or (linux-binary-*) /usr/lib/modules/VERSION/vmlinuz
	vmlinuz=$(ls "$k"/root/boot/vmlinuz-* "$k"/root/usr/lib/modules/*/vmlinuz 2>/dev/null | head -1)
	[ -n "$vmlinuz" ] || { echo "# $pkg: no vmlinuz in the package" >&2; echo "no vmlinuz" >"$r/missing"; continue; }
	case $vmlinuz in
	*/vmlinuz-*) kver=${vmlinuz##*/vmlinuz-} ;;
	*) kver=${vmlinuz%/vmlinuz}; kver=${kver##*/} ;;
	esac
	img=$k/initrd.cpio
	rm -rf "$k/initrd"; cp -a "$common" "$k/initrd"
	mkdir -p "$k/initrd/modules"
	for m in veth; do
		f=$(find "$k/root/lib/modules/$kver" "$k/root/usr/lib/modules/$kver" \
			-name "$m.ko*" 2>/dev/null | head -1)
		[ -n "$f" ] || continue		# built in
		case $f in
		*.xz) xz -dc "$f" >"$k/initrd/modules/$m.ko" ;;
		*.zst) zstd -qdc "$f" >"$k/initrd/modules/$m.ko" ;;
		*) cp "$f" "$k/initrd/modules/$m.ko" ;;
		esac
	done
	(cd "$k/initrd" && find . | cpio -o -H newc --quiet) >"$img"
	im=$(since "$t1")
	out=$k/out.b64
	rm -f "$out" "$k/console.log"
	t2=$(now)
	timeout 1800 qemu-system-x86_64 -accel "$ACCEL" -m 1536 -smp 2 \
		-kernel "$vmlinuz" -initrd "$img" \
		-append "console=ttyS0 panic=-1 quiet rdinit=/init socklab.parts=$PARTS socklab.repeat=$REPEAT" \
		-display none -no-reboot -nic none \
		-serial "file:$k/console.log" -serial "file:$out" </dev/null ||
		echo "# $pkg: qemu exited $?" >&2
	vm=$(since "$t2")
	tr -d '\r' <"$out" 2>/dev/null | sed -n '/^BEGIN-RESULTS$/,/^END-RESULTS$/p' |
		sed '1d;$d' | base64 -d 2>/dev/null | tar -x -C "$r" 2>/dev/null || true
	if [ ! -s "$r/uname" ]; then
		echo "# $pkg: no results came out (see $k/console.log)" >&2
		echo "no results (see $k/console.log)" >"$r/missing"
	fi
	echo "download $dl" >>"$r/times"
	echo "image $im" >>"$r/times"
	echo "vm $vm" >>"$r/times"
	echo "accel $ACCEL" >>"$r/times"
	echo "# $pkg ($kver): download $dl s, image $im s, VM $vm s ($ACCEL)" >&2
done

PARTS=$PARTS sh "$here/compare.sh" "$results" host "$@"
