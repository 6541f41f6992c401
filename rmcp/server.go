package rmcp

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ipmictl/ipmictl/ipmi"
)

// Backend is the managed system behind a Server: it authorizes logins,
// keeps the session table (slots, privileges, timeouts) and answers IPMI
// requests, enforcing each command's privilege. The Server does the
// wire: RMCP, ASF, IPMI 1.5 and RMCP+ framing, the RAKP exchange, keys,
// integrity and confidentiality. bmcsim.BMC provides a Backend.
type Backend interface {
	// ServeIPMI answers req from BMC session sessionID (0 = pre-session).
	ServeIPMI(ctx context.Context, sessionID uint32, req *ipmi.Request) *ipmi.Response
	// LookupUser finds an enabled user allowed to log in on the LAN.
	LookupUser(name []byte) (ServerUser, bool)
	// SuiteMaxPrivilege is the highest privilege on cipher suite id, or
	// false when the suite is not offered.
	SuiteMaxPrivilege(id uint8) (ipmi.Privilege, bool)
	// AuthTypeEnabled reports whether IPMI 1.5 auth type t may be used
	// at privilege p.
	AuthTypeEnabled(t uint8, p ipmi.Privilege) bool
	// SessionSlotFree reports whether OpenSession could succeed now.
	SessionSlotFree() bool
	// OpenSession takes a session slot for the session described.
	OpenSession(s ServerSession) error
	// CloseSession frees session id's slot.
	CloseSession(id uint32)
	// SessionActive reports whether session id is still open (not
	// closed, timed out or dropped by a reboot). It is not activity: the
	// Server asks it of every session when it sweeps its tables.
	SessionActive(id uint32) bool
	// TouchSession records an authenticated packet of session id,
	// restarting that session's idle timer (and no other's); false when
	// the session is gone.
	TouchSession(id uint32) bool
	// SystemGUID is GUIDc in the RAKP exchange.
	SystemGUID() [16]byte
	// PacketFate decides what the network does to one inbound packet and
	// its answer (fault injection; the zero value is a perfect network).
	PacketFate() PacketFate
}

// ServerUser is a user's login data.
type ServerUser struct {
	ID        uint8
	Password  []byte         // K_uid, up to 20 bytes
	PrivLimit ipmi.Privilege // already limited by the channel
}

// ServerSession describes a session being opened.
type ServerSession struct {
	ID      uint32 // BMC session ID chosen by the Server
	UserID  uint8
	MaxPriv ipmi.Privilege
	Priv    ipmi.Privilege // the privilege the session starts at
	Remote  netip.AddrPort
	IPMI20  bool
}

// PacketFate is one packet's fate under injected network faults.
type PacketFate struct {
	Drop      bool          // the request is lost
	Delay     time.Duration // the answer leaves this much later
	Duplicate bool          // the answer is sent twice
	Reorder   bool          // the answer is held back until after the next one
	Corrupt   bool          // the answer's integrity code (or checksum) is damaged
}

// ServerStats counts what a Server did.
type ServerStats struct {
	Received       uint64 // packets read
	Answered       uint64 // packets sent
	Dropped        uint64 // packets dropped: malformed, unknown session, bad integrity, replay
	BadIntegrity   uint64 // of which failed the integrity or auth code check
	FaultDropped   uint64 // requests lost to the loss fault
	SessionsOpened uint64
}

// Limits that bound a Server's memory whatever its clients do.
const (
	maxPendingHandshakes = 64
	handshakeTTL         = 10 * time.Second
	sweepInterval        = 5 * time.Second
	reorderHold          = 300 * time.Millisecond
)

// Server answers RMCP, IPMI 1.5 and RMCP+ traffic for one Backend on one
// loopback UDP socket.
type Server struct {
	backend Backend
	conn    *net.UDPConn
	logf    func(string, ...any)

	// Touched by the serving goroutine only.
	sessions   map[uint32]*serverSession
	handshakes map[uint32]*serverHandshake
	challenges map[uint32]*challenge15
	lastSweep  time.Time

	heldMu sync.Mutex
	held   *heldPacket

	received, answered, dropped, badIntegrity, faultDropped, opened atomic.Uint64

	closeOnce sync.Once
	done      chan struct{}
}

type heldPacket struct {
	to    netip.AddrPort
	pkt   []byte
	timer *time.Timer
}

// ListenLoopback opens a UDP socket on addr, which must be a 127.0.0.0/8
// or ::1 address: the server never binds anything else.
func ListenLoopback(addr string) (*net.UDPConn, error) {
	ap, err := netip.ParseAddrPort(addr)
	if err != nil {
		return nil, fmt.Errorf("rmcp: listen address %q: want IP:port (%v)", addr, err)
	}
	if !ap.Addr().Unmap().IsLoopback() {
		return nil, fmt.Errorf("rmcp: refusing to listen on %s: only loopback addresses (127.0.0.0/8, ::1) are allowed", ap.Addr())
	}
	return net.ListenUDP("udp", net.UDPAddrFromAddrPort(ap))
}

