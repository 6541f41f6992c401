package rmcp

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"net/netip"
	"slices"
	"time"

	"github.com/ipmictl/ipmictl/ipmi"
)

// serverHandshake is the BMC side of one RMCP+ session setup: Open
// Session, RAKP 1/2, RAKP 3/4, keyed by the BMC session ID it proposed.
type serverHandshake struct {
	created   time.Time
	remote    netip.AddrPort
	tag       uint8
	consoleID uint32
	bmcID     uint32
	suite     cipherSuite
	auth      *authAlg
	integ     *integrityAlg
	conf      *confAlg
	maxPriv   ipmi.Privilege // granted in the Open Session response
	openRsp   []byte         // for a retransmitted Open Session Request

	// After RAKP 1.
	gotRAKP1 bool
	p        rakpParams
	user     ServerUser
	priv     ipmi.Privilege
	limit    ipmi.Privilege
	rakp2    []byte
}

// serverSession is one established session (RMCP+ or IPMI 1.5).
type serverSession struct {
	id     uint32
	v20    bool
	in     halfConn
	out    halfConn
	remote netip.AddrPort
	rakp4  []byte // for a retransmitted RAKP 3
	sol    *serverSOL
}

// sendSetup sends a session-setup or pre-session RMCP+ packet (session
// ID 0, no integrity) and returns an unmodified copy for caching.
func (s *Server) sendSetup(to netip.AddrPort, pt uint8, payload []byte, fate PacketFate) []byte {
	var hc halfConn
	pkt, err := hc.seal20(nil, pt, payload, rand.Reader)
	if err != nil {
		return nil
	}
	s.transmit(to, slices.Clone(pkt), fate, -1)
	return pkt
}

// handle20 serves an RMCP+ packet: setup payloads and pre-session IPMI
// messages under session ID 0, everything else in an established session.
func (s *Server) handle20(pkt, rest []byte, from netip.AddrPort, fate PacketFate) {
	h, payload, _, err := parseSession20(rest)
	if err != nil {
		s.drop("RMCP+ header", err)
		return
	}
	if h.ID == 0 {
		if h.Authenticated || h.Encrypted {
			s.drop("RMCP+ setup", errDropIntegrity)
			return
		}
		switch h.PayloadType {
		case payloadOpenSessReq:
			s.openSession(payload, from, fate)
		case payloadRAKP1:
			s.rakp1(payload, from, fate)
		case payloadRAKP3:
			s.rakp3(payload, from, fate)
		case PayloadIPMI:
			m, err := parseRequestMsg(payload)
			if err != nil {
				s.drop("pre-session IPMI message", err)
				return
			}
			rm, _, _ := s.serve(0, m)
			s.sendSetup(from, PayloadIPMI, rm.append(nil), fate)
		default:
			s.drop("RMCP+ setup", formatErr("RMCP+ payload", 1, "type 0x%02x outside a session", h.PayloadType))
		}
		return
	}
	ss := s.sessions[h.ID]
	if ss == nil || !ss.v20 {
		s.drop("RMCP+ session", errDropSession)
		return
	}
	if !s.backend.SessionActive(h.ID) {
		delete(s.sessions, h.ID)
		s.drop("RMCP+ session", errDropSession)
		return
	}
	h, payload, err = ss.in.open20(pkt)
	if err != nil {
		s.drop("RMCP+ session", err)
		return
	}
	if !s.backend.TouchSession(h.ID) {
		delete(s.sessions, h.ID)
		s.drop("RMCP+ session", errDropSession)
		return
	}
	ss.remote = from
	ss.rakp4 = nil // the console has its keys: RAKP 3 is over
	switch h.PayloadType {
	case PayloadIPMI:
		s.sessionRequest(ss, payload, fate)
	case PayloadSOL:
		s.solInbound(ss, payload, fate)
	default:
		s.drop("RMCP+ session", formatErr("RMCP+ payload", 1, "unsupported payload type 0x%02x", h.PayloadType))
	}
}

// sessionRequest serves one IPMI request inside an established session.
func (s *Server) sessionRequest(ss *serverSession, payload []byte, fate PacketFate) {
	m, err := parseRequestMsg(payload)
	if err != nil {
		s.drop("IPMI message", err)
		return
	}
	var rm lanMsg
	var req *ipmi.Request
	var rsp *ipmi.Response
	if ss.v20 && m.NetFn == uint8(ipmi.NetFnApp) && (m.Cmd == cmdActivatePayload || m.Cmd == cmdDeactivatePayload) {
		rsp = s.solControl(ss, m)
		rm = responseMsg(m, rsp)
		req = &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: m.Cmd}
	} else {
		rm, req, rsp = s.serve(ss.id, m)
	}
	s.sendInSession(ss, PayloadIPMI, rm.append(nil), fate)
	if req.Cmd == cmdActivatePayload && rsp.Code == ipmi.CodeOK {
		s.solPush(ss, fate) // the console's greeting
	}
	if isCloseSession(req, rsp, ss.id) {
		delete(s.sessions, ss.id)
	}
}

