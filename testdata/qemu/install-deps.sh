#!/bin/sh
# Installs what `make test-inband` (testdata/qemu/run.sh) needs on a Debian
# 12 (bookworm) host: QEMU (TCG only; KVM is not used), cpio/gzip/xz for the
# initramfs and vmlinux, iproute2 (ss) and openipmi (ipmi_sim, sdrcomp) for
# the ipmi-bmc-extern boot. Go must already be installed. The kernel is not
# installed: fetch-kernel.sh gets its .deb with `apt-get download`.
set -eu
SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
	qemu-system-x86 qemu-system-data seabios \
	cpio gzip xz-utils zstd iproute2 openipmi
