package inband

import "unsafe"

// The OpenIPMI character-device ABI (include/uapi/linux/ipmi.h). C long is
// Go int on every Linux port, and pointers are unsafe.Pointer, so these
// structs have the kernel's layout on 32- and 64-bit architectures alike;
// abi_linux_test.go checks sizes, offsets and the ioctl numbers.

const (
	ipmiMaxAddrSize = 32

	ipmiSystemInterfaceAddrType = 0x0c
	ipmiIPMBAddrType            = 0x01
	ipmiBMCChannel              = 0x0f

	ipmiResponseRecvType = 1 // a response to one of our requests

	ipmiIOCMagic = 'i'
)

// ipmiMsg is struct ipmi_msg.
type ipmiMsg struct {
	netfn   uint8
	cmd     uint8
	dataLen uint16
	data    unsafe.Pointer
}

// ipmiReq is struct ipmi_req (IPMICTL_SEND_COMMAND).
type ipmiReq struct {
	addr    unsafe.Pointer
	addrLen uint32
	msgid   int
	msg     ipmiMsg
}

// ipmiRecv is struct ipmi_recv (IPMICTL_RECEIVE_MSG_TRUNC).
type ipmiRecv struct {
	recvType int32
	addr     unsafe.Pointer
	addrLen  uint32
	msgid    int
	msg      ipmiMsg
}

// ipmiAddr is struct ipmi_addr: big enough for any address the kernel
// returns with a message.
type ipmiAddr struct {
	addrType int32
	channel  int16
	data     [ipmiMaxAddrSize]byte
}

// ipmiSystemInterfaceAddr is struct ipmi_system_interface_addr: the BMC.
type ipmiSystemInterfaceAddr struct {
	addrType int32
	channel  int16
	lun      uint8
}

// ipmiIPMBAddr is struct ipmi_ipmb_addr: a controller the BMC bridges to.
type ipmiIPMBAddr struct {
	addrType  int32
	channel   int16
	slaveAddr uint8
	lun       uint8
}

var (
	ioctlReceiveMsgTrunc = iowr(ipmiIOCMagic, 11, unsafe.Sizeof(ipmiRecv{}))
	ioctlSendCommand     = ior(ipmiIOCMagic, 13, unsafe.Sizeof(ipmiReq{}))
)
