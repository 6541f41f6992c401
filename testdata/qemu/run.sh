#!/bin/bash
# make test-inband: the in-band transports against a real Linux kernel.
#
# Boot 1: QEMU's own BMC (ipmi-bmc-sim + isa-ipmi-kcs). The guest runs the
# commands of cmds.txt through direct KCS (no driver), then through
# /dev/ipmi0 (ipmi_si loaded), and requires both to print the same.
# Boot 2: ipmi-bmc-extern to OpenIPMI's ipmi_sim (the project's lab BMC,
# testdata/ipmisim, plus a VM serial line). The host then asks the same
# ipmi_sim over LAN and requires the in-band answers to equal the LAN ones.
#
# QEMU runs with TCG (KVM is broken on these hosts) and reports the guest's
# verdict through isa-debug-exit: exit 1 = pass, 3 = fail.
# Needs: testdata/qemu/install-deps.sh. IPMICTL_QEMU_KEEP=1 keeps
# the work directory (logs, initramfs); IPMICTL_QEMU_FROM_HEAD=1 builds the
# last commit instead of the working tree.
#
# Usage: run.sh [IPMICTL]  (IPMICTL: a static ipmictl binary, e.g. the one
# `make build` writes; without it run.sh builds one.)
set -euo pipefail
IPMICTL_BIN=${1:-}
if [ -n "$IPMICTL_BIN" ]; then
	[ -x "$IPMICTL_BIN" ] || { echo "test-inband: $IPMICTL_BIN is not an executable" >&2; exit 1; }
	IPMICTL_BIN=$(cd "$(dirname "$IPMICTL_BIN")" && pwd)/$(basename "$IPMICTL_BIN")
fi
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$ROOT/testdata/qemu
CACHE=${IPMICTL_QEMU_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ipmictl/qemu}
export IPMICTL_QEMU_CACHE=$CACHE
BOOT_TIMEOUT=${BOOT_TIMEOUT:-150}
T_START=$(date +%s.%N)

for tool in qemu-system-x86_64 cpio gzip xz ss ipmi_sim sdrcomp go apt-get dpkg; do
	command -v "$tool" >/dev/null || { echo "test-inband: $tool missing: run testdata/qemu/install-deps.sh" >&2; exit 1; }
done

W=$(mktemp -d "${TMPDIR:-/tmp}/ipmictl-qemu.XXXXXX")
SIM_PID=
LAB_PID=
cleanup() {
	local rc=$?
	set +e # ipmi_sim dies of our SIGTERM: that is not the test's status
	[ -n "$SIM_PID" ] && kill "$SIM_PID" 2>/dev/null && wait "$SIM_PID" 2>/dev/null
	[ -n "$LAB_PID" ] && kill "$LAB_PID" 2>/dev/null && wait "$LAB_PID" 2>/dev/null
	if [ "${IPMICTL_QEMU_KEEP:-}" = 1 ]; then echo "test-inband: work directory kept: $W"; else rm -rf "$W"; fi
	exit "$rc"
}
trap cleanup EXIT
elapsed() { echo "$(date +%s.%N) $1" | awk '{printf "%.1f", $1 - $2}'; }

# --- build -----------------------------------------------------------
t=$(date +%s.%N)
KREL=$("$HERE/fetch-kernel.sh")
KDIR=$CACHE/$KREL
mkdir -p "$W/root/modules"
cd "$ROOT"
if [ "${IPMICTL_QEMU_FROM_HEAD:-}" = 1 ]; then
	# Build the committed tree, not a working tree others are editing.
	mkdir -p "$W/src" && git archive HEAD | tar -x -C "$W/src"
	cd "$W/src"
fi
export CGO_ENABLED=0
if [ -n "$IPMICTL_BIN" ]; then
	cp "$IPMICTL_BIN" "$W/root/ipmictl"
else
	go build -trimpath -ldflags='-s -w' -o "$W/root/ipmictl" ./cmd/ipmictl
