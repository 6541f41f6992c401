package rmcp

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"math/rand"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/internal/udpproxy"
	"github.com/ipmictl/ipmictl/ipmi"
)

// Rogue BMCs and relays: a relay in front of the in-process server
// rewrites what a BMC that does not know the password, or an attacker on
// the path, could send. None of them may get the password in clear text,
// a session without authentication, or a suite without integrity that
// nobody asked for.

// rogueRelay is a udpproxy in front of a fresh test server whose answers
// pass through rewrite (nil: unchanged), recording what the client sent.
type rogueRelay struct {
	p    *udpproxy.Proxy
	mu   sync.Mutex
	sent [][]byte
}

func startRogueRelay(t *testing.T, rewrite func(b []byte) []byte) *rogueRelay {
	t.Helper()
	srv := startTestServer(t)
	p, err := udpproxy.New("127.0.0.1:0", srv.Addr().String(), 1)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	r := &rogueRelay{p: p}
	p.SetFaults(udpproxy.ToServer, udpproxy.Faults{Observe: func(_ udpproxy.Direction, b []byte) {
		r.mu.Lock()
		r.sent = append(r.sent, append([]byte(nil), b...))
		r.mu.Unlock()
	}})
	p.SetFaults(udpproxy.ToClient, udpproxy.Faults{Tamper: func(_ udpproxy.Direction, b []byte) []byte { return rewrite(b) }})
	return r
}

func (r *rogueRelay) config(v Version) *Config {
	cfg := NewConfig(r.p.Addr().String())
	cfg.Version, cfg.Username, cfg.Password = v, "admin", []byte("password")
	cfg.Timeout, cfg.Retries = 100*time.Millisecond, 1
	return cfg
}

func (r *rogueRelay) requests() [][]byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([][]byte(nil), r.sent...)
}

// v15Msg decodes an IPMI 1.5 packet: its session header and message.
func v15Msg(b []byte) (session15Header, lanMsg, bool) {
	_, rest, err := parseRMCPHeader(b)
	if err != nil || len(rest) == 0 || rest[0] == authTypeRMCPPlus {
		return session15Header{}, lanMsg{}, false
	}
	h, msg, err := parseSession15(rest)
	if err != nil {
		return h, lanMsg{}, false
	}
	m, err := parseLANMsg(msg)
	return h, m, err == nil
}

// reframe15 re-sends m in an IPMI 1.5 packet with auth type NONE (a
// rogue cannot compute an auth code without the password).
func reframe15(h session15Header, m lanMsg) []byte {
	out := halfConn{v15: true, id: h.ID}
	pkt := out.seal15(nil, m.append(nil))
	binary.LittleEndian.PutUint32(pkt[5:], h.Seq) // keep the BMC's sequence number
	return pkt
}

// noCleartextPassword fails if any datagram the client sent carries the
// password or uses auth type PASSWORD.
func noCleartextPassword(t *testing.T, sent [][]byte, pw string) {
	t.Helper()
	for _, b := range sent {
		if bytes.Contains(b, []byte(pw)) {
			t.Errorf("the client sent the password in clear text: % x", b)
		}
		if h, _, ok := v15Msg(b); ok && h.AuthType == AuthTypePassword {
			t.Errorf("the client sent an auth type PASSWORD packet")
		}
	}
}

// Auth caps offering only PASSWORD (and NONE): Dial refuses to choose it.
func TestRogueAuthCapsOnlyPassword(t *testing.T) {
	r := startRogueRelay(t, func(b []byte) []byte {
		h, m, ok := v15Msg(b)
		if !ok || m.Cmd != ipmi.CmdGetChannelAuthCapabilities || len(m.Body) < 9 {
			return nil
		}
		m.Body[2] = 0x80 | ipmi.AuthTypeBitPassword | ipmi.AuthTypeBitNone
		return reframe15(h, m)
	})
	cfg := r.config(V15)
	cfg.AllowInsecure = true // still no NONE: it was not named
	_, err := Dial(context.Background(), cfg)
	if !errors.Is(err, ErrAuthTypeNotOffered) || !strings.Contains(err.Error(), "-A PASSWORD") {
		t.Fatalf("BMC offering PASSWORD and NONE: %v", err)
	}
	t.Log(err)
	noCleartextPassword(t, r.requests(), "password")
	if n := len(r.requests()); n != 1 {
		t.Errorf("%d datagrams sent, want only Get Channel Authentication Capabilities", n)
	}
}