// NewServer returns a Server for backend on conn (from ListenLoopback).
// logf, when not nil, receives a trace; it never sees keys or passwords.
func NewServer(backend Backend, conn *net.UDPConn, logf func(string, ...any)) (*Server, error) {
	la, ok := conn.LocalAddr().(*net.UDPAddr)
	if !ok || !la.IP.IsLoopback() {
		return nil, fmt.Errorf("rmcp: refusing to serve on %v: not a loopback address", conn.LocalAddr())
	}
	if logf == nil {
		logf = func(string, ...any) {}
	}
	return &Server{
		backend: backend, conn: conn, logf: logf,
		sessions:   map[uint32]*serverSession{},
		handshakes: map[uint32]*serverHandshake{},
		challenges: map[uint32]*challenge15{},
		done:       make(chan struct{}),
	}, nil
}

// Addr is the address the server answers on.
func (s *Server) Addr() netip.AddrPort {
	return s.conn.LocalAddr().(*net.UDPAddr).AddrPort()
}

// Stats returns the server's counters.
func (s *Server) Stats() ServerStats {
	return ServerStats{
		Received: s.received.Load(), Answered: s.answered.Load(), Dropped: s.dropped.Load(),
		BadIntegrity: s.badIntegrity.Load(), FaultDropped: s.faultDropped.Load(), SessionsOpened: s.opened.Load(),
	}
}

// Close stops Serve and closes the socket.
func (s *Server) Close() error {
	var err error
	s.closeOnce.Do(func() {
		close(s.done)
		err = s.conn.Close()
	})
	return err
}

// Serve reads and answers packets until Close; it returns nil after Close.
func (s *Server) Serve() error {
	buf := make([]byte, 2048)
	var lastTick time.Time
	for {
		wait := sweepInterval
		if s.solActive() {
			wait = solTickInterval
		}
		s.conn.SetReadDeadline(time.Now().Add(wait))
		n, from, err := s.conn.ReadFromUDPAddrPort(buf)
		select {
		case <-s.done:
			return nil
		default:
		}
		if now := time.Now(); now.Sub(lastTick) >= solTickInterval {
			lastTick = now
			s.solTick(now)
		}
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				if time.Since(s.lastSweep) > sweepInterval {
					s.sweep(time.Now())
				}
				continue
			}
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			continue // ICMP errors from a vanished client
		}
		s.received.Add(1)
		s.handle(buf[:n], from)
		if time.Since(s.lastSweep) > sweepInterval {
			s.sweep(time.Now())
		}
	}
}

// sweep forgets sessions the backend closed and stale handshakes.
func (s *Server) sweep(now time.Time) {
	s.lastSweep = now
	for id := range s.sessions {
		if !s.backend.SessionActive(id) {
			delete(s.sessions, id)
		}
	}
	for id, hs := range s.handshakes {
		if now.Sub(hs.created) > handshakeTTL {
			delete(s.handshakes, id)
		}
	}
	for id, c := range s.challenges {
		if now.Sub(c.created) > handshakeTTL {
			delete(s.challenges, id)
		}
	}
}

func (s *Server) drop(why string, err error) {
	s.dropped.Add(1)
	if errors.Is(err, errDropIntegrity) {
		s.badIntegrity.Add(1)
	}
	s.logf("rmcp server: dropped packet: %s: %v", why, err)
}

// handle dispatches one datagram by RMCP class and session format.
func (s *Server) handle(pkt []byte, from netip.AddrPort) {
	h, rest, err := parseRMCPHeader(pkt)
	if err != nil {
		s.drop("RMCP header", err)
		return
	}
	fate := s.backend.PacketFate()
	if fate.Drop {
		s.faultDropped.Add(1)
		return
	}
	switch h.Class & 0x1F {
	case ClassASF:
		s.handleASF(pkt, from, fate)
		return
	case ClassIPMI:
	default:
		s.drop("RMCP class", fmt.Errorf("class 0x%02x", h.Class))
		return
	}
	if len(rest) < 1 {
		s.drop("IPMI session", errors.New("empty"))
		return
	}
	if rest[0] == authTypeRMCPPlus {
		s.handle20(pkt, rest, from, fate)
	} else {
		s.handle15(pkt, rest, from, fate)
	}
}

func (s *Server) handleASF(pkt []byte, from netip.AddrPort, fate PacketFate) {
	m, err := parseASF(pkt)
	if err != nil || m.Type != asfTypePing {
		s.drop("ASF", err)
		return
	}
	pong := appendPong(nil, m.Tag, &Pong{IANA: asfIANA, SupportedEntities: asfEntityIPMI | 0x01})
	s.transmit(from, pong, fate, -1)
}

