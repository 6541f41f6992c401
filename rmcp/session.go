package rmcp

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ipmictl/ipmictl/ipmi"
)

// Session is an authenticated IPMI LAN session (v1.5 or RMCP+). It is an
// ipmi.Transport and is safe for use by many goroutines: up to
// maxInFlight requests travel at once, matched to their responses by
// sequence number, netFn and command.
type Session struct {
	cfg  Config
	st   settings
	conn *net.UDPConn
	v15  bool

	suite     int           // -1 for v1.5
	hint      int           // remembered suite (Config.SuiteHint or Config.Suites), -1 if none
	authType  int           // v1.5 only
	privMu    sync.Mutex    // serialises Set Session Privilege
	privErr   error         // a refused elevation, not retried (under privMu)
	priv      atomic.Uint32 // operating privilege (ipmi.Privilege)
	bmcID     uint32        // BMC's session ID
	encrypted bool

	wmu  sync.Mutex // guards out and wbuf: packets go out in sequence order
	out  halfConn
	wbuf []byte

	in halfConn // reader goroutine only (the handshake before it starts)

	setupRetransmits int // handshake datagrams sent again (the path loses some)

	orphans     orphanWatch   // BMC sessions our retransmitted Open Sessions opened
	activations activateWatch // the same for IPMI 1.5 Activate Session

	slots      chan struct{} // in-flight limit
	mu         sync.Mutex
	pending    [64]*call
	nextRq     uint8
	subs       map[uint8]chan []byte
	subsClosed bool

	stats      stats
	done       chan struct{}
	readerDone chan struct{}
	closeOnce  sync.Once
	closeErr   error
}

// call is one request waiting for its response.
type call struct {
	netFn, cmd  uint8 // the response expected next (request values)
	levels      int   // Send Message layers still to unwrap
	targetNetFn uint8
	targetCmd   uint8
	ch          chan *ipmi.Response
}

// Dial opens a session to the BMC in cfg and returns it ready for Send.
func Dial(ctx context.Context, cfg *Config) (*Session, error) {
	if cfg == nil {
		return nil, errors.New("rmcp: nil Config")
	}
	st, err := cfg.resolve()
	if err != nil {
		return nil, err
	}
	var d net.Dialer
	c, err := d.DialContext(ctx, "udp", st.addr)
	if err != nil {
		return nil, fmt.Errorf("rmcp: %s: %w", st.addr, err)
	}
	s := &Session{
		cfg: *cfg, st: st, conn: c.(*net.UDPConn), v15: cfg.Version == V15,
		suite: -1, authType: -1,
		slots: make(chan struct{}, maxInFlight), done: make(chan struct{}), readerDone: make(chan struct{}),
		subs: map[uint8]chan []byte{},
	}
	s.nextRq = randByte() & 0x3F
	s.hint = s.rememberedSuite()
	if s.v15 {
		err = s.handshake15(ctx)
	} else {
		err = s.handshake20(ctx)
	}
	if err != nil {
		s.conn.Close()
		return nil, err
	}
	// Remember a choice that saves requests next time. The first proposal
	// costs nothing to find again, so a BMC that took it leaves no file
	// (at 10,000 BMCs the files cost more than the logins).
	if !s.v15 && cfg.CipherSuite < 0 && cfg.Suites != nil && s.suite != s.hint &&
		!(s.hint < 0 && s.suite == int(suitePreference[0])) {
		cfg.Suites.Remember(st.addr, cfg.Username, s.suite)
	}
	// The session keys are derived; keep no copy of the secrets beyond
	// what IPMI 1.5 auth codes need (in the halfConns).
	s.cfg.Password, s.cfg.Kg = nil, nil
	go s.readLoop()
	st.logf("rmcp: session 0x%08x open to %s at %s", s.bmcID, st.addr, s.Privilege())
	return s, nil
}

// rememberedSuite returns the hint for this Dial: Config.SuiteHint, else
// what Config.Suites recalls, else -1.
func (s *Session) rememberedSuite() int {
	if s.v15 || s.cfg.CipherSuite >= 0 {
		return -1
	}
	if s.cfg.SuiteHint > 0 {
		return s.cfg.SuiteHint
	}
	if s.cfg.Suites != nil {
		return s.cfg.Suites.Recall(s.st.addr, s.cfg.Username)
	}
	return -1
}

