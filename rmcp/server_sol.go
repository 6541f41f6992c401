package rmcp

import (
	"encoding/binary"
	"io"
	"time"

	"github.com/ipmictl/ipmictl/ipmi"
)

// SOLBackend is implemented by a Backend that has a serial console to
// offer over Serial-over-LAN (payload type 1, instance 1).
type SOLBackend interface {
	// ActivateSOL checks that session id may activate SOL (privilege,
	// SOL enabled, not active elsewhere) and returns the host console:
	// Write sends keystrokes, Read returns pending output without
	// blocking. A non-zero code refuses activation.
	ActivateSOL(id uint32) (io.ReadWriter, ipmi.CompletionCode)
	// DeactivateSOL ends session id's SOL; false if it had none.
	DeactivateSOL(id uint32) bool
}

const (
	cmdActivatePayload   = 0x48
	cmdDeactivatePayload = 0x49
	solMaxChunk          = 200 // console bytes per outbound SOL packet
	solNACK              = 0x40
	solRetryInterval     = time.Second // resend unacknowledged output after this
	solMaxRetries        = 7           // then give the chunk up, as a BMC does
	solTickInterval      = 100 * time.Millisecond
)

// serverSOL is the BMC side of one active SOL payload.
type serverSOL struct {
	console   io.ReadWriter
	outSeq    uint8  // sequence number of unacked (1..15)
	unacked   []byte // console output sent but not acknowledged
	sentAt    time.Time
	retries   int
	lastInSeq uint8
}

// solControl serves Activate/Deactivate Payload for SOL in session ss.
func (s *Server) solControl(ss *serverSession, m lanMsg) *ipmi.Response {
	sb, ok := s.backend.(SOLBackend)
	if !ok {
		return &ipmi.Response{Code: ipmi.CodeInvalidCommand}
	}
	if len(m.Body) != 6 && !(m.Cmd == cmdDeactivatePayload && len(m.Body) == 2) {
		return &ipmi.Response{Code: ipmi.CodeRequestLengthInvalid}
	}
	if m.Body[0]&0x3F != PayloadSOL || m.Body[1] != 1 {
		return &ipmi.Response{Code: ipmi.CodeInvalidDataField}
	}
	if m.Cmd == cmdDeactivatePayload {
		if ss.sol == nil || !sb.DeactivateSOL(ss.id) {
			return &ipmi.Response{Code: 0x80} // payload already deactivated
		}
		ss.sol = nil
		return &ipmi.Response{Code: ipmi.CodeOK}
	}
	if ss.sol != nil {
		return &ipmi.Response{Code: 0x80} // already active
	}
	console, code := sb.ActivateSOL(ss.id)
	if code != ipmi.CodeOK {
		return &ipmi.Response{Code: code}
	}
	ss.sol = &serverSOL{console: console}
	data := make([]byte, 12)
	binary.LittleEndian.PutUint16(data[4:], 255)             // inbound payload size
	binary.LittleEndian.PutUint16(data[6:], 255)             // outbound payload size
	binary.LittleEndian.PutUint16(data[8:], s.Addr().Port()) // payload port: this socket
	binary.LittleEndian.PutUint16(data[10:], 0xFFFF)         // no VLAN
	return &ipmi.Response{Code: ipmi.CodeOK, Data: data}
}

// solInbound takes one SOL packet from the console: acknowledges its
// characters after writing them to the host, and notes its ACK of ours.
func (s *Server) solInbound(ss *serverSession, p []byte, fate PacketFate) {
	sol := ss.sol
	if sol == nil || len(p) < 4 {
		s.drop("SOL", formatErr("SOL payload", len(p), "no active SOL, or %d bytes", len(p)))
		return
	}
	seq, ack, accepted, op := p[0]&0x0F, p[1]&0x0F, int(p[2]), p[3]
	data := p[4:]
	resend := false
	if ack != 0 && ack == sol.outSeq && sol.unacked != nil {
		switch {
		case op&solNACK != 0:
			resend = true
		case accepted > 0 && accepted < len(sol.unacked):
			sol.unacked = sol.unacked[accepted:]
			resend = true
		default:
			sol.unacked = nil
		}
		sol.retries = 0
	}
	if seq != 0 {
		if seq != sol.lastInSeq {
			sol.console.Write(data)
			sol.lastInSeq = seq
		}
		s.sendInSession(ss, PayloadSOL, []byte{0, seq, uint8(len(data)), 0}, fate)
	}
	if resend {
		s.solSend(ss, fate)
		return
	}
	s.solPush(ss, fate)
}

// solPush sends the next chunk of console output if none is in flight.
func (s *Server) solPush(ss *serverSession, fate PacketFate) {
	sol := ss.sol
	if sol == nil || sol.unacked != nil {
		return
	}
	buf := make([]byte, solMaxChunk)
	n, _ := sol.console.Read(buf)
	if n == 0 {
		return
	}
	sol.unacked = buf[:n]
	sol.outSeq = sol.outSeq%15 + 1
	s.solSend(ss, fate)
}

func (s *Server) solSend(ss *serverSession, fate PacketFate) {
	sol := ss.sol
	sol.sentAt = time.Now()
	if fate.Drop {
		return // lost on the way out
	}
	pkt := append([]byte{sol.outSeq, 0, 0, 0}, sol.unacked...)
	s.sendInSession(ss, PayloadSOL, pkt, fate)
}

// solTick runs from the serving loop: it retransmits output the console
// has not acknowledged within solRetryInterval (giving a chunk up after
// solMaxRetries), and pushes new console output nobody asked for, so a
// lost packet or a quiet client never stalls the stream.
func (s *Server) solTick(now time.Time) {
	for _, ss := range s.sessions {
		sol := ss.sol
		if sol == nil {
			continue
		}
		if sol.unacked != nil {
			if now.Sub(sol.sentAt) < solRetryInterval {
				continue
			}
			if sol.retries >= solMaxRetries {
				sol.unacked, sol.retries = nil, 0
			} else {
				sol.retries++
				s.solSend(ss, s.backend.PacketFate())
				continue
			}
		}
		s.solPush(ss, s.backend.PacketFate())
	}
}

// solActive reports whether any session has SOL running (the serving
// loop then wakes often enough to drive retransmissions).
func (s *Server) solActive() bool {
	for _, ss := range s.sessions {
		if ss.sol != nil {
			return true
		}
	}
	return false
}
