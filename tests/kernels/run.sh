#!/bin/sh
# tests/kernels/run.sh — socklab's labs, matrix and bind model on other
# kernels, each booted in a small VM (make test-kernels).
#
#   sh tests/kernels/run.sh [--build DIR] [PACKAGE ...]
#
# PACKAGE is a Debian kernel image package (linux-image-6.1.0-57-amd64);
# with none, the newest image of each series and flavour this machine's
# apt sources offer (the dependency of linux-image-amd64,
# linux-image-cloud-amd64, linux-image-6.12-amd64, linux-image-6.12-cloud-amd64).
#
# For each kernel: `apt-get download` (nothing is installed into /boot),
# unpack it, build an initramfs (busybox-static, build/socklab and the
# test tools with their shared libraries, iproute2's ip, the veth module),
# boot it in qemu-system-x86_64 (KVM when /dev/kvm opens, TCG otherwise;
# serial console, no network device at all), run inside
#   socklab check --tap, socklab matrix --json (UDP and TCP), bindprop
# and copy the results out on a second serial port (base64 of a tar).
# The running kernel is measured the same way on the host, and
# tests/kernels/compare.sh prints the table.  Everything is cached under
# DIR/kernels (default build/kernels).
#
# Exit status: 0 the table was printed, 2 bad usage or a tool missing.
set -eu

BUILD=build
while [ $# -gt 0 ]; do
	case $1 in
	--build) BUILD=${2:?--build needs a directory}; shift 2 ;;
	-h|--help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) echo "tests/kernels/run.sh: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
done

die() { echo "tests/kernels/run.sh: $*" >&2; exit 2; }
for t in qemu-system-x86_64 apt-get dpkg-deb cpio base64; do
	command -v $t >/dev/null 2>&1 ||
		die "needs $t (apt-get install qemu-system-x86 cpio coreutils)"
done
BUSYBOX=$(command -v busybox 2>/dev/null || true)
[ -n "$BUSYBOX" ] && ldd "$BUSYBOX" 2>&1 | grep -q "not a dynamic" ||
	die "needs a static busybox (apt-get install busybox-static)"
[ -x "$BUILD/socklab" ] && [ -x "$BUILD/tests/tools/bindprop" ] ||
	die "needs $BUILD/socklab and $BUILD/tests/tools/bindprop (make all build/tests/tools/bindprop)"
IP=$(command -v ip) || die "needs iproute2's ip"

CACHE=$BUILD/kernels
mkdir -p "$CACHE"
CACHE=$(cd "$CACHE" && pwd)

if [ $# -eq 0 ]; then
	for meta in linux-image-amd64 linux-image-cloud-amd64 \
		linux-image-6.12-amd64 linux-image-6.12-cloud-amd64; do
		p=$(apt-cache depends "$meta" 2>/dev/null |
			awk '/Depends: linux-image-/{print $2; exit}')
		[ -n "$p" ] && set -- "$@" "$p" ||
			echo "# $meta: not in this machine's apt sources, skipped" >&2
	done
	[ $# -gt 0 ] || die "no kernel package found (apt-get update?)"
fi

ACCEL=tcg
if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then ACCEL=kvm; fi

now() { date +%s; }

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
rm -rf "$common"; mkdir -p "$common/bin" "$common/sbin" "$common/r"
cp "$BUSYBOX" "$common/bin/busybox"
for a in sh mount mkdir cat tar base64 stty uname insmod poweroff sleep \
	ls echo date grep sed wc awk head tail rm cp; do
	ln -sf busybox "$common/bin/$a"
done
libs_of "$common" "$BUILD/socklab" "$BUILD/tests/tools/bindprop" "$IP"
mkdir -p "$common/opt" "$common/etc"
cp -L "$BUILD/socklab" "$common/opt/socklab"
cp -L "$BUILD/tests/tools/bindprop" "$common/opt/bindprop"
cp -L "$IP" "$common/sbin/ip"
cp "$(dirname "$0")/init" "$common/init"
chmod +x "$common/init"
printf 'root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' >"$common/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$common/etc/group"

results=$CACHE/results
mkdir -p "$results"

# the running kernel, on the host: the column everything is compared to
host=$results/host
rm -rf "$host"; mkdir -p "$host"
t0=$(now)
uname -r >"$host/uname"
"$BUILD/socklab" check --tap >"$host/check.tap" 2>"$host/check.err" || true
"$BUILD/socklab" matrix --udp --json >"$host/matrix-udp.json" 2>/dev/null || true
"$BUILD/socklab" matrix --tcp --json >"$host/matrix-tcp.json" 2>/dev/null || true
"$BUILD/tests/tools/bindprop" --seed 1 --count 2000 >"$host/bindprop.out" 2>&1 || true
echo "host $(($(now) - t0))" >"$host/times"
echo "# running kernel $(cat "$host/uname"): $(($(now) - t0)) s" >&2

for pkg in "$@"; do
	k=$CACHE/$pkg
	mkdir -p "$k"
	t0=$(now)
	if ! ls "$k"/*.deb >/dev/null 2>&1; then
		echo "# $pkg: apt-get download" >&2
		(cd "$k" && apt-get download -q "$pkg" 2>&1 | grep -v "^W: Download is performed unsandboxed" >&2) ||
			{ echo "# $pkg: could not be downloaded, skipped" >&2; continue; }
	fi
	t1=$(now)
	if [ ! -d "$k/root" ]; then
		dpkg-deb -x "$k"/*.deb "$k/root"
	fi
	vmlinuz=$(ls "$k"/root/boot/vmlinuz-* | head -1)
	kver=${vmlinuz##*/vmlinuz-}
	img=$k/initrd.cpio
	rm -rf "$k/initrd"; cp -a "$common" "$k/initrd"
	mkdir -p "$k/initrd/modules"
	for m in veth; do
		f=$(find "$k/root/lib/modules/$kver" -name "$m.ko*" | head -1)
		[ -n "$f" ] || continue
		case $f in
		*.xz) xz -dc "$f" >"$k/initrd/modules/$m.ko" ;;
		*.zst) zstd -qdc "$f" >"$k/initrd/modules/$m.ko" ;;
		*) cp "$f" "$k/initrd/modules/$m.ko" ;;
		esac
	done
	(cd "$k/initrd" && find . | cpio -o -H newc --quiet) >"$img"
	t2=$(now)
	out=$k/out.b64
	rm -f "$out" "$k/console.log"
	timeout 1800 qemu-system-x86_64 -accel "$ACCEL" -m 1536 -smp 2 \
		-kernel "$vmlinuz" -initrd "$img" \
		-append "console=ttyS0 panic=-1 quiet rdinit=/init" \
		-display none -no-reboot -nic none \
		-serial "file:$k/console.log" -serial "file:$out" </dev/null ||
		echo "# $pkg: qemu exited $?" >&2
	t3=$(now)
	r=$results/$pkg
	rm -rf "$r"; mkdir -p "$r"
	if ! tr -d '\r' <"$out" | sed -n '/^BEGIN-RESULTS$/,/^END-RESULTS$/p' |
		sed '1d;$d' | base64 -d 2>/dev/null | tar -x -C "$r" 2>/dev/null; then
		echo "# $pkg: no results came out (see $k/console.log)" >&2
	fi
	echo "download $((t1 - t0)) image $((t2 - t1)) vm $((t3 - t2)) accel $ACCEL" >"$r/times"
	echo "# $pkg ($kver): download $((t1 - t0)) s, image $((t2 - t1)) s, VM $((t3 - t2)) s ($ACCEL)" >&2
done

sh "$(dirname "$0")/compare.sh" "$results" host "$@"
