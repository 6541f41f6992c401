package bmcsim

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"time"

	"github.com/ipmictl/ipmictl/ipmi"
)

const maxSessionSlots = 63

// Errors from OpenSession.
var (
	ErrNoSessionSlots = errors.New("bmcsim: no free session slot")
	ErrSessionClosed  = errors.New("bmcsim: session closed")
	ErrNoSuchUser     = errors.New("bmcsim: no such user, or user disabled")
	ErrPrivilege      = errors.New("bmcsim: privilege level not permitted for user")
)

type session struct {
	id       uint32
	handle   uint8
	userID   uint8
	priv     ipmi.Privilege
	maxPriv  ipmi.Privilege
	channel  uint8
	remote   netip.AddrPort
	v20      bool
	lastSeen time.Time
}

type sessionTable struct {
	slots      []*session // nil = free
	nextHandle uint8
	idle       time.Duration
	exhausted  bool // fault: refuse every new session
}

func newSessionTable(n int) sessionTable {
	return sessionTable{slots: make([]*session, n), idle: 60 * time.Second}
}

func (t *sessionTable) active() int {
	n := 0
	for _, s := range t.slots {
		if s != nil {
			n++
		}
	}
	return n
}

func (t *sessionTable) expire(now time.Time) {
	for i, s := range t.slots {
		if s != nil && now.Sub(s.lastSeen) > t.idle {
			t.slots[i] = nil
		}
	}
}

func (t *sessionTable) find(id uint32) *session {
	for _, s := range t.slots {
		if s != nil && s.id == id {
			return s
		}
	}
	return nil
}

// touch returns the live session id and records activity.
func (t *sessionTable) touch(id uint32, now time.Time) *session {
	t.expire(now)
	s := t.find(id)
	if s != nil {
		s.lastSeen = now
	}
	return s
}

func (t *sessionTable) dropAll() { clear(t.slots) }

// SessionRequest describes a session a LAN server (or Transport) opens.
type SessionRequest struct {
	ID      uint32 // wanted session ID; 0 = choose one
	UserID  uint8
	Priv    ipmi.Privilege // initial privilege; 0 = USER (IPMI 1.5 rule)
	MaxPriv ipmi.Privilege // already limited to the user's channel limit
	Remote  netip.AddrPort
	IPMI20  bool
}

// OpenSession takes a session slot and returns the new session's BMC-side
// ID. It fails with ErrNoSessionSlots when all slots are taken (or the
// exhausted-slots fault is on).
func (b *BMC) OpenSession(r SessionRequest) (uint32, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	t := &b.sessions
	now := b.now()
	t.expire(now)
	u := b.userByID(r.UserID)
	if u == nil || !u.enabled {
		return 0, ErrNoSuchUser
	}
	free := -1
	for i, s := range t.slots {
		if s == nil {
			free = i
			break
		}
	}
	if free < 0 || t.exhausted {
		return 0, ErrNoSessionSlots
	}
	if u.sessLimit > 0 {
		n := 0
		for _, s := range t.slots {
			if s != nil && s.userID == r.UserID {
				n++
			}
		}
		if n >= int(u.sessLimit) {
			return 0, ErrNoSessionSlots // the user's own session limit
		}
	}
	id := r.ID
	if id != 0 && t.find(id) != nil {
		return 0, fmt.Errorf("bmcsim: session ID 0x%08x in use", id)
	}
	for id == 0 || t.find(id) != nil {
		id = b.rng.Uint32()
	}
	t.nextHandle++
	if t.nextHandle == 0 || t.nextHandle > 0xFD {
		t.nextHandle = 1
	}
	priv := min(ipmi.PrivilegeUser, r.MaxPriv) // sessions start at USER
	if r.Priv != 0 {
		priv = min(r.Priv, r.MaxPriv)
	}
	t.slots[free] = &session{
		id: id, handle: t.nextHandle, userID: r.UserID, priv: priv, maxPriv: r.MaxPriv,
		channel: lanChannel, remote: r.Remote, v20: r.IPMI20, lastSeen: now,
	}
	return id, nil
}

// sessionSlotFree reports whether OpenSession would find a slot.
func (b *BMC) sessionSlotFree() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	t := &b.sessions
	t.expire(b.now())
	return !t.exhausted && t.active() < len(t.slots)
}

// CloseSession frees the slot of session id (no-op if it is gone).
func (b *BMC) CloseSession(id uint32) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for i, s := range b.sessions.slots {
		if s != nil && s.id == id {
			b.sessions.slots[i] = nil
		}
	}
}