// EnsurePrivilege raises the session to the requested privilege with
// Set Session Privilege, unless it already runs at it. Sessions start at
// the level the BMC grants on activation (User on most BMCs), and Send
// calls this by itself the first time a command is refused with
// "insufficient privilege" (0xD4), so that commands that need no more
// than User cost no extra round trip.
func (s *Session) EnsurePrivilege(ctx context.Context) error {
	s.privMu.Lock()
	defer s.privMu.Unlock()
	if s.Privilege() == s.st.priv || s.privErr != nil {
		return s.privErr
	}
	rsp, err := s.sendOnce(ctx, ipmi.SetSessionPrivilegeRequest(s.st.priv), s.st.timeout, s.st.tries)
	if err != nil {
		return err
	}
	switch rsp.Code {
	case ipmi.CodeOK:
	case 0x80, 0x81, 0x82, 0x83:
		s.privErr = &AuthError{Addr: s.st.addr, Step: "Set Session Privilege", Kind: ErrPrivilegeRefused, Status: uint8(rsp.Code),
			Hint: fmt.Sprintf("the user may not have %s on this channel; request a lower level (-L)", s.st.priv)}
		return s.privErr
	default:
		return fmt.Errorf("rmcp: %s: Set Session Privilege: %w", s.st.addr,
			&ipmi.CompletionError{NetFn: ipmi.NetFnApp, Cmd: ipmi.CmdSetSessionPrivilege, Code: rsp.Code})
	}
	p, err := ipmi.DecodeSetSessionPrivilege(rsp.Data)
	if err != nil {
		return err
	}
	s.priv.Store(uint32(p))
	s.st.logf("rmcp: session privilege now %s", p)
	return nil
}

// CipherSuite returns the negotiated cipher suite (-1 for IPMI 1.5).
func (s *Session) CipherSuite() int { return s.suite }

// AuthType returns the IPMI 1.5 auth type in use (-1 for RMCP+).
func (s *Session) AuthType() int { return s.authType }

// Privilege returns the operating privilege level known to be in effect:
// User (or the lower level requested) until EnsurePrivilege, explicit or
// on demand, has raised it to Config.Privilege.
func (s *Session) Privilege() ipmi.Privilege { return ipmi.Privilege(s.priv.Load()) }

// ID returns the BMC's session ID.
func (s *Session) ID() uint32 { return s.bmcID }

// Encrypted reports whether payloads are encrypted (RMCP+ confidentiality).
func (s *Session) Encrypted() bool { return s.encrypted }

// Authenticated reports whether every packet carries an integrity code
// (RMCP+ integrity algorithm other than none, or an IPMI 1.5 auth type
// other than NONE).
func (s *Session) Authenticated() bool {
	if s.v15 {
		return s.authType != AuthTypeNone
	}
	return s.out.mac != nil
}

// Version returns the session protocol.
func (s *Session) Version() Version { return s.cfg.Version }

// Addr returns the BMC's address.
func (s *Session) Addr() string { return s.st.addr }

// Stats returns the traffic counters.
func (s *Session) Stats() Stats { return s.stats.snapshot() }

// Send sends req and waits for its response, retransmitting on timeout
// (same IPMI sequence number, new session sequence number). A non-zero
// completion code is returned in the Response, not as an error.
func (s *Session) Send(ctx context.Context, req *ipmi.Request) (*ipmi.Response, error) {
	rsp, err := s.sendOnce(ctx, req, s.st.timeout, s.st.tries)
	if err != nil || rsp.Code != ipmi.CodeInsufficientPrivilege || s.Privilege() == s.st.priv ||
		(req.NetFn == ipmi.NetFnApp && req.Cmd == ipmi.CmdSetSessionPrivilege) {
		return rsp, err
	}
	if perr := s.EnsurePrivilege(ctx); perr != nil {
		s.st.logf("rmcp: raising privilege for %s: %v", req, perr)
		return rsp, nil
	}
	return s.sendOnce(ctx, req, s.st.timeout, s.st.tries)
}

func (s *Session) sendOnce(ctx context.Context, req *ipmi.Request, timeout time.Duration, tries int) (*ipmi.Response, error) {
	if req == nil {
		return nil, errors.New("rmcp: nil request")
	}
	select {
	case s.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-s.done:
		return nil, ErrClosed
	}
	defer func() { <-s.slots }()

	c := newCall(req)
	seq := s.register(c)
	defer s.unregister(seq, c)
	var mbuf [96]byte
	msg, err := buildRequest(mbuf[:0], req, seq)
	if err != nil {
		return nil, err
	}
	s.stats.requests.Add(1)
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for try := 0; try < tries; try++ {
		if try > 0 {
			s.stats.retransmits.Add(1)
			s.st.logf("rmcp: retransmit %s (try %d of %d)", req, try+1, tries)
			timer.Reset(timeout)
		}
		if err := s.writePayload(PayloadIPMI, msg); err != nil {
			return nil, err
		}
		select {
		case rsp := <-c.ch:
			return rsp, nil
		case <-timer.C:
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-s.done:
			return nil, ErrClosed
		}
	}
	return nil, &TimeoutError{Addr: s.st.addr, Op: req.String(), Tries: tries, PerTry: timeout}
}

// register allocates a free 6-bit IPMI sequence number for c.
func (s *Session) register(c *call) uint8 {
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		seq := s.nextRq
		s.nextRq = (s.nextRq + 1) & 0x3F
		if s.pending[seq] == nil {
			s.pending[seq] = c
			return seq
		}
	}
}

