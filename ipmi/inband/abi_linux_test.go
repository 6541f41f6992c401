package inband

import (
	"runtime"
	"testing"
	"unsafe"
)

// The kernel's values, from a C program compiled against linux-libc-dev
// 6.1's <linux/ipmi.h> on amd64 (shared/lab/QEMU_INBAND.md). They hold
// for every 64-bit port with the asm-generic _IOC layout.
var generic64 = map[string]bool{"amd64": true, "arm64": true, "riscv64": true, "loong64": true, "s390x": true}

func TestIoctlNumbers(t *testing.T) {
	if !generic64[runtime.GOARCH] {
		t.Logf("%s: checking the _IOC formula only", runtime.GOARCH)
	} else {
		if ioctlSendCommand != 0x8028690d {
			t.Errorf("IPMICTL_SEND_COMMAND = %#x, kernel has 0x8028690d", ioctlSendCommand)
		}
		if ioctlReceiveMsgTrunc != 0xc030690b {
			t.Errorf("IPMICTL_RECEIVE_MSG_TRUNC = %#x, kernel has 0xc030690b", ioctlReceiveMsgTrunc)
		}
	}
	// Fields decoded back out of the numbers.
	for name, c := range map[string]struct {
		v       uintptr
		nr      uintptr
		size    uintptr
		readDir bool
	}{
		"send": {ioctlSendCommand, 13, unsafe.Sizeof(ipmiReq{}), true},
		"recv": {ioctlReceiveMsgTrunc, 11, unsafe.Sizeof(ipmiRecv{}), true},
	} {
		if got := c.v & 0xff; got != c.nr {
			t.Errorf("%s: nr %d, want %d", name, got, c.nr)
		}
		if got := (c.v >> 8) & 0xff; got != 'i' {
			t.Errorf("%s: type %q, want 'i'", name, rune(got))
		}
		if got := (c.v >> 16) & (1<<iocSizeBits - 1); got != c.size {
			t.Errorf("%s: size %d, want %d", name, got, c.size)
		}
	}
}

func TestStructLayout(t *testing.T) {
	ptr := unsafe.Sizeof(uintptr(0))
	long := unsafe.Sizeof(int(0))
	type field struct {
		name      string
		got, want uintptr
	}
	var check []field
	if ptr == 8 {
		// struct sizes and offsets the kernel has on LP64.
		check = []field{
			{"sizeof ipmi_msg", unsafe.Sizeof(ipmiMsg{}), 16},
			{"ipmi_msg.data", unsafe.Offsetof(ipmiMsg{}.data), 8},
			{"sizeof ipmi_req", unsafe.Sizeof(ipmiReq{}), 40},
			{"ipmi_req.addr_len", unsafe.Offsetof(ipmiReq{}.addrLen), 8},
			{"ipmi_req.msgid", unsafe.Offsetof(ipmiReq{}.msgid), 16},
			{"ipmi_req.msg", unsafe.Offsetof(ipmiReq{}.msg), 24},
			{"sizeof ipmi_recv", unsafe.Sizeof(ipmiRecv{}), 48},
			{"ipmi_recv.addr", unsafe.Offsetof(ipmiRecv{}.addr), 8},
			{"ipmi_recv.addr_len", unsafe.Offsetof(ipmiRecv{}.addrLen), 16},
			{"ipmi_recv.msgid", unsafe.Offsetof(ipmiRecv{}.msgid), 24},
			{"ipmi_recv.msg", unsafe.Offsetof(ipmiRecv{}.msg), 32},
		}
	} else {
		// ILP32: every field is 4-byte aligned and 4 or fewer bytes.
		check = []field{
			{"sizeof ipmi_msg", unsafe.Sizeof(ipmiMsg{}), 8},
			{"sizeof ipmi_req", unsafe.Sizeof(ipmiReq{}), 20},
			{"sizeof ipmi_recv", unsafe.Sizeof(ipmiRecv{}), 24},
		}
	}
	check = append(check,
		field{"C long is Go int", long, ptr},
		field{"sizeof ipmi_addr", unsafe.Sizeof(ipmiAddr{}), 40},
		field{"ipmi_addr.data", unsafe.Offsetof(ipmiAddr{}.data), 6},
		field{"sizeof ipmi_system_interface_addr", unsafe.Sizeof(ipmiSystemInterfaceAddr{}), 8},
		field{"ipmi_system_interface_addr.lun", unsafe.Offsetof(ipmiSystemInterfaceAddr{}.lun), 6},
		field{"sizeof ipmi_ipmb_addr", unsafe.Sizeof(ipmiIPMBAddr{}), 8},
		field{"ipmi_ipmb_addr.slave_addr", unsafe.Offsetof(ipmiIPMBAddr{}.slaveAddr), 6},
		field{"ipmi_ipmb_addr.lun", unsafe.Offsetof(ipmiIPMBAddr{}.lun), 7},
	)
	for _, f := range check {
		if f.got != f.want {
			t.Errorf("%s = %d, kernel has %d", f.name, f.got, f.want)
		}
	}
}
