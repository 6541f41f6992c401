package rmcp

import (
	"fmt"

	"github.com/ipmictl/ipmictl/ipmi"
)

// Addresses and commands used to frame requests (IPMI v2.0 section 13.8).
const (
	bmcAddr        = ipmi.BMCSlaveAddr
	consoleSWID    = ipmi.RemoteSWID
	cmdSendMessage = 0x34
	trackRequest   = 0x40 // Send Message channel byte: track the request
)

// bridged reports whether req must travel in Send Message.
func bridged(req *ipmi.Request) bool {
	t := req.Target
	if t == nil {
		return false
	}
	return req.Transit != nil || t.Addr != bmcAddr || t.Channel != 0
}

// newCall returns the call a response to req must match: for a bridged
// request first the Send Message response(s), then the target's.
func newCall(req *ipmi.Request) *call {
	c := &call{netFn: uint8(req.NetFn), cmd: req.Cmd, ch: make(chan *ipmi.Response, 1)}
	if bridged(req) {
		c.levels = 1
		if req.Transit != nil {
			c.levels = 2
		}
		c.targetNetFn, c.targetCmd = c.netFn, c.cmd
		c.netFn, c.cmd = uint8(ipmi.NetFnApp), cmdSendMessage
	}
	return c
}

// buildRequest appends the IPMI message for req with IPMI sequence seq.
// A bridged request is wrapped in Send Message (with tracking) once per
// hop, as ipmitool does: the innermost message names the BMC (0x20) as
// requester, an intermediate one the remote console software ID.
func buildRequest(dst []byte, req *ipmi.Request, seq uint8) ([]byte, error) {
	if req.LUN > 3 {
		return nil, fmt.Errorf("rmcp: LUN %d out of range", req.LUN)
	}
	inner := lanMsg{DstAddr: bmcAddr, NetFn: uint8(req.NetFn), DstLUN: req.LUN,
		SrcAddr: consoleSWID, Seq: seq, Cmd: req.Cmd, Body: req.Data}
	if !bridged(req) {
		return inner.append(dst), nil
	}
	t := req.Target
	inner.DstAddr, inner.SrcAddr = t.Addr, bmcAddr
	body := append([]byte{trackRequest | t.Channel&0x0F}, inner.append(nil)...)
	if tr := req.Transit; tr != nil {
		mid := lanMsg{DstAddr: tr.Addr, NetFn: uint8(ipmi.NetFnApp), SrcAddr: consoleSWID, Seq: seq,
			Cmd: cmdSendMessage, Body: body}
		body = append([]byte{trackRequest | tr.Channel&0x0F}, mid.append(nil)...)
	}
	outer := lanMsg{DstAddr: bmcAddr, NetFn: uint8(ipmi.NetFnApp), SrcAddr: consoleSWID, Seq: seq,
		Cmd: cmdSendMessage, Body: body}
	if n := len(body) + lanMsgOverhead; n > 255 {
		return nil, fmt.Errorf("rmcp: bridged request of %d bytes is too long", n)
	}
	return outer.append(dst), nil
}
