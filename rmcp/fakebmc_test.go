package rmcp

import (
	"bytes"
	"crypto/rand"
	"math/big"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/ipmi"
)

// fakeBMC is a minimal RMCP+ responder for unit tests (the real server
// side lives in server*.go). It answers pre-session requests in IPMI 1.5
// framing, runs RAKP for any supported suite, and answers IPMI requests:
// cmd 0x01 (App) echoes the request data after a random delay, so
// responses come back out of order; Send Message is bridged to a fake
// controller at 0x72.
type fakeBMC struct {
	t      testing.TB
	conn   *net.UDPConn
	user   string
	pw     []byte
	suites []uint8 // offered

	mu       sync.Mutex
	out, in  *halfConn
	p        rakpParams
	auth     *authAlg
	suite    cipherSuite
	priv     ipmi.Privilege
	requests atomic.Int64
	packets  atomic.Int64

	dropNext  atomic.Int32 // drop this many inbound IPMI requests
	tamper    atomic.Bool  // corrupt the next response's auth code
	replay    atomic.Bool  // send the next response twice
	splitBrdg atomic.Bool  // bridged answers in a separate packet
	closed    atomic.Bool
	refuse    map[uint8]bool // advertised, but Open Session says "invalid algorithm"
	noList    bool           // ignore pre-session requests
	noDelay   atomic.Bool    // answer at once (benchmarks)
	silent    atomic.Bool    // drop an Open Session for a suite not offered instead of refusing it
	proposals []uint8        // suites proposed in Open Session, in order (under mu)
}

func startFakeBMC(t testing.TB, suites ...uint8) *fakeBMC {
	t.Helper()
	return startFakeBMCOn(t, net.IPv4(127, 0, 0, 1), nil, false, suites...)
}

func startFakeBMCOn(t testing.TB, ip net.IP, refuse map[uint8]bool, noList bool, suites ...uint8) *fakeBMC {
	t.Helper()
	c, err := net.ListenUDP("udp", &net.UDPAddr{IP: ip})
	if err != nil {
		t.Fatal(err)
	}
	if len(suites) == 0 {
		suites = []uint8{3, 17}
	}
	b := &fakeBMC{t: t, conn: c, user: "admin", pw: []byte("secret"), suites: suites, refuse: refuse, noList: noList}
	go b.serve()
	t.Cleanup(func() { b.closed.Store(true); c.Close() })
	return b
}

func (b *fakeBMC) addr() string { return b.conn.LocalAddr().String() }

func (b *fakeBMC) config() *Config {
	cfg := NewConfig(b.addr())
	cfg.Username, cfg.Password = b.user, b.pw
	cfg.Timeout = 200 * time.Millisecond
	return cfg
}

func (b *fakeBMC) serve() {
	buf := make([]byte, 2048)
	for {
		n, from, err := b.conn.ReadFromUDP(buf)
		if err != nil {
			return
		}
		b.packets.Add(1)
		pkt := append([]byte(nil), buf[:n]...)
		b.handle(pkt, from)
	}
}

func (b *fakeBMC) send(to *net.UDPAddr, pkt []byte) { b.conn.WriteToUDP(pkt, to) }

func (b *fakeBMC) handle(pkt []byte, from *net.UDPAddr) {
	rh, rest, err := parseRMCPHeader(pkt)
	if err != nil || len(rest) < 1 {
		return
	}
	if rh.Class == ClassASF {
		if m, err := parseASF(pkt); err == nil && m.Type == asfTypePing {
			b.send(from, appendPong(nil, m.Tag, &Pong{IANA: asfIANA, SupportedEntities: 0x81, Interactions: 0x80}))
		}
		return
	}
	if rest[0] != authTypeRMCPPlus {
		b.preSession(pkt, from)
		return
	}
	_, _, _, err = parseSession20(rest)
	if err != nil {
		return
	}
	h, payload, _, _ := parseSession20(rest)
	switch h.PayloadType {
	case payloadOpenSessReq:
		b.openSession(payload, from)
	case payloadRAKP1:
		b.rakp1(payload, from)
	case payloadRAKP3:
		b.rakp3(payload, from)
	case PayloadIPMI, PayloadSOL:
		b.mu.Lock()
		in := b.in
		var err error
		var body []byte
		if in != nil {
			h, body, err = in.open20(pkt)
		}
		b.mu.Unlock()
		if in == nil || err != nil {
			return
		}
		body = append([]byte(nil), body...)
		if h.PayloadType == PayloadSOL {
			b.reply(from, PayloadSOL, append([]byte("echo:"), body...))
			return
		}
		if b.dropNext.Load() > 0 {
			b.dropNext.Add(-1)
			return
		}
		b.requests.Add(1)
		go b.ipmi(body, from)
	}
}