// sendInSession seals payload for the console with the session's keys.
func (s *Server) sendInSession(ss *serverSession, pt uint8, payload []byte, fate PacketFate) {
	if ss.v20 {
		pkt, err := ss.out.seal20(nil, pt, payload, rand.Reader)
		if err != nil {
			return
		}
		s.transmit(ss.remote, pkt, fate, -1)
		return
	}
	pkt := ss.out.seal15(nil, payload)
	corruptAt := -1
	if ss.out.authType != AuthTypeNone {
		corruptAt = rmcpHeaderLen + 9 // first auth code byte
	}
	s.transmit(ss.remote, pkt, fate, corruptAt)
}

// findSuite returns the supported, offered suite with exactly these
// algorithms, or the RMCP+ status code explaining why there is none.
func (s *Server) findSuite(auth, integ, conf uint8) (cipherSuite, ipmi.Privilege, uint8) {
	var authKnown, integKnown, confKnown bool
	for id := range 20 {
		cs, known := cipherSuites[uint8(id)]
		if !known || !cs.supported() {
			continue
		}
		lim, offered := s.backend.SuiteMaxPrivilege(cs.ID)
		if !offered {
			continue
		}
		authKnown = authKnown || cs.Auth == auth
		integKnown = integKnown || cs.Integrity == integ
		confKnown = confKnown || cs.Crypto == conf
		if cs.Auth == auth && cs.Integrity == integ && cs.Crypto == conf {
			return cs, lim, 0
		}
	}
	switch {
	case !authKnown:
		return cipherSuite{}, 0, 0x04
	case !integKnown:
		return cipherSuite{}, 0, 0x05
	case !confKnown:
		return cipherSuite{}, 0, 0x10
	}
	return cipherSuite{}, 0, 0x11
}

func (s *Server) openSession(payload []byte, from netip.AddrPort, fate PacketFate) {
	req, err := parseOpenSessionRequest(payload)
	if err != nil {
		s.drop("Open Session Request", err)
		return
	}
	for _, hs := range s.handshakes {
		if hs.remote == from && hs.consoleID == req.ConsoleID && hs.tag == req.Tag && !hs.gotRAKP1 {
			s.transmit(from, slices.Clone(hs.openRsp), fate, -1)
			return
		}
	}
	rsp := openSessionResponse{Tag: req.Tag, ConsoleID: req.ConsoleID}
	reply := func() []byte { return s.sendSetup(from, payloadOpenSessResp, rsp.append(nil), fate) }
	cs, limit, status := s.findSuite(req.Auth, req.Integrity, req.Conf)
	if status != 0 {
		rsp.Status = status
		reply()
		return
	}
	want := ipmi.Privilege(req.MaxPrivilege)
	switch {
	case want > ipmi.PrivilegeOEM:
		rsp.Status = 0x09 // invalid role
		reply()
		return
	case want == 0 || want > limit:
		want = limit
	}
	if len(s.handshakes) >= maxPendingHandshakes {
		s.sweep(time.Now())
	}
	if !s.backend.SessionSlotFree() || len(s.handshakes) >= maxPendingHandshakes {
		rsp.Status = 0x01 // insufficient resources
		reply()
		return
	}
	hs := &serverHandshake{
		created: time.Now(), remote: from, tag: req.Tag, consoleID: req.ConsoleID,
		bmcID: s.newSessionID(), suite: cs, maxPriv: want,
		auth: authAlgs[cs.Auth], integ: integrityAlgs[cs.Integrity], conf: confAlgs[cs.Crypto],
	}
	rsp.MaxPrivilege = uint8(want)
	rsp.BMCID = hs.bmcID
	rsp.Auth, rsp.Integrity, rsp.Conf = cs.Auth, cs.Integrity, cs.Crypto
	hs.openRsp = reply()
	s.handshakes[hs.bmcID] = hs
	s.logf("rmcp server: Open Session from %v: suite %d, BMC session 0x%08x", from, cs.ID, hs.bmcID)
}

