#!/bin/sh
# Installs what `make test-inband` needs on a Debian 12 (bookworm) host:
# QEMU (TCG only; KVM is not used), cpio/xz to build the initramfs and
# extract vmlinux, and openipmi for the ipmi-bmc-extern boot. The kernel
# itself is not installed: run.sh fetches its .deb with `apt-get download`.
set -eu
SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
	qemu-system-x86 qemu-system-data seabios \
	cpio xz-utils zstd openipmi ipmitool