func (s *Session) unregister(seq uint8, c *call) {
	s.mu.Lock()
	if s.pending[seq] == c {
		s.pending[seq] = nil
	}
	s.mu.Unlock()
}

// writePayload seals one packet and sends it.
func (s *Session) writePayload(pt uint8, payload []byte) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	var err error
	if s.v15 {
		if len(payload) > 255 {
			return fmt.Errorf("rmcp: message of %d bytes is too long for IPMI 1.5", len(payload))
		}
		s.wbuf = s.out.seal15(s.wbuf[:0], payload)
	} else {
		s.wbuf, err = s.out.seal20(s.wbuf[:0], pt, payload, rand.Reader)
		if err != nil {
			return err
		}
	}
	if _, err := s.conn.Write(s.wbuf); err != nil {
		select {
		case <-s.done:
			return ErrClosed
		default:
		}
		return fmt.Errorf("rmcp: %s: %w", s.st.addr, err)
	}
	return nil
}

// readLoop is the one reader: it checks every packet and hands IPMI
// responses to their callers and other payloads to their subscribers.
func (s *Session) readLoop() {
	defer close(s.readerDone)
	buf := make([]byte, 2048)
	for {
		n, err := s.conn.Read(buf)
		if err != nil {
			select {
			case <-s.done:
				return
			default:
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			if errors.Is(err, net.ErrClosed) {
				return
			}
			// ICMP errors (port unreachable) surface here; the request
			// timers deal with the silence.
			time.Sleep(10 * time.Millisecond)
			continue
		}
		s.handlePacket(buf[:n])
	}
}

func (s *Session) handlePacket(pkt []byte) {
	var pt uint8
	var payload []byte
	var err error
	if s.v15 {
		_, payload, err = s.in.open15(pkt)
	} else {
		var h session20Header
		h, payload, err = s.in.open20(pkt)
		pt = h.PayloadType
	}
	if err != nil {
		s.stats.countDrop(err)
		if !s.noteStray(pkt) {
			s.st.logf("rmcp: dropped packet: %v", err)
		}
		return
	}
	s.stats.received.Add(1)
	if pt != PayloadIPMI {
		s.deliverPayload(pt, payload)
		return
	}
	m, err := parseLANMsg(payload)
	if err != nil || len(m.Body) < 1 {
		s.stats.dropOther.Add(1)
		return
	}
	s.dispatch(m)
}

// dispatch matches a response to its call by sequence, netFn and
// command, unwrapping Send Message layers of bridged requests.
func (s *Session) dispatch(m lanMsg) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		c := s.pending[m.Seq&0x3F]
		if c == nil || m.NetFn != c.netFn|1 || m.Cmd != c.cmd {
			s.stats.dropOther.Add(1)
			return
		}
		if c.levels > 0 && len(m.Body) > 0 && m.Body[0] == 0 {
			c.levels--
			c.netFn, c.cmd = uint8(ipmi.NetFnApp), cmdSendMessage
			if c.levels == 0 {
				c.netFn, c.cmd = c.targetNetFn, c.targetCmd
			}
			if len(m.Body) == 1 {
				return // the bridged response follows in its own packet
			}
			inner, err := parseLANMsg(m.Body[1:])
			if err != nil || len(inner.Body) < 1 {
				s.stats.dropOther.Add(1)
				return
			}
			m = inner
			continue
		}
		data := make([]byte, len(m.Body)-1)
		copy(data, m.Body[1:])
		select {
		case c.ch <- &ipmi.Response{Code: ipmi.CompletionCode(m.Body[0]), Data: data}:
		default: // a duplicate answer to a retransmission
		}
		s.pending[m.Seq&0x3F] = nil
		return
	}
}

// Close sends Close Session and releases the socket. It is idempotent.
// Close Session is retransmitted like any request (closeRetries), so a
// lossy link does not leave the session on the BMC until its idle
// timeout, but within closeBudget whatever the caller's context: it
// returns as soon as the BMC answers, so Ctrl-C stays quick.
func (s *Session) Close() error {
	s.closeOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), closeBudget)
		defer cancel()
		perTry, tries := closeRetries(s.st)
		rsp, err := s.sendOnce(ctx, ipmi.CloseSessionRequest(s.bmcID), perTry, tries)
		switch {
		case err != nil:
			s.st.logf("rmcp: Close Session: %v", err)
		case rsp.Code != ipmi.CodeOK:
			s.closeErr = &ipmi.CompletionError{NetFn: ipmi.NetFnApp, Cmd: ipmi.CmdCloseSession, Code: rsp.Code}
		}
		close(s.done)
		s.conn.Close()
		<-s.readerDone
		s.closeSubscribers()
		s.st.logf("rmcp: session 0x%08x closed", s.bmcID)
	})
	return s.closeErr
}

func randByte() byte {
	var b [1]byte
	rand.Read(b[:])
	return b[0]
}