fi
go build -trimpath -ldflags='-s -w' -o "$W/root/init" ./testdata/qemu/guestinit
go test -c -tags inband_e2e -trimpath -ldflags='-s -w' -o "$W/root/inband.test" ./ipmi/inband
cp "$W/root/ipmictl" "$W/ipmictl" # the same binary answers over LAN
go build -o "$W/ipmisimlab" ./internal/peers/cmd/ipmisim
cp "$KDIR"/modules/*.ko "$W/root/modules/"
cp "$HERE/cmds.txt" "$W/root/cmds"
(cd "$W/root" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --quiet --owner=0:0 --reproducible) | gzip -1n >"$W/initrd.gz"
echo "test-inband: kernel $KREL, initramfs $(du -k "$W/initrd.gz" | cut -f1) KiB, build $(elapsed "$t") s"

# --- one boot ----------------------------------------------------------
# boot NAME MODE QEMU-BMC-ARGS...: results in $W/NAME.results, console in
# $W/NAME.console; returns the guest's verdict.
boot() {
	local name=$1 mode=$2
	shift 2
	local t rc=0
	t=$(date +%s.%N)
	timeout "$BOOT_TIMEOUT" qemu-system-x86_64 -accel tcg -m 256 -smp 1 \
		-nodefaults -no-user-config -nographic -display none -no-reboot \
		-chardev file,id=con,path="$W/$name.console" -serial chardev:con \
		-chardev file,id=res,path="$W/$name.results" -serial chardev:res \
		-kernel "$KDIR/vmlinux" -initrd "$W/initrd.gz" \
		-append "console=ttyS0 panic=-1 quiet ipmitest.mode=$mode" \
		"$@" -device isa-debug-exit,iobase=0xf4,iosize=0x04 </dev/null >"$W/$name.qemu" 2>&1 || rc=$?
	echo "test-inband: boot $name: qemu exit $rc in $(elapsed "$t") s"
	{ grep -a 'guestinit:' "$W/$name.console" || true; } | sed 's/^/    /'
	# Per-command lines for the report.
	if [ "$rc" != 1 ] || ! grep -aq '^@@@ RESULT PASS' "$W/$name.results"; then
		echo "test-inband: boot $name FAILED (qemu exit $rc; 1 = pass, 3 = fail, 124 = timeout)" >&2
		echo "--- console" >&2; tr -d '\r' <"$W/$name.console" | tail -60 >&2
		echo "--- qemu" >&2; cat "$W/$name.qemu" >&2
		return 1
	fi
}

# split RESULTS DIR: one file per "@@@ BEGIN label cmd" block:
# DIR/<label>/<cmd>.out (stdout), .rc, .known
split_results() {
	awk -v dir="$2" '
	function fname(s) { gsub(/ /, "_", s); return s }
	/^@@@ BEGIN / { label = $3; cmd = $0; sub(/^@@@ BEGIN [^ ]+ /, "", cmd)
		base = dir "/" label "/" fname(cmd); system("mkdir -p " dir "/" label)
		out = base ".out"; printf "" > out; mode = "out"; next }
	/^@@@ STDERR$/ { mode = "err"; next }
	/^@@@ END / { split($3, a, "="); split($4, k, "="); print a[2] > (base ".rc"); print k[2] > (base ".known")
		close(out); close(base ".rc"); close(base ".known"); mode = ""; next }
	mode == "out" { print > out }
	' "$1"
}

FAIL=0

# --- the ipmi_sim lab ------------------------------------------------------
free_tcp_port() {
	local p
	for _ in $(seq 50); do
		p=$((20000 + RANDOM % 12000))
		[ -z "$(ss -Htan "sport = :$p" 2>/dev/null)" ] && { echo "$p"; return; }
	done
	return 1
}
# The lab (internal/peers) prepares the run directory (SDRs, SEL, FRU
# images, sensors) and starts ipmi_sim; it is then restarted with a VM
# serial line added to the same configuration.
"$W/ipmisimlab" -run "$W/sim" >"$W/lab.out" 2>&1 &
LAB_PID=$!
for _ in $(seq 100); do grep -q '^run dir' "$W/lab.out" 2>/dev/null && break; sleep 0.1; done
LAN_PORT=$(sed -n 's/.* on udp 127\.0\.0\.1:\([0-9]*\),.*/\1/p' "$W/lab.out")
[ -n "$LAN_PORT" ] || { echo "test-inband: ipmi_sim lab did not start:" >&2; cat "$W/lab.out" >&2; exit 1; }
kill -INT "$LAB_PID"; wait "$LAB_PID" 2>/dev/null || true; LAB_PID=

