package bmcsim

import (
	"github.com/ipmictl/ipmictl/ipmi"
)

type channelAccess struct {
	mode      uint8 // 0 disabled, 1 pre-boot, 2 always, 3 shared
	flags     uint8 // bit 5 alerting off, 4 per-message auth off, 3 user-level auth off
	privLimit ipmi.Privilege
}

type channelState struct {
	lan      channelAccess // volatile (present) settings
	lanNV    channelAccess // non-volatile settings
	solOwner uint32        // session with SOL active, 0 = none
}

func newChannelState() channelState {
	a := channelAccess{mode: 2, privLimit: ipmi.PrivilegeAdmin}
	return channelState{lan: a, lanNV: a}
}

// resolveChannel maps 0x0E ("this channel") to the session's channel.
func (b *BMC) resolveChannel(ch uint8, s *SessionInfo) uint8 {
	if ch == 0x0E {
		return s.Channel
	}
	return ch
}

func (b *BMC) channelExists(ch uint8) bool { return ch == 0 || ch == lanChannel || ch == 0x0F }

func (b *BMC) getChannelInfo(s *SessionInfo, data []byte) *ipmi.Response {
	if len(data) != 1 {
		return fail(ipmi.CodeRequestLengthInvalid)
	}
	ch := b.resolveChannel(data[0]&0x0F, s)
	vendor := []byte{0xF2, 0x1B, 0x00} // IPMI forum, 7154
	switch ch {
	case 0: // primary IPMB
		return ok(append([]byte{0x00, 0x01, 0x01, 0x00}, append(vendor, 0, 0)...)...)
	case lanChannel:
		active := uint8(b.sessions.active())
		return ok(append([]byte{lanChannel, 0x04, 0x01, 0x80 | active&0x3F}, append(vendor, 0, 0)...)...)
	case 0x0F: // system interface (KCS)
		return ok(append([]byte{0x0F, 0x0C, 0x05, 0x00}, append(vendor, 0, 0)...)...)
	}
	return fail(ipmi.CodeInvalidDataField)
}

func (b *BMC) getChannelAccess(s *SessionInfo, data []byte) *ipmi.Response {
	if len(data) != 2 {
		return fail(ipmi.CodeRequestLengthInvalid)
	}
	ch := b.resolveChannel(data[0]&0x0F, s)
	if ch != lanChannel {
		if b.channelExists(ch) {
			return fail(0x82) // session-less channel: no access settings
		}
		return fail(ipmi.CodeInvalidDataField)
	}
	var a channelAccess
	switch data[1] >> 6 {
	case 1:
		a = b.channels.lanNV
	case 2:
		a = b.channels.lan
	default:
		return fail(ipmi.CodeInvalidDataField)
	}
	return ok(a.flags&0x38|a.mode&0x07, uint8(a.privLimit)&0x0F)
}

func (b *BMC) setChannelAccess(s *SessionInfo, data []byte) *ipmi.Response {
	if len(data) != 3 {
		return fail(ipmi.CodeRequestLengthInvalid)
	}
	ch := b.resolveChannel(data[0]&0x0F, s)
	if ch != lanChannel {
		return fail(ipmi.CodeInvalidDataField)
	}
	p := ipmi.Privilege(data[2] & 0x0F)
	if data[2]>>6 == 1 || data[2]>>6 == 2 {
		if p < ipmi.PrivilegeCallback || p > ipmi.PrivilegeOEM {
			return fail(ipmi.CodeInvalidDataField)
		}
	}
	apply := func(a *channelAccess, accessSel, privSel uint8) {
		if data[1]>>6 == accessSel {
			a.flags = data[1] & 0x38
			a.mode = data[1] & 0x07
		}
		if data[2]>>6 == privSel {
			a.privLimit = p
		}
	}
	apply(&b.channels.lanNV, 1, 1)
	apply(&b.channels.lan, 2, 2)
	// Setting non-volatile also loads the volatile copy on a real BMC
	// only at reboot; ipmitool sets both, so nothing more to do here.
	return ok()
}

// getChannelAuthCaps answers Get Channel Authentication Capabilities,
// which arrives before any session exists.
func (b *BMC) getChannelAuthCaps(s *SessionInfo, data []byte) *ipmi.Response {
	if len(data) != 2 {
		return fail(ipmi.CodeRequestLengthInvalid)
	}
	ch := b.resolveChannel(data[0]&0x0F, s)
	if ch != lanChannel {
		return fail(ipmi.CodeInvalidDataField)
	}
	priv := ipmi.Privilege(data[1] & 0x0F)
	if priv < ipmi.PrivilegeCallback || priv > ipmi.PrivilegeOEM {
		return fail(ipmi.CodeInvalidDataField)
	}
	types := b.lan.authEnables[priv-1] & 0x37
	caps := uint8(0x04) // non-null user names enabled
	anon := b.users[0]
	if anon.enabled {
		caps |= 0x02
	}
	caps |= b.channels.lan.flags & 0x18
	ext := uint8(0)
	if data[0]&0x80 != 0 {
		types |= 0x80
		ext = 0x03 // IPMI v1.5 and v2.0 connections
	}
	return ok(ch, types, caps, ext, 0, 0, 0, 0)
}

func (b *BMC) getChannelPayloadSupport(s *SessionInfo, data []byte) *ipmi.Response {
	if len(data) != 1 {
		return fail(ipmi.CodeRequestLengthInvalid)
	}
	if b.resolveChannel(data[0]&0x0F, s) != lanChannel {
		return fail(ipmi.CodeInvalidDataField)
	}
	// IPMI (0) and SOL (1); session setup payloads 0x10-0x15.
	return ok(0x03, 0x00, 0x3F, 0x00, 0, 0, 0, 0)
}

func (b *BMC) getChannelPayloadVersion(s *SessionInfo, data []byte) *ipmi.Response {
	if len(data) != 2 {
		return fail(ipmi.CodeRequestLengthInvalid)
	}
	if b.resolveChannel(data[0]&0x0F, s) != lanChannel || data[1] > 1 {
		return fail(0x80) // payload type not available
	}
	return ok(0x10) // version 1.0
}

func (b *BMC) getPayloadActivationStatus(s *SessionInfo, data []byte) *ipmi.Response {
	if len(data) != 1 {
		return fail(ipmi.CodeRequestLengthInvalid)
	}
	if data[0] != 1 {
		return fail(ipmi.CodeInvalidDataField)
	}
	var act uint8
	if b.solActive() {
		act = 0x01
	}
	return ok(0x01, act, 0x00)
}