// transmit sends pkt to `to` under fate: delayed, duplicated, held back
// for reordering, or with byte corruptAt damaged (-1: the last byte).
func (s *Server) transmit(to netip.AddrPort, pkt []byte, fate PacketFate, corruptAt int) {
	if fate.Corrupt && len(pkt) > 0 {
		if corruptAt < 0 || corruptAt >= len(pkt) {
			corruptAt = len(pkt) - 1
		}
		pkt[corruptAt] ^= 0x5A
	}
	send := func() {
		s.write(to, pkt)
		if fate.Duplicate {
			s.write(to, pkt)
		}
	}
	if fate.Delay > 0 {
		time.AfterFunc(fate.Delay, func() { s.releaseAfter(to, pkt, fate, send) })
		return
	}
	s.releaseAfter(to, pkt, fate, send)
}

// releaseAfter sends now, or holds the packet back when it is to be
// reordered; a held packet goes out right after the next one (or after
// reorderHold when nothing follows).
func (s *Server) releaseAfter(to netip.AddrPort, pkt []byte, fate PacketFate, send func()) {
	s.heldMu.Lock()
	prev := s.held
	s.held = nil
	if fate.Reorder && prev == nil {
		hp := &heldPacket{to: to, pkt: pkt}
		hp.timer = time.AfterFunc(reorderHold, func() { s.flushHeld(hp) })
		s.held = hp
		s.heldMu.Unlock()
		return
	}
	s.heldMu.Unlock()
	send()
	if prev != nil {
		prev.timer.Stop()
		s.write(prev.to, prev.pkt)
	}
}

func (s *Server) flushHeld(hp *heldPacket) {
	s.heldMu.Lock()
	if s.held != hp {
		s.heldMu.Unlock()
		return
	}
	s.held = nil
	s.heldMu.Unlock()
	s.write(hp.to, hp.pkt)
}

func (s *Server) write(to netip.AddrPort, pkt []byte) {
	select {
	case <-s.done:
		return
	default:
	}
	// Counted before the send: a client that has the answer must find it
	// counted (tests compare counts around a round trip).
	s.answered.Add(1)
	if _, err := s.conn.WriteToUDPAddrPort(pkt, to); err != nil {
		s.answered.Add(^uint64(0))
	}
}

// serve runs one IPMI request from session id through the backend and
// returns the response message (both checksums) for m.
func (s *Server) serve(id uint32, m lanMsg) (lanMsg, *ipmi.Request, *ipmi.Response) {
	req := &ipmi.Request{NetFn: ipmi.NetFn(m.NetFn), Cmd: m.Cmd, LUN: m.DstLUN, Data: m.Body}
	rsp := s.backend.ServeIPMI(context.Background(), id, req)
	if rsp == nil {
		rsp = &ipmi.Response{Code: ipmi.CodeUnspecified}
	}
	return responseMsg(m, rsp), req, rsp
}

// responseMsg addresses rsp back to the requester of m.
func responseMsg(m lanMsg, rsp *ipmi.Response) lanMsg {
	body := make([]byte, 0, 1+len(rsp.Data))
	body = append(body, uint8(rsp.Code))
	body = append(body, rsp.Data...)
	return lanMsg{
		DstAddr: m.SrcAddr, NetFn: m.NetFn | 1, DstLUN: m.SrcLUN,
		SrcAddr: m.DstAddr, Seq: m.Seq, SrcLUN: m.DstLUN, Cmd: m.Cmd, Body: body,
	}
}

// parseRequestMsg decodes an IPMI request message (responses, odd
// network functions, are not requests).
func parseRequestMsg(payload []byte) (lanMsg, error) {
	m, err := parseLANMsg(payload)
	if err != nil {
		return m, err
	}
	if m.NetFn&1 != 0 {
		return m, formatErr("IPMI request", 1, "network function 0x%02x is a response", m.NetFn)
	}
	return m, nil
}

// newSessionID returns a random ID not used by a session or handshake.
func (s *Server) newSessionID() uint32 {
	var b [4]byte
	for {
		rand.Read(b[:])
		id := binary.LittleEndian.Uint32(b[:])
		if id == 0 || s.sessions[id] != nil || s.handshakes[id] != nil || s.challenges[id] != nil || s.backend.SessionActive(id) {
			continue
		}
		return id
	}
}

// isCloseSession reports a successful Close Session of session id.
func isCloseSession(req *ipmi.Request, rsp *ipmi.Response, id uint32) bool {
	return req.NetFn == ipmi.NetFnApp && req.Cmd == ipmi.CmdCloseSession && rsp.Code == ipmi.CodeOK &&
		len(req.Data) >= 4 && binary.LittleEndian.Uint32(req.Data) == id
}