func (s *Server) rakp1(payload []byte, from netip.AddrPort, fate PacketFate) {
	m, err := parseRAKP1(payload)
	if err != nil {
		s.drop("RAKP 1", err)
		return
	}
	hs := s.handshakes[m.BMCID]
	if hs == nil || hs.remote != from {
		r := rakp2{Tag: m.Tag, Status: 0x02} // invalid session ID
		s.sendSetup(from, payloadRAKP2, r.append(nil), fate)
		return
	}
	if hs.gotRAKP1 && m.ConsoleRand == hs.p.ConsoleRand && bytes.Equal(m.User, hs.p.User) && m.Role == hs.p.Role {
		s.transmit(from, slices.Clone(hs.rakp2), fate, -1) // our RAKP 2 was lost
		return
	}
	// A first RAKP 1, or a new one (some consoles pick a new Rm when
	// they retry): answer it afresh, RAKP 3 has not come yet.
	hs.gotRAKP1 = false
	fail := func(status uint8) {
		r := rakp2{Tag: m.Tag, Status: status, ConsoleID: hs.consoleID}
		s.sendSetup(from, payloadRAKP2, r.append(nil), fate)
		delete(s.handshakes, hs.bmcID)
	}
	user, found := s.backend.LookupUser(m.User)
	if !found {
		fail(0x0D) // unauthorized name
		return
	}
	limit := min(hs.maxPriv, user.PrivLimit)
	priv := ipmi.Privilege(m.Role & rolePrivMask)
	switch {
	case m.Role&0xE0 != 0 || priv > ipmi.PrivilegeOEM:
		fail(0x09) // invalid role
		return
	case priv == 0:
		priv = limit
	case priv > limit:
		fail(0x0A) // unauthorized role or privilege level
		return
	}
	hs.gotRAKP1 = true
	hs.user, hs.priv, hs.limit = user, priv, limit
	hs.p = rakpParams{
		ConsoleID: hs.consoleID, BMCID: hs.bmcID, ConsoleRand: m.ConsoleRand,
		BMCGUID: s.backend.SystemGUID(), Role: m.Role, User: slices.Clone(m.User),
	}
	rand.Read(hs.p.BMCRand[:])
	r := rakp2{Tag: m.Tag, ConsoleID: hs.consoleID, BMCRand: hs.p.BMCRand, BMCGUID: hs.p.BMCGUID,
		AuthCode: hs.p.rakp2AuthCode(hs.auth, user.Password)}
	hs.rakp2 = s.sendSetup(from, payloadRAKP2, r.append(nil), fate)
}

func (s *Server) rakp3(payload []byte, from netip.AddrPort, fate PacketFate) {
	m, err := parseRAKP3(payload)
	if err != nil {
		s.drop("RAKP 3", err)
		return
	}
	if ss := s.sessions[m.BMCID]; ss != nil && ss.rakp4 != nil && ss.remote == from {
		s.transmit(from, slices.Clone(ss.rakp4), fate, -1)
		return
	}
	hs := s.handshakes[m.BMCID]
	if hs == nil || hs.remote != from || !hs.gotRAKP1 {
		r := rakp4{Tag: m.Tag, Status: 0x02}
		s.sendSetup(from, payloadRAKP4, r.append(nil), fate)
		return
	}
	delete(s.handshakes, hs.bmcID)
	if m.Status != 0 {
		return // the console gave up (e.g. RAKP 2 did not verify)
	}
	fail := func(status uint8) {
		r := rakp4{Tag: m.Tag, Status: status, ConsoleID: hs.consoleID}
		s.sendSetup(from, payloadRAKP4, r.append(nil), fate)
	}
	want := hs.p.rakp3AuthCode(hs.auth, hs.user.Password)
	if want != nil && !hmac.Equal(m.AuthCode, want) {
		s.badIntegrity.Add(1)
		fail(0x0F) // invalid integrity check value
		return
	}
	err = s.backend.OpenSession(ServerSession{
		ID: hs.bmcID, UserID: hs.user.ID, MaxPriv: hs.limit, Priv: hs.priv, Remote: from, IPMI20: true,
	})
	if err != nil {
		fail(0x01) // insufficient resources
		return
	}
	pw := hs.user.Password
	sik := hs.p.sik(hs.auth, pw) // no K_g: the password keys the SIK
	in := halfConn{id: hs.bmcID, active: true, integ: hs.integ}
	out := halfConn{id: hs.consoleID, active: true, integ: hs.integ}
	if hs.integ.New != nil {
		k1 := deriveK(hs.auth, sik, 1)
		in.mac, out.mac = hs.integ.New(k1, pw), hs.integ.New(k1, pw)
	}
	if hs.conf.New != nil {
		k2 := deriveK(hs.auth, sik, 2)
		if in.cipher, err = hs.conf.New(k2); err == nil {
			out.cipher, err = hs.conf.New(k2)
		}
		if err != nil {
			s.backend.CloseSession(hs.bmcID)
			fail(0x01)
			return
		}
	}
	ss := &serverSession{id: hs.bmcID, v20: true, in: in, out: out, remote: from}
	r := rakp4{Tag: m.Tag, ConsoleID: hs.consoleID, ICV: hs.p.rakp4ICV(hs.auth, sik)}
	ss.rakp4 = s.sendSetup(from, payloadRAKP4, r.append(nil), fate)
	s.sessions[hs.bmcID] = ss
	s.opened.Add(1)
	s.logf("rmcp server: session 0x%08x open for user %d at %s (suite %d)", hs.bmcID, hs.user.ID, hs.priv, hs.suite.ID)
}
