package bmcsim

import (
	"io"

	"github.com/ipmictl/ipmictl/ipmi"
)

// solActive reports whether a live session has SOL activated.
func (b *BMC) solActive() bool {
	o := b.channels.solOwner
	return o != 0 && b.sessions.find(o) != nil
}

// ActivateSOL lets session id take the SOL payload: SOL must be enabled,
// the session at or above SOL's privilege, the user allowed the payload
// and no other live session holding it. It returns the host console.
func (b *BMC) ActivateSOL(id uint32) (io.ReadWriter, ipmi.CompletionCode) {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.sessions.touch(id, b.now())
	if s == nil {
		return nil, ipmi.CodeInvalidDataField
	}
	p := b.solParams()
	if p[1][0]&0x01 == 0 {
		return nil, 0x81 // payload type disabled
	}
	if s.priv < ipmi.Privilege(p[2][0]&0x0F) {
		return nil, ipmi.CodeInsufficientPrivilege
	}
	if u := b.userByID(s.userID); u == nil || !u.solAllowed {
		return nil, ipmi.CodeInsufficientPrivilege
	}
	if b.solActive() && b.channels.solOwner != id {
		return nil, 0x80 // payload already active on another session
	}
	b.channels.solOwner = id
	b.sol.Start()
	return b.sol, ipmi.CodeOK
}

// DeactivateSOL releases session id's SOL payload.
func (b *BMC) DeactivateSOL(id uint32) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.channels.solOwner != id || id == 0 {
		return false
	}
	b.channels.solOwner = 0
	return true
}