// preSession answers Get Channel Cipher Suites in IPMI 1.5 framing.
func (b *fakeBMC) preSession(pkt []byte, from *net.UDPAddr) {
	if b.noList {
		return
	}
	pre := &halfConn{v15: true}
	_, msg, err := pre.open15(pkt)
	if err != nil {
		return
	}
	m, err := parseLANMsg(msg)
	if err != nil {
		return
	}
	body := []byte{0xC1}
	if m.Cmd == ipmi.CmdGetChannelCipherSuites && len(m.Body) == 3 {
		var recs []byte
		for _, id := range b.suites {
			cs := cipherSuites[id]
			recs = append(recs, 0xC0, id, cs.Auth, 0x40|cs.Integrity, 0x80|cs.Crypto)
		}
		idx := int(m.Body[2]&0x3F) * 16
		chunk := []byte{}
		if idx < len(recs) {
			chunk = recs[idx:min(idx+16, len(recs))]
		}
		body = append([]byte{0x00, 0x01}, chunk...)
	}
	r := lanMsg{DstAddr: m.SrcAddr, NetFn: m.NetFn | 1, SrcAddr: m.DstAddr, Seq: m.Seq, Cmd: m.Cmd, Body: body}
	b.send(from, pre.seal15(nil, r.append(nil)))
}

func (b *fakeBMC) setup(from *net.UDPAddr, pt uint8, payload []byte) {
	pkt, _ := (&halfConn{}).seal20(nil, pt, payload, rand.Reader)
	b.send(from, pkt)
}

func (b *fakeBMC) openSession(payload []byte, from *net.UDPAddr) {
	req, err := parseOpenSessionRequest(payload)
	if err != nil {
		return
	}
	rsp := openSessionResponse{Tag: req.Tag, MaxPrivilege: req.MaxPrivilege, ConsoleID: req.ConsoleID, BMCID: 0x0B0B0B0B,
		Auth: req.Auth, Integrity: req.Integrity, Conf: req.Conf}
	found := false
	b.mu.Lock()
	for id, cs := range cipherSuites {
		if cs.Auth == req.Auth && cs.Integrity == req.Integrity && cs.Crypto == req.Conf {
			b.proposals = append(b.proposals, id)
		}
	}
	b.mu.Unlock()
	for _, id := range b.suites {
		cs := cipherSuites[id]
		if cs.Auth == req.Auth && cs.Integrity == req.Integrity && cs.Crypto == req.Conf && !b.refuse[id] {
			b.mu.Lock()
			b.suite, found = cs, true
			b.mu.Unlock()
		}
	}
	if !found {
		if b.silent.Load() {
			return
		}
		rsp.Status = 0x04
	}
	b.mu.Lock()
	b.p = rakpParams{ConsoleID: req.ConsoleID, BMCID: rsp.BMCID}
	b.mu.Unlock()
	b.setup(from, payloadOpenSessResp, rsp.append(nil))
}

func (b *fakeBMC) rakp1(payload []byte, from *net.UDPAddr) {
	m, err := parseRAKP1(payload)
	if err != nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	r2 := rakp2{Tag: m.Tag, ConsoleID: b.p.ConsoleID}
	if string(m.User) != b.user {
		r2.Status = 0x0D
	} else {
		b.auth = authAlgs[b.suite.Auth]
		b.p.ConsoleRand, b.p.Role, b.p.User = m.ConsoleRand, m.Role, append([]byte(nil), m.User...)
		rand.Read(b.p.BMCRand[:])
		copy(b.p.BMCGUID[:], "fake-bmc-guid-16")
		r2.BMCRand, r2.BMCGUID = b.p.BMCRand, b.p.BMCGUID
		r2.AuthCode = b.p.rakp2AuthCode(b.auth, b.pw)
	}
	b.setup(from, payloadRAKP2, r2.append(nil))
}

