package bmcsim

import (
	"bytes"

	"github.com/ipmictl/ipmictl/ipmi"
)

// MaxUsers is the number of user IDs (1..MaxUsers); ID 1 is the anonymous
// (null name) user, disabled by default.
const MaxUsers = 16

const (
	lanChannel   = 1
	maxPassword  = 20
	userNameSize = 16
)

type user struct {
	name       []byte // up to 16 bytes, no padding
	password   []byte // up to 20 bytes, no padding
	enabled    bool
	privLimit  ipmi.Privilege // on LAN channel 1, the only session channel; 0x0F = no access
	ipmiMsg    bool
	linkAuth   bool
	callback   bool
	sessLimit  uint8
	solAllowed bool
}

func newUsers(specs []UserSpec) []user {
	us := make([]user, MaxUsers)
	for i := range us {
		us[i].privLimit = ipmi.PrivilegeNoAccess
	}
	us[0].privLimit = ipmi.PrivilegeAdmin // anonymous: disabled, no name
	for i, sp := range specs {
		if i+1 >= MaxUsers {
			break
		}
		u := &us[i+1]
		u.name = truncate([]byte(sp.Name), userNameSize)
		u.password = truncate([]byte(sp.Password), maxPassword)
		u.enabled = true
		u.privLimit = sp.Privilege
		u.ipmiMsg, u.linkAuth, u.solAllowed = true, true, true
	}
	return us
}

func truncate(b []byte, n int) []byte {
	if len(b) > n {
		b = b[:n]
	}
	return append([]byte(nil), b...)
}

// Credentials is what the LAN server needs to authenticate one user.
type Credentials struct {
	UserID    uint8
	Password  []byte         // the key K_uid, unpadded (up to 20 bytes)
	PrivLimit ipmi.Privilege // channel privilege limit for this user
}

// LookupUser finds an enabled user by name for a login on the LAN channel.
// The empty name is the anonymous user 1. It fails for disabled users and
// users without IPMI messaging or with no access on the channel.
func (b *BMC) LookupUser(name []byte) (Credentials, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for i := range b.users {
		u := &b.users[i]
		if !bytes.Equal(u.name, name) {
			continue
		}
		if i > 0 && len(name) == 0 {
			continue // an empty slot, not the anonymous user
		}
		if !u.enabled || !u.ipmiMsg || u.privLimit == ipmi.PrivilegeNoAccess || u.privLimit < ipmi.PrivilegeCallback {
			return Credentials{}, false
		}
		lim := min(u.privLimit, b.channels.lan.privLimit)
		return Credentials{UserID: uint8(i + 1), Password: append([]byte(nil), u.password...), PrivLimit: lim}, true
	}
	return Credentials{}, false
}

func (b *BMC) userByID(id uint8) *user {
	if id < 1 || int(id) > len(b.users) {
		return nil
	}
	return &b.users[id-1]
}

func (b *BMC) getUserAccess(s *SessionInfo, data []byte) *ipmi.Response {
	if len(data) != 2 {
		return fail(ipmi.CodeRequestLengthInvalid)
	}
	// User access exists per session-capable channel; this BMC has one,
	// LAN channel 1 (IPMB and the system interface are session-less).
	if b.resolveChannel(data[0]&0x0F, s) != lanChannel {
		return fail(ipmi.CodeInvalidDataField)
	}
	u := b.userByID(data[1] & 0x3F)
	if u == nil {
		return fail(ipmi.CodeInvalidDataField)
	}
	enabled := 0
	for i := range b.users {
		if b.users[i].enabled {
			enabled++
		}
	}
	status := uint8(0x80) // disabled
	if u.enabled {
		status = 0x40
	}
	access := uint8(u.privLimit & 0x0F)
	if u.ipmiMsg {
		access |= 0x10
	}
	if u.linkAuth {
		access |= 0x20
	}
	if u.callback {
		access |= 0x40
	}
	return ok(MaxUsers, status|uint8(enabled), 0x01, access)
}