// Activate Session answered without the MD5 auth code asked for: the
// login fails, and nothing runs in the session.
func TestRogueActivateAnsweredWithNone(t *testing.T) {
	for _, keepField := range []bool{false, true} {
		r := startRogueRelay(t, func(b []byte) []byte {
			h, m, ok := v15Msg(b)
			if !ok || m.Cmd != ipmi.CmdActivateSession || len(m.Body) < 2 {
				return nil
			}
			if !keepField {
				m.Body[1] = AuthTypeNone // "the session's auth type is NONE"
			}
			return reframe15(h, m)
		})
		cfg := r.config(V15)
		start := time.Now()
		s, err := Dial(context.Background(), cfg)
		if err == nil {
			s.Close()
			t.Fatalf("keep field %v: Dial accepted an Activate Session answer without auth code (session auth %s)", keepField, AuthTypeName(s.AuthType()))
		}
		if !errors.Is(err, ErrAuthDowngrade) {
			t.Errorf("keep field %v: %v, want ErrAuthDowngrade", keepField, err)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("took %v", d)
		}
		t.Log(err)
		for _, b := range r.requests() {
			if h, m, ok := v15Msg(b); ok && h.AuthType == AuthTypeNone && h.ID != 0 {
				t.Errorf("request in a NONE session: cmd 0x%02x", m.Cmd)
			}
		}
	}
}

// A BMC that says per-message authentication is disabled and then
// answers in the session without auth codes: every such answer is
// dropped and counted, never decoded ("Chassis Power is off" from a BMC
// that never knew the password).
func TestRogueSessionAnswersWithoutAuthCode(t *testing.T) {
	r := startRogueRelay(t, func(b []byte) []byte {
		h, m, ok := v15Msg(b)
		switch {
		case !ok:
			return nil
		case m.Cmd == ipmi.CmdGetChannelAuthCapabilities && len(m.Body) >= 4:
			m.Body[3] |= 0x10 // per-message authentication disabled
			return reframe15(h, m)
		case h.ID != 0 && h.AuthType != AuthTypeNone && m.Cmd != ipmi.CmdActivateSession:
			return reframe15(h, m)
		}
		return nil
	})
	s, err := Dial(context.Background(), r.config(V15))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rsp, err := s.Send(context.Background(), &ipmi.Request{NetFn: ipmi.NetFnChassis, Cmd: ipmi.CmdGetChassisStatus})
	var te *TimeoutError
	if !errors.As(err, &te) {
		t.Errorf("an answer without auth code was taken: %v %v", rsp, err)
	}
	if st := s.Stats(); st.DroppedIntegrity == 0 || st.Received != 0 {
		t.Errorf("stats %+v: want the answers dropped as failing integrity", st)
	}
}

// openSessionRewrite refuses every Open Session Response whose suite has
// integrity (status 0x11, "no cipher suite match"), or drops it.
func openSessionRewrite(b []byte, drop bool) ([]byte, bool) {
	_, rest, err := parseRMCPHeader(b)
	if err != nil || len(rest) == 0 || rest[0] != authTypeRMCPPlus {
		return nil, false
	}
	h, payload, _, err := parseSession20(rest)
	if err != nil || h.PayloadType != payloadOpenSessResp || h.ID != 0 {
		return nil, false
	}
	rsp, err := parseOpenSessionResponse(payload)
	if err != nil || rsp.Status != 0 || rsp.Integrity == IntegrityNone {
		return nil, true
	}
	if drop {
		return []byte{}, true
	}
	out := openSessionResponse{Tag: rsp.Tag, Status: 0x11, ConsoleID: rsp.ConsoleID}
	pkt, _ := (&halfConn{}).seal20(nil, payloadOpenSessResp, out.append(nil), rand.New(rand.NewSource(1)))
	return pkt, true
}

