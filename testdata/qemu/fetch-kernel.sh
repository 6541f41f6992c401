#!/bin/bash
# Fetches the Debian kernel that linux-image-amd64 depends on (apt-get
# download, never installed), unpacks vmlinuz and the three IPMI modules
# into $CACHE, and extracts the uncompressed vmlinux: QEMU boots it through
# PVH, which saves the ~5 s the xz decompressor costs under TCG.
# Prints the kernel release on stdout.
set -eu
CACHE=${IPMICTL_QEMU_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ipmictl/qemu}
mkdir -p "$CACHE"
KPKG=${KPKG:-$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/{print $2; exit}')}
[ -n "$KPKG" ] || { echo "fetch-kernel: cannot find the kernel package behind linux-image-amd64" >&2; exit 1; }
KREL=${KPKG#linux-image-}
DIR=$CACHE/$KREL
if [ ! -s "$DIR/vmlinux" ]; then
	rm -rf "$DIR.tmp" && mkdir -p "$DIR.tmp/deb"
	(cd "$DIR.tmp/deb" && apt-get download -q "$KPKG" >&2)
	dpkg -x "$DIR.tmp"/deb/*.deb "$DIR.tmp/x"
	mkdir -p "$DIR.tmp/out/modules"
	cp "$DIR.tmp/x/boot/vmlinuz-$KREL" "$DIR.tmp/out/vmlinuz"
	for m in ipmi_msghandler ipmi_devintf ipmi_si; do
		f=$(find "$DIR.tmp/x/lib/modules/$KREL" -name "$m.ko*" | sort | sed -n 1p)
		[ -n "$f" ] || { echo "fetch-kernel: $m not in $KPKG" >&2; exit 1; }
		case $f in
		*.ko.xz) xz -dc "$f" >"$DIR.tmp/out/modules/$m.ko" ;;
		*.ko.zst) zstd -qdc "$f" >"$DIR.tmp/out/modules/$m.ko" ;;
		*.ko.gz) gzip -dc "$f" >"$DIR.tmp/out/modules/$m.ko" ;;
		*) cp "$f" "$DIR.tmp/out/modules/$m.ko" ;;
		esac
	done
	# vmlinux: the xz stream inside the bzImage (as scripts/extract-vmlinux).
	# No pipes here: xz stops reading early and tail would die of SIGPIPE.
	LC_ALL=C grep -abo $'\xfd7zXZ' "$DIR.tmp/out/vmlinuz" >"$DIR.tmp/offs" || true
	off=$(LC_ALL=C cut -d: -f1 "$DIR.tmp/offs" | sed -n 1p)
	[ -n "$off" ] || { echo "fetch-kernel: no xz stream in vmlinuz" >&2; exit 1; }
	tail -c +$((off + 1)) "$DIR.tmp/out/vmlinuz" >"$DIR.tmp/vmlinux.xz"
	xz -dc --single-stream "$DIR.tmp/vmlinux.xz" >"$DIR.tmp/out/vmlinux" 2>/dev/null || true
	[ "$(head -c 4 "$DIR.tmp/out/vmlinux" | od -An -tx1 | tr -d ' ')" = 7f454c46 ] ||
		{ echo "fetch-kernel: could not extract vmlinux from $KPKG" >&2; exit 1; }
	rm -rf "$DIR" && mv "$DIR.tmp/out" "$DIR" && rm -rf "$DIR.tmp"
fi
echo "$KREL"