// SessionActive reports whether session id is still open (it may have
// timed out, been closed, or been dropped by a reboot). Asking is not
// activity: it does not restart the session's idle timer.
func (b *BMC) SessionActive(id uint32) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	t := &b.sessions
	t.expire(b.now())
	return t.find(id) != nil
}

// TouchSession records traffic on session id (an authenticated packet
// from its console), restarting its idle timer and no other session's.
// It reports false when the session is gone.
func (b *BMC) TouchSession(id uint32) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.sessions.touch(id, b.now()) != nil
}

// ActiveSessions counts open sessions.
func (b *BMC) ActiveSessions() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.sessions.expire(b.now())
	return b.sessions.active()
}

// setSessionPriv changes a session's privilege (in-process Transport).
func (b *BMC) setSessionPriv(id uint32, p ipmi.Privilege) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.sessions.find(id)
	if s == nil {
		return ErrSessionClosed
	}
	if p > s.maxPriv {
		return ErrPrivilege
	}
	s.priv = p
	return nil
}

func (b *BMC) setSessionPrivilege(s *SessionInfo, data []byte) *ipmi.Response {
	if len(data) != 1 {
		return fail(ipmi.CodeRequestLengthInvalid)
	}
	sess := b.sessions.find(s.ID)
	if sess == nil {
		return fail(ipmi.CodeInvalidDataField)
	}
	p := ipmi.Privilege(data[0] & 0x0F)
	switch {
	case p == 0:
	case p < ipmi.PrivilegeUser || p > ipmi.PrivilegeOEM:
		return fail(0x80) // requested level not available for this user
	case p > sess.maxPriv:
		return fail(0x81) // exceeds user or channel limit
	default:
		sess.priv = p
	}
	return ok(uint8(sess.priv))
}

func (b *BMC) closeSession(s *SessionInfo, data []byte) *ipmi.Response {
	if len(data) != 4 && len(data) != 5 {
		return fail(ipmi.CodeRequestLengthInvalid)
	}
	id := binary.LittleEndian.Uint32(data)
	var target int = -1
	for i, x := range b.sessions.slots {
		if x == nil {
			continue
		}
		if (id != 0 && x.id == id) || (id == 0 && len(data) == 5 && x.handle == data[4]) {
			target = i
		}
	}
	if target < 0 {
		if id == 0 {
			return fail(0x88) // invalid session handle
		}
		return fail(0x87) // invalid session ID
	}
	if b.sessions.slots[target].id != s.ID && s.Privilege < ipmi.PrivilegeAdmin {
		return fail(ipmi.CodeInsufficientPrivilege)
	}
	b.sessions.slots[target] = nil
	return ok()
}

func (b *BMC) getSessionInfo(s *SessionInfo, data []byte) *ipmi.Response {
	if len(data) < 1 {
		return fail(ipmi.CodeRequestLengthInvalid)
	}
	t := &b.sessions
	var found *session
	switch idx := data[0]; {
	case idx == 0:
		if len(data) != 1 {
			return fail(ipmi.CodeRequestLengthInvalid)
		}
		found = t.find(s.ID)
	case idx == 0xFE:
		if len(data) != 2 {
			return fail(ipmi.CodeRequestLengthInvalid)
		}
		for _, x := range t.slots {
			if x != nil && x.handle == data[1] {
				found = x
			}
		}
	case idx == 0xFF:
		if len(data) != 5 {
			return fail(ipmi.CodeRequestLengthInvalid)
		}
		found = t.find(binary.LittleEndian.Uint32(data[1:]))
	case idx <= maxSessionSlots:
		if len(data) != 1 {
			return fail(ipmi.CodeRequestLengthInvalid)
		}
		n := 0
		for _, x := range t.slots {
			if x != nil {
				n++
				if n == int(idx) {
					found = x
					break
				}
			}
		}
	default:
		return fail(ipmi.CodeInvalidDataField)
	}
	head := []byte{0, uint8(len(t.slots)), uint8(t.active())}
	if found == nil {
		return ok(head...)
	}
	head[0] = found.handle
	proto := uint8(0x00)
	if found.v20 {
		proto = 0x10
	}
	out := append(head, found.userID, uint8(found.priv), proto|found.channel&0x0F)
	ip := found.remote.Addr().Unmap()
	var ip4 [4]byte
	if ip.Is4() {
		ip4 = ip.As4()
	}
	out = append(out, ip4[:]...)
	out = append(out, 0, 0, 0, 0, 0, 0) // remote MAC: unknown on loopback
	port := found.remote.Port()
	out = append(out, byte(port), byte(port>>8))
	return ok(out...)
}
