package rmcp

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"encoding/binary"
	"net/netip"
	"time"

	"github.com/ipmictl/ipmictl/ipmi"
)

// challenge15 is an IPMI 1.5 Get Session Challenge waiting for its
// Activate Session, keyed by the temporary session ID.
type challenge15 struct {
	created   time.Time
	remote    netip.AddrPort
	authType  uint8
	user      ServerUser
	password  [16]byte
	challenge [16]byte
}

// handle15 serves an IPMI 1.5 packet: pre-session requests (session ID
// 0), Activate Session (a temporary ID), or a session's requests.
func (s *Server) handle15(pkt, rest []byte, from netip.AddrPort, fate PacketFate) {
	h, msg, err := parseSession15(rest)
	if err != nil {
		s.drop("IPMI 1.5 header", err)
		return
	}
	if h.ID == 0 {
		s.preSession15(h, msg, from, fate)
		return
	}
	if c := s.challenges[h.ID]; c != nil {
		s.activate15(c, h.ID, pkt, from, fate)
		return
	}
	ss := s.sessions[h.ID]
	if ss == nil || ss.v20 {
		s.drop("IPMI 1.5 session", errDropSession)
		return
	}
	if !s.backend.SessionActive(h.ID) {
		delete(s.sessions, h.ID)
		s.drop("IPMI 1.5 session", errDropSession)
		return
	}
	if _, msg, err = ss.in.open15(pkt); err != nil {
		s.drop("IPMI 1.5 session", err)
		return
	}
	if !s.backend.TouchSession(h.ID) {
		delete(s.sessions, h.ID)
		s.drop("IPMI 1.5 session", errDropSession)
		return
	}
	ss.remote = from
	s.sessionRequest(ss, msg, fate)
}

// reply15 sends msg outside a session (auth type NONE, ID 0, seq 0).
func (s *Server) reply15(to netip.AddrPort, msg []byte, fate PacketFate) {
	hc := halfConn{v15: true}
	s.transmit(to, hc.seal15(nil, msg), fate, -1)
}

func (s *Server) preSession15(h session15Header, payload []byte, from netip.AddrPort, fate PacketFate) {
	if h.AuthType != AuthTypeNone {
		s.drop("IPMI 1.5 pre-session", errDropIntegrity)
		return
	}
	m, err := parseRequestMsg(payload)
	if err != nil {
		s.drop("IPMI 1.5 pre-session", err)
		return
	}
	if m.NetFn == uint8(ipmi.NetFnApp) && m.Cmd == ipmi.CmdGetSessionChallenge {
		rm := responseMsg(m, s.sessionChallenge(m.Body, from))
		s.reply15(from, rm.append(nil), fate)
		return
	}
	rm, _, _ := s.serve(0, m)
	s.reply15(from, rm.append(nil), fate)
}

// sessionChallenge answers Get Session Challenge: auth type, user name.
func (s *Server) sessionChallenge(data []byte, from netip.AddrPort) *ipmi.Response {
	if len(data) != 17 {
		return &ipmi.Response{Code: ipmi.CodeRequestLengthInvalid}
	}
	at := data[0] & 0x0F
	if at != AuthTypeMD5 && at != AuthTypePassword && at != AuthTypeMD2 && at != AuthTypeNone {
		return &ipmi.Response{Code: ipmi.CodeInvalidDataField}
	}
	enabled := false
	for p := ipmi.PrivilegeCallback; p <= ipmi.PrivilegeOEM; p++ {
		enabled = enabled || s.backend.AuthTypeEnabled(at, p)
	}
	if !enabled {
		return &ipmi.Response{Code: ipmi.CodeInvalidDataField}
	}
	name := bytes.TrimRight(data[1:17], "\x00")
	user, found := s.backend.LookupUser(name)
	if !found || len(user.Password) > 16 {
		if len(name) == 0 {
			return &ipmi.Response{Code: 0x82} // null user name not enabled
		}
		return &ipmi.Response{Code: 0x81} // invalid user name
	}
	if len(s.challenges) >= maxPendingHandshakes {
		s.sweep(time.Now())
		if len(s.challenges) >= maxPendingHandshakes {
			return &ipmi.Response{Code: ipmi.CodeNodeBusy}
		}
	}
	c := &challenge15{created: time.Now(), remote: from, authType: at, user: user}
	copy(c.password[:], user.Password)
	rand.Read(c.challenge[:])
	id := s.newSessionID()
	s.challenges[id] = c
	out := binary.LittleEndian.AppendUint32(nil, id)
	return &ipmi.Response{Code: ipmi.CodeOK, Data: append(out, c.challenge[:]...)}
}

