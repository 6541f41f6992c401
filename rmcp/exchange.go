package rmcp

import (
	"context"
	"errors"
	"net"
	"time"

	"github.com/ipmictl/ipmictl/ipmi"
)

// errNotMine tells exchange that a packet is not the awaited answer.
var errNotMine = errors.New("not the awaited packet")

// exchange is the handshake's synchronous round trip (the reader
// goroutine is not running yet): it sends pkt, and passes every packet
// that arrives to accept until accept returns nil (done) or an error
// other than errNotMine, retransmitting pkt after each timeout.
func (s *Session) exchange(ctx context.Context, op string, pkt []byte, tries int, timeout time.Duration, accept func([]byte) error) error {
	return s.exchangeEach(ctx, op, func() ([]byte, error) { return pkt, nil }, tries, timeout, accept)
}

// exchangeEach is exchange with a packet built afresh for every try (an
// in-session request needs a new session sequence number each time).
func (s *Session) exchangeEach(ctx context.Context, op string, next func() ([]byte, error), tries int, timeout time.Duration, accept func([]byte) error) error {
	buf := make([]byte, 2048)
	stop := context.AfterFunc(ctx, func() { s.conn.SetReadDeadline(time.Now()) })
	defer stop()
	defer s.conn.SetReadDeadline(time.Time{})
	for try := 0; try < tries; try++ {
		if try > 0 {
			s.setupRetransmits++
			s.st.logf("rmcp: retransmit %s (try %d of %d)", op, try+1, tries)
		}
		pkt, err := next()
		if err != nil {
			return err
		}
		if _, err := s.conn.Write(pkt); err != nil {
			return &net.OpError{Op: op, Net: "udp", Addr: s.conn.RemoteAddr(), Err: err}
		}
		deadline := time.Now().Add(timeout)
		s.conn.SetReadDeadline(deadline)
		for {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			n, err := s.conn.Read(buf)
			if err != nil {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				var ne net.Error
				if errors.As(err, &ne) && ne.Timeout() {
					break
				}
				// ICMP port unreachable: wait out this try, as for silence.
				time.Sleep(time.Until(deadline))
				break
			}
			err = accept(buf[:n])
			if err == nil {
				return nil
			}
			if !errors.Is(err, errNotMine) {
				return err
			}
			s.noteStray(buf[:n])
		}
	}
	return &TimeoutError{Addr: s.st.addr, Op: op, Tries: tries, PerTry: timeout}
}

// preSessionCall sends req outside any session in IPMI 1.5 framing
// (auth type NONE, session 0), which every BMC answers, also RMCP+ ones
// (ipmi_sim drops RMCP+-framed session-less requests). hc frames the
// request and checks the answer; it is the pre-session halfConn or, for
// Activate Session, one carrying the temporary session.
func (s *Session) preSessionCall(ctx context.Context, out, in *halfConn, req *ipmi.Request, tries int, timeout time.Duration) (*ipmi.Response, error) {
	seq := s.nextRq
	s.nextRq = (s.nextRq + 1) & 0x3F
	msg, err := buildRequest(nil, req, seq)
	if err != nil {
		return nil, err
	}
	pkt := out.seal15(nil, msg)
	var rsp *ipmi.Response
	err = s.exchange(ctx, req.String(), pkt, tries, timeout, func(p []byte) error {
		_, body, err := in.open15(p)
		if err != nil {
			return errNotMine
		}
		m, err := parseLANMsg(body)
		if err != nil || m.Seq != seq || m.NetFn != uint8(req.NetFn)|1 || m.Cmd != req.Cmd || len(m.Body) < 1 {
			return errNotMine
		}
		rsp = &ipmi.Response{Code: ipmi.CompletionCode(m.Body[0]), Data: append([]byte(nil), m.Body[1:]...)}
		return nil
	})
	return rsp, err
}
