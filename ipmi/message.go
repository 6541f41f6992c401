// Package ipmi is the IPMI message layer: requests and responses, network
// function and command numbers, completion codes, the Transport seam that
// every way of reaching a BMC implements, and Client with one typed method
// per IPMI command.
package ipmi

import (
	"context"
	"fmt"
)

// NetFn is an IPMI network function code (the even, request value).
type NetFn uint8

// Network functions (IPMI v2.0 table 5-1).
const (
	NetFnChassis     NetFn = 0x00
	NetFnBridge      NetFn = 0x02
	NetFnSensorEvent NetFn = 0x04
	NetFnApp         NetFn = 0x06
	NetFnFirmware    NetFn = 0x08
	NetFnStorage     NetFn = 0x0A
	NetFnTransport   NetFn = 0x0C
	NetFnGroupExt    NetFn = 0x2C
	NetFnOEMGroup    NetFn = 0x2E
)

var netFnNames = [...]string{
	0x00: "Chassis", 0x02: "Bridge", 0x04: "Sensor/Event", 0x06: "App",
	0x08: "Firmware", 0x0A: "Storage", 0x0C: "Transport", 0x2C: "Group Extension",
	0x2E: "OEM/Group",
}

func (n NetFn) String() string {
	if int(n) < len(netFnNames) && netFnNames[n] != "" {
		return netFnNames[n]
	}
	return fmt.Sprintf("NetFn(0x%02x)", uint8(n))
}

// Response returns the response network function (request + 1).
func (n NetFn) Response() NetFn { return n | 1 }

// BMCSlaveAddr is the IPMB address of the BMC itself.
const BMCSlaveAddr = 0x20

// RemoteSWID is the software ID a LAN remote console uses as requester.
const RemoteSWID = 0x81

// Address names a controller behind the BMC, reached by bridging
// (ipmitool -b/-t, or -B/-T for the transit hop of a double bridge).
type Address struct {
	Channel uint8 // channel on the bridging controller (0 = primary IPMB)
	Addr    uint8 // IPMB slave address of the target
}

// Request is one IPMI request. Data excludes netFn, command and checksums;
// each transport frames it in its own way.
type Request struct {
	NetFn NetFn
	Cmd   uint8
	LUN   uint8 // target LUN (0-3)
	Data  []byte

	// Target, when set, sends the request to another controller through
	// the BMC (Send Message encapsulation on LAN, an IPMB address in-band).
	Target *Address
	// Transit, when set with Target, is the first hop of a double bridge.
	Transit *Address
}

func (r *Request) String() string {
	return fmt.Sprintf("netfn=0x%02x cmd=0x%02x", uint8(r.NetFn), r.Cmd)
}

// Response is the BMC's answer: the completion code and the data after it.
type Response struct {
	Code CompletionCode
	Data []byte
}

// Transport carries one request to a BMC and brings back its response.
// Implementations are safe for concurrent use; responses are matched to
// requests, not taken in arrival order. A non-zero completion code is not
// a transport error: Send returns it in Response.Code.
type Transport interface {
	Send(ctx context.Context, req *Request) (*Response, error)
	Close() error
}