// activate15 checks Activate Session (sent with the temporary ID and the
// auth code of the chosen type) and opens the session.
func (s *Server) activate15(c *challenge15, tempID uint32, pkt []byte, from netip.AddrPort, fate PacketFate) {
	check := halfConn{v15: true, authType: c.authType, password: c.password, id: tempID}
	h, payload, err := check.open15(pkt)
	if err != nil || h.AuthType != c.authType || from != c.remote {
		if err == nil {
			err = errDropIntegrity
		}
		s.drop("Activate Session", err)
		return
	}
	m, err := parseRequestMsg(payload)
	if err != nil || m.NetFn != uint8(ipmi.NetFnApp) || m.Cmd != ipmi.CmdActivateSession {
		s.drop("Activate Session", err)
		return
	}
	delete(s.challenges, tempID)
	// The answer carries the temporary ID; a successful one is numbered
	// as the first packet of the session (FreeIPMI takes its sequence
	// number as the start of the window).
	var firstSeq uint32
	reply := func(rsp *ipmi.Response, authType uint8) {
		out := halfConn{v15: true, authType: authType, password: c.password, id: tempID}
		if firstSeq != 0 {
			out.active, out.seq = true, firstSeq-1
		}
		rm := responseMsg(m, rsp)
		s.transmit(from, out.seal15(nil, rm.append(nil)), fate, -1)
	}
	d := m.Body
	if len(d) != 22 {
		reply(&ipmi.Response{Code: ipmi.CodeRequestLengthInvalid}, c.authType)
		return
	}
	at, priv := d[0]&0x0F, ipmi.Privilege(d[1]&0x0F)
	if !hmac.Equal(d[2:18], c.challenge[:]) || at != c.authType {
		reply(&ipmi.Response{Code: ipmi.CodeInvalidDataField}, c.authType)
		return
	}
	if priv < ipmi.PrivilegeCallback || priv > ipmi.PrivilegeOEM || priv > c.user.PrivLimit || !s.backend.AuthTypeEnabled(at, priv) {
		reply(&ipmi.Response{Code: 0x86}, c.authType) // exceeds user or channel limit
		return
	}
	id := s.newSessionID()
	err = s.backend.OpenSession(ServerSession{
		ID: id, UserID: c.user.ID, MaxPriv: priv, Priv: min(priv, ipmi.PrivilegeUser), Remote: from,
	})
	if err != nil {
		reply(&ipmi.Response{Code: 0x81}, c.authType) // no session slot available
		return
	}
	// The console numbers its packets from our initial inbound sequence
	// number; ours start at the initial outbound number it asked for.
	var seqb [4]byte
	rand.Read(seqb[:])
	inSeq := binary.LittleEndian.Uint32(seqb[:])&0x7FFFFFFF | 1
	outSeq := binary.LittleEndian.Uint32(d[18:22])
	ss := &serverSession{
		id: id, remote: from,
		in:  halfConn{v15: true, authType: at, password: c.password, id: id, active: true},
		out: halfConn{v15: true, authType: at, password: c.password, id: id, active: true, seq: max(outSeq, 1)},
	}
	firstSeq = max(outSeq, 1)
	s.sessions[id] = ss
	s.opened.Add(1)
	data := []byte{at}
	data = binary.LittleEndian.AppendUint32(data, id)
	data = binary.LittleEndian.AppendUint32(data, inSeq)
	data = append(data, uint8(priv))
	reply(&ipmi.Response{Code: ipmi.CodeOK, Data: data}, at)
	s.logf("rmcp server: IPMI 1.5 session 0x%08x open for user %d (auth type %d)", id, c.user.ID, at)
}