func (b *fakeBMC) rakp3(payload []byte, from *net.UDPAddr) {
	m, err := parseRAKP3(payload)
	if err != nil || m.Status != 0 {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	r4 := rakp4{Tag: m.Tag, ConsoleID: b.p.ConsoleID}
	if !bytes.Equal(m.AuthCode, b.p.rakp3AuthCode(b.auth, b.pw)) {
		r4.Status = 0x0F
		b.setup(from, payloadRAKP4, r4.append(nil))
		return
	}
	sik := b.p.sik(b.auth, b.pw)
	r4.ICV = b.p.rakp4ICV(b.auth, sik)
	integ, conf := integrityAlgs[b.suite.Integrity], confAlgs[b.suite.Crypto]
	b.out = &halfConn{id: b.p.ConsoleID, active: true, integ: integ}
	b.in = &halfConn{id: b.p.BMCID, active: true, integ: integ}
	if integ.New != nil {
		k1 := deriveK(b.auth, sik, 1)
		b.out.mac, b.in.mac = integ.New(k1, b.pw), integ.New(k1, b.pw)
	}
	if conf.New != nil {
		k2 := deriveK(b.auth, sik, 2)
		b.out.cipher, _ = conf.New(k2)
		b.in.cipher, _ = conf.New(k2)
	}
	b.priv = ipmi.PrivilegeUser
	b.setup(from, payloadRAKP4, r4.append(nil))
}

// reply seals payload with the session keys and sends it.
func (b *fakeBMC) reply(to *net.UDPAddr, pt uint8, payload []byte) {
	b.mu.Lock()
	pkt, err := b.out.seal20(nil, pt, payload, rand.Reader)
	b.mu.Unlock()
	if err != nil {
		return
	}
	if b.tamper.CompareAndSwap(true, false) {
		pkt[len(pkt)-1] ^= 0xFF
	}
	b.send(to, pkt)
	if b.replay.CompareAndSwap(true, false) {
		b.send(to, pkt)
	}
}

func (b *fakeBMC) ipmi(body []byte, from *net.UDPAddr) {
	m, err := parseLANMsg(body)
	if err != nil {
		return
	}
	respond := func(m lanMsg, data []byte) []byte {
		r := lanMsg{DstAddr: m.SrcAddr, NetFn: m.NetFn | 1, DstLUN: m.SrcLUN, SrcAddr: m.DstAddr, Seq: m.Seq, Cmd: m.Cmd, Body: data}
		return r.append(nil)
	}
	if !b.noDelay.Load() {
		n, _ := rand.Int(rand.Reader, big.NewInt(3000))
		time.Sleep(time.Duration(n.Int64()) * time.Microsecond)
	}
	var data []byte
	switch {
	case m.NetFn == uint8(ipmi.NetFnApp) && m.Cmd == 0x01:
		data = append([]byte{0}, m.Body...)
	case m.NetFn == uint8(ipmi.NetFnApp) && m.Cmd == ipmi.CmdSetSessionPrivilege:
		b.mu.Lock()
		b.priv = ipmi.Privilege(m.Body[0])
		b.mu.Unlock()
		data = []byte{0, m.Body[0]}
	case m.NetFn == uint8(ipmi.NetFnApp) && m.Cmd == ipmi.CmdCloseSession:
		data = []byte{0}
	case m.NetFn == uint8(ipmi.NetFnChassis) && m.Cmd == 0x02: // needs Operator
		b.mu.Lock()
		p := b.priv
		b.mu.Unlock()
		data = []byte{0}
		if p < ipmi.PrivilegeOperator {
			data = []byte{uint8(ipmi.CodeInsufficientPrivilege)}
		}
	case m.NetFn == uint8(ipmi.NetFnApp) && m.Cmd == cmdSendMessage:
		inner, err := parseLANMsg(m.Body[1:])
		if err == nil && inner.DstAddr == 0x82 && inner.Cmd == cmdSendMessage {
			// Double bridge through a transit controller at 0x82.
			target, err := parseLANMsg(inner.Body[1:])
			if err != nil || target.DstAddr != 0x72 {
				data = []byte{0xCC}
				break
			}
			tr := respond(target, append([]byte{0, 0x72, inner.Body[0]}, target.Body...))
			data = append([]byte{0}, respond(inner, append([]byte{0}, tr...))...)
			break
		}
		if err != nil || inner.DstAddr != 0x72 {
			data = []byte{0xCC}
			break
		}
		innerRsp := respond(inner, append([]byte{0, 0x72, m.Body[0]}, inner.Body...))
		if b.splitBrdg.Load() {
			b.reply(from, PayloadIPMI, respond(m, []byte{0}))
			b.reply(from, PayloadIPMI, innerRsp)
			return
		}
		data = append([]byte{0}, innerRsp...)
	default:
		data = []byte{0xC1}
	}
	b.reply(from, PayloadIPMI, respond(m, data))
}