# --- boot 1: QEMU's built-in BMC ----------------------------------------
# The lab's system FRU image gives QEMU's BMC something for fru print.
boot sim sim -device ipmi-bmc-sim,id=bmc0,frudatafile="$W/sim/fru0.bin",fruareasize=1024 \
	-device isa-ipmi-kcs,bmc=bmc0 || FAIL=1

# --- boot 2: ipmi_sim through ipmi-bmc-extern ----------------------------
VM_PORT=$(free_tcp_port)
sed -i -e '/^[[:space:]]*sol "tcp:/d' \
	-e "s/^set_working_mc 0x20\$/set_working_mc 0x20\\n  serial 15 127.0.0.1 $VM_PORT codec VM\\n  startnow false/" "$W/sim/lan.conf"
grep -q "serial 15 127.0.0.1 $VM_PORT codec VM" "$W/sim/lan.conf"
(cd "$W/sim" && exec ipmi_sim -c lan.conf -f bmc.emu -s "$W/sim/state" -n) >"$W/ipmi_sim.log" 2>&1 &
SIM_PID=$!
for _ in $(seq 100); do [ -n "$(ss -Hltn "sport = :$VM_PORT")" ] && break; sleep 0.1; done
[ -n "$(ss -Hltn "sport = :$VM_PORT")" ] || { echo "test-inband: ipmi_sim does not listen on $VM_PORT:" >&2; cat "$W/ipmi_sim.log" >&2; exit 1; }
echo "test-inband: ipmi_sim pid $SIM_PID: LAN udp 127.0.0.1:$LAN_PORT, VM tcp 127.0.0.1:$VM_PORT"

lan() { "$W/ipmictl" -I lanplus -H 127.0.0.1 -p "$LAN_PORT" -U admin -P password -C 3 "$@"; }
# LAN answers before the VM connects, to see whether its connection
# changes anything.
mkdir -p "$W/lan"
grep -v '^#' "$HERE/cmds.txt" | sed -n 's/^!//;/./p' | while read -r c; do
	f=$W/lan/$(echo "$c" | tr ' ' _)
	rc=0; lan $c >"$f.out" 2>"$f.err" || rc=$?; echo "$rc" >"$f.rc"
done

boot extern extern -chardev socket,id=ipmichr0,host=127.0.0.1,port="$VM_PORT",reconnect=1 \
	-device ipmi-bmc-extern,id=bmc0,chardev=ipmichr0 -device isa-ipmi-kcs,bmc=bmc0 || FAIL=1
kill -0 "$SIM_PID" || { echo "test-inband: ipmi_sim died:" >&2; cat "$W/ipmi_sim.log" >&2; FAIL=1; }

# --- in-band equals LAN ---------------------------------------------------
split_results "$W/extern.results" "$W/inband"
echo "test-inband: extern: in-band (guest) vs LAN (host: ipmictl -I lanplus -C 3) for ipmi_sim:"
while read -r c; do
	n=$(echo "$c" | tr ' ' _)
	for label in kcs open; do
		g=$W/inband/$label/$n
		if [ ! -f "$g.rc" ]; then
			echo "    $label $c: no result from the guest"; FAIL=1; continue
		fi
		if [ "$(cat "$g.known")" = 0 ]; then
			echo "    $label $c: SKIPPED (ipmictl has no such command)"; continue
		fi
		if [ "$(cat "$g.rc")" = "$(cat "$W/lan/$n.rc")" ] && cmp -s "$g.out" "$W/lan/$n.out"; then
			echo "    $label $c: equal (rc $(cat "$g.rc"), $(wc -l <"$g.out") lines)"
		else
			echo "    $label $c: DIFFERS: in-band rc $(cat "$g.rc"), LAN rc $(cat "$W/lan/$n.rc")"
			{ diff -u "$W/lan/$n.out" "$g.out" || true; } | head -40 | sed 's/^/        /'
			sed 's/^/        LAN stderr: /' "$W/lan/$n.err"
			FAIL=1
		fi
	done
done < <(grep -v '^#' "$HERE/cmds.txt" | sed -n 's/^!//;/./p')

echo "test-inband: total $(elapsed "$T_START") s"
if [ "$FAIL" != 0 ]; then
	echo "test-inband: FAIL"
	exit 1
fi
echo "test-inband: PASS"