// A relay that refuses (or drops) every suite with integrity and rewrites
// the suite list to [1]: Dial names what the BMC offered and proposes
// nothing without integrity.
func TestRogueSuiteListOnlyOne(t *testing.T) {
	for _, drop := range []bool{false, true} {
		r := startRogueRelay(t, func(b []byte) []byte {
			if out, ok := openSessionRewrite(b, drop); ok {
				return out
			}
			h, m, ok := v15Msg(b)
			if !ok || m.Cmd != ipmi.CmdGetChannelCipherSuites {
				return nil
			}
			m.Body = []byte{0x00, 0x01, 0xC0, 0x01, AuthRAKPHMACSHA1, 0x40 | IntegrityNone, 0x80 | ConfNone}
			return reframe15(h, m)
		})
		cfg := r.config(V20)
		start := time.Now()
		s, err := Dial(context.Background(), cfg)
		if err == nil {
			s.Close()
			t.Fatalf("drop %v: Dial opened suite %d", drop, s.CipherSuite())
		}
		var se *SuiteError
		if !errors.As(err, &se) || !strings.Contains(err.Error(), "cipher suite 1;") || !strings.Contains(err.Error(), "--insecure") {
			t.Errorf("drop %v: %v, want a *SuiteError naming suite 1", drop, err)
		}
		t.Logf("drop %v: %v (%v)", drop, err, time.Since(start).Round(time.Millisecond))
		for _, b := range r.requests() {
			_, rest, _ := parseRMCPHeader(b)
			if len(rest) == 0 || rest[0] != authTypeRMCPPlus {
				continue
			}
			h, payload, _, err := parseSession20(rest)
			if err != nil || h.PayloadType != payloadOpenSessReq {
				continue
			}
			if req, err := parseOpenSessionRequest(payload); err == nil && req.Integrity == IntegrityNone {
				t.Errorf("drop %v: Open Session proposed integrity none", drop)
			}
		}
	}
}

// corruptBackend damages a share of the answers' auth codes (the
// server's Corrupt fate: RAKP 2's auth code, RAKP 4's check value, the
// integrity code of session packets).
type corruptBackend struct {
	lockedBackend
	rmu  sync.Mutex
	rng  *rand.Rand
	rate float64
}

// ServeIPMI frees the slot on Close Session, as a BMC does.
func (b *corruptBackend) ServeIPMI(ctx context.Context, id uint32, req *ipmi.Request) *ipmi.Response {
	rsp := b.lockedBackend.ServeIPMI(ctx, id, req)
	if req.NetFn == ipmi.NetFnApp && req.Cmd == ipmi.CmdCloseSession && len(req.Data) >= 4 && binary.LittleEndian.Uint32(req.Data) == id {
		b.CloseSession(id)
	}
	return rsp
}

func (b *corruptBackend) PacketFate() PacketFate {
	b.rmu.Lock()
	defer b.rmu.Unlock()
	return PacketFate{Corrupt: b.rng.Float64() < b.rate}
}

// At 30% damaged answers, logins still succeed (RAKP 2 and RAKP 4 are
// asked for again before the password is called wrong), and a wrong
// password is still reported within a second.
func TestLoginsSurviveCorruptedAnswers(t *testing.T) {
	be := &corruptBackend{lockedBackend: lockedBackend{fuzzBackend: fuzzBackend{open: map[uint32]bool{}}},
		rng: rand.New(rand.NewSource(30)), rate: 0.30}
	conn, err := ListenLoopback("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv, err := NewServer(be, conn, nil)
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve()
	defer srv.Close()
	const n = 20
	ok := 0
	for i := range n {
		cfg := NewConfig(srv.Addr().String())
		cfg.Username, cfg.Password = "admin", []byte("password")
		cfg.Timeout = 100 * time.Millisecond
		s, err := Dial(context.Background(), cfg)
		if err != nil {
			t.Logf("login %d: %v", i, err)
			continue
		}
		if _, err := s.Send(context.Background(), &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: ipmi.CmdGetDeviceID}); err != nil {
			t.Logf("login %d: Get Device ID: %v", i, err)
		} else {
			ok++
		}
		s.Close()
	}
	t.Logf("%d of %d logins at 30%% corrupted answers", ok, n)
	if ok < 19 {
		t.Errorf("%d of %d logins succeeded at 30%% corrupted answers, want at least 19", ok, n)
	}
	be.rmu.Lock()
	be.rate = 0
	be.rmu.Unlock()
	for _, v := range []Version{V20, V15} {
		cfg := NewConfig(srv.Addr().String())
		cfg.Version, cfg.Username, cfg.Password = v, "admin", []byte("wrong")
		start := time.Now()
		_, err = Dial(context.Background(), cfg)
		if !errors.Is(err, ErrBadPassword) || time.Since(start) > time.Second {
			t.Errorf("%s wrong password: %v after %v", v, err, time.Since(start))
		}
	}
}