func (b *BMC) setUserAccess(s *SessionInfo, data []byte) *ipmi.Response {
	if len(data) != 3 && len(data) != 4 {
		return fail(ipmi.CodeRequestLengthInvalid)
	}
	if b.resolveChannel(data[0]&0x0F, s) != lanChannel {
		return fail(ipmi.CodeInvalidDataField)
	}
	u := b.userByID(data[1] & 0x3F)
	if u == nil {
		return fail(ipmi.CodeInvalidDataField)
	}
	p := ipmi.Privilege(data[2] & 0x0F)
	if p != ipmi.PrivilegeNoAccess && (p < ipmi.PrivilegeCallback || p > ipmi.PrivilegeOEM) {
		return fail(ipmi.CodeInvalidDataField)
	}
	if data[0]&0x80 != 0 {
		u.callback = data[0]&0x40 != 0
		u.linkAuth = data[0]&0x20 != 0
		u.ipmiMsg = data[0]&0x10 != 0
	}
	u.privLimit = p
	if len(data) == 4 {
		u.sessLimit = data[3] & 0x0F
	}
	return ok()
}

func (b *BMC) setUserName(s *SessionInfo, data []byte) *ipmi.Response {
	if len(data) != 1+userNameSize {
		return fail(ipmi.CodeRequestLengthInvalid)
	}
	id := data[0] & 0x3F
	u := b.userByID(id)
	if u == nil || id == 1 {
		return fail(ipmi.CodeInvalidDataField) // user 1's name is fixed (null)
	}
	name := data[1:]
	if i := bytes.IndexByte(name, 0); i >= 0 {
		name = name[:i]
	}
	u.name = append([]byte(nil), name...)
	return ok()
}

func (b *BMC) getUserName(s *SessionInfo, data []byte) *ipmi.Response {
	if len(data) != 1 {
		return fail(ipmi.CodeRequestLengthInvalid)
	}
	u := b.userByID(data[0] & 0x3F)
	if u == nil {
		return fail(ipmi.CodeInvalidDataField)
	}
	out := make([]byte, userNameSize)
	copy(out, u.name)
	return ok(out...)
}

// setUserPassword serves Set User Password: disable, enable, set or test
// a 16- or 20-byte password.
func (b *BMC) setUserPassword(s *SessionInfo, data []byte) *ipmi.Response {
	if len(data) < 2 {
		return fail(ipmi.CodeRequestLengthInvalid)
	}
	u := b.userByID(data[0] & 0x3F)
	if u == nil {
		return fail(ipmi.CodeInvalidDataField)
	}
	size := 16
	if data[0]&0x80 != 0 {
		size = 20
	}
	op := data[1] & 0x03
	switch op {
	case 0:
		if len(data) != 2 {
			return fail(ipmi.CodeRequestLengthInvalid)
		}
		u.enabled = false
		return ok()
	case 1:
		if len(data) != 2 {
			return fail(ipmi.CodeRequestLengthInvalid)
		}
		u.enabled = true
		return ok()
	}
	if len(data) != 2+size {
		return fail(ipmi.CodeRequestLengthInvalid)
	}
	pw := data[2:]
	if op == 2 {
		if i := bytes.IndexByte(pw, 0); i >= 0 {
			pw = pw[:i]
		}
		u.password = append([]byte(nil), pw...)
		return ok()
	}
	// Test: a password stored with more than 16 bytes cannot match a
	// 16-byte test (0x81), otherwise compare the zero-padded forms.
	if size == 16 && len(u.password) > 16 {
		return fail(0x81)
	}
	want := make([]byte, size)
	copy(want, u.password)
	if !bytes.Equal(want, pw) {
		return fail(0x80)
	}
	return ok()
}

func (b *BMC) setUserPayloadAccess(s *SessionInfo, data []byte) *ipmi.Response {
	if len(data) != 6 {
		return fail(ipmi.CodeRequestLengthInvalid)
	}
	u := b.userByID(data[1] & 0x3F)
	if u == nil {
		return fail(ipmi.CodeInvalidDataField)
	}
	if data[2]&0x02 != 0 { // SOL is standard payload 1
		u.solAllowed = data[1]&0xC0 == 0 // 00 enable, 01 disable
	}
	return ok()
}

func (b *BMC) getUserPayloadAccess(s *SessionInfo, data []byte) *ipmi.Response {
	if len(data) != 2 {
		return fail(ipmi.CodeRequestLengthInvalid)
	}
	u := b.userByID(data[1] & 0x3F)
	if u == nil {
		return fail(ipmi.CodeInvalidDataField)
	}
	var std uint8
	if u.solAllowed {
		std = 0x02
	}
	return ok(std, 0, 0, 0)
}
