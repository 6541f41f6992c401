package rmcp

import (
	"crypto/rand"
	"errors"
	"net"
	"time"

	"github.com/ipmictl/ipmictl/ipmi"
)

// abandon frees the BMC's session slot when a handshake stops after Open
// Session succeeded (Ctrl-C, a timeout, a failed check): BMCs keep such
// sessions until their idle timeout, so a user who interrupts logins
// would soon find every slot taken. Before RAKP 3 an RAKP 3 with an
// error status tells the BMC to drop the session; after it the session
// may already be active, so it gets a Close Session under its keys. It
// is best effort and never waits: the datagram goes out twice, and the
// caller's context may already be cancelled.
func (hs *clientHandshake20) abandon() {
	s := hs.s
	if hs.p.BMCID == 0 {
		return
	}
	var pkt []byte
	var err error
	if !hs.rakp3Sent {
		m3 := rakp3{Tag: hs.tag, Status: rakpStatusAbort, BMCID: hs.p.BMCID}
		out, _ := hs.pre()
		pkt, err = out.seal20(nil, payloadRAKP3, m3.append(nil), rand.Reader)
	} else {
		if s.bmcID != hs.p.BMCID {
			if err := hs.establishKeys(); err != nil {
				return
			}
		}
		seq := s.nextRq
		s.nextRq = (s.nextRq + 1) & 0x3F
		var msg []byte
		if msg, err = buildRequest(nil, ipmi.CloseSessionRequest(hs.p.BMCID), seq); err == nil {
			pkt, err = s.out.seal20(nil, PayloadIPMI, msg, rand.Reader)
		}
	}
	if err != nil {
		return
	}
	s.conn.Write(pkt)
	s.conn.Write(pkt)
	s.st.logf("rmcp: handshake abandoned; asked the BMC to drop session 0x%08x", hs.p.BMCID)
}

// reapLateOpenSession runs when the handshake is interrupted while Open
// Session is in flight: the BMC has likely allocated a session whose ID
// we have not heard yet. It waits briefly for the answer (or answers, if
// the request was retransmitted) and abandons each session it names.
func (hs *clientHandshake20) reapLateOpenSession() {
	s := hs.s
	deadline := time.Now().Add(min(s.st.timeout, lateOpenSessionWait))
	defer s.conn.SetReadDeadline(time.Time{})
	buf := make([]byte, 2048)
	var b []byte
	accept := hs.awaitPayload(payloadOpenSessResp, &b)
	for {
		s.conn.SetReadDeadline(deadline)
		n, err := s.conn.Read(buf)
		if err != nil {
			if lateReadAgain(err, deadline) {
				continue
			}
			return // the deadline, or an ICMP error: nothing more will come
		}
		if accept(buf[:n]) != nil {
			continue
		}
		rsp, err := parseOpenSessionResponse(b)
		if err != nil || rsp.Status != 0 || rsp.BMCID == 0 || rsp.ConsoleID != hs.p.ConsoleID {
			continue
		}
		hs.p.BMCID, hs.rakp3Sent = rsp.BMCID, false
		hs.abandon()
	}
}

// lateOpenSessionWait bounds how long an interrupted login waits for an
// Open Session answer already on its way: long enough for a BMC on a
// LAN, short enough that Ctrl-C still feels immediate.
const lateOpenSessionWait = 150 * time.Millisecond

// reapLateActivate runs when an IPMI 1.5 login is interrupted while
// Activate Session is in flight: the BMC may have activated the session.
// It waits briefly for the answer and closes the session it names.
func (hs *clientHandshake15) reapLateActivate(in *halfConn, seq uint8) {
	s := hs.s
	deadline := time.Now().Add(min(s.st.timeout, lateOpenSessionWait))
	defer s.conn.SetReadDeadline(time.Time{})
	buf := make([]byte, 2048)
	for {
		s.conn.SetReadDeadline(deadline)
		n, err := s.conn.Read(buf)
		if err != nil {
			if lateReadAgain(err, deadline) {
				continue
			}
			return
		}
		_, body, err := in.open15(buf[:n])
		if err != nil {
			continue
		}
		m, err := parseLANMsg(body)
		if err != nil || m.Seq != seq || m.NetFn != uint8(ipmi.NetFnApp)|1 || m.Cmd != ipmi.CmdActivateSession ||
			len(m.Body) < 1 || m.Body[0] != 0 {
			continue
		}
		if hs.install(&ipmi.Response{Data: append([]byte(nil), m.Body[1:]...)}) != nil {
			return
		}
		rq := s.nextRq
		s.nextRq = (s.nextRq + 1) & 0x3F
		msg, err := buildRequest(nil, ipmi.CloseSessionRequest(s.bmcID), rq)
		if err != nil {
			return
		}
		pkt := s.out.seal15(nil, msg)
		s.conn.Write(pkt)
		s.st.logf("rmcp: login abandoned; closing session 0x%08x", s.bmcID)
		return
	}
}

// lateReadAgain reports whether a read that failed before deadline should
// be tried again: exchange's cancellation hook sets the read deadline to
// "now" from its own goroutine, possibly after we set ours.
func lateReadAgain(err error, deadline time.Time) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout() && time.Now().Before(deadline)
}
