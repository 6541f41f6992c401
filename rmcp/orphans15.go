package rmcp

import (
	"encoding/binary"
	"sync"

	"github.com/ipmictl/ipmictl/ipmi"
)

// activateWatch is orphanWatch for IPMI 1.5. ipmi_sim opens a session
// for every Activate Session it receives with a valid challenge, so a
// retransmitted or duplicated one opens a second session whose answer
// may still reach us. That answer names the session, its auth type and
// its first sequence number: enough to close it with Close Session under
// its own auth code (a session may always close itself).
type activateWatch struct {
	mu       sync.Mutex
	armed    bool
	in       halfConn // checks answers to the login's Activate Session
	seq      uint8    // its IPMI sequence number
	password [16]byte
	kept     uint32          // the session the login uses
	closed   map[uint32]bool // sessions already closed
}

// arm starts watching answers to the Activate Session sent as seq.
func (w *activateWatch) arm(in halfConn, seq uint8, password [16]byte) {
	w.mu.Lock()
	defer w.mu.Unlock()
	// Only an answer under the password's auth code may make us close a
	// session: an unauthenticated one could be anybody's.
	in.allowNoneAuth = in.authType == AuthTypeNone
	w.armed, w.in, w.seq, w.password = true, in, seq, password
	if w.closed == nil {
		w.closed = map[uint32]bool{}
	}
}

// keep records the session the login goes on with.
func (w *activateWatch) keep(id uint32) {
	w.mu.Lock()
	w.kept = id
	w.mu.Unlock()
}

// orphan checks pkt: a successful answer to our Activate Session naming
// a session other than the kept one, not yet closed. It returns the
// halfConn to close that session with.
func (w *activateWatch) orphan(pkt []byte) (halfConn, uint32, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.armed {
		return halfConn{}, 0, false
	}
	in := w.in
	_, body, err := in.open15(pkt)
	if err != nil {
		return halfConn{}, 0, false
	}
	m, err := parseLANMsg(body)
	if err != nil || m.Seq != w.seq || m.NetFn != uint8(ipmi.NetFnApp)|1 || m.Cmd != ipmi.CmdActivateSession ||
		len(m.Body) < 11 || m.Body[0] != 0 {
		return halfConn{}, 0, false
	}
	at := m.Body[1] & 0x0F
	id := binary.LittleEndian.Uint32(m.Body[2:6])
	inSeq := max(binary.LittleEndian.Uint32(m.Body[6:10]), 1)
	if _, known := authTypeBits[at]; !known || id == 0 || id == w.kept || w.closed[id] {
		return halfConn{}, 0, false
	}
	w.closed[id] = true
	return halfConn{v15: true, authType: at, password: w.password, id: id, active: true, seq: inSeq - 1}, id, true
}

// noteStrayActivate closes the session a stray Activate Session answer
// names, if it is one our login does not use. It reports whether it did.
func (s *Session) noteStrayActivate(pkt []byte) bool {
	out, id, ok := s.activations.orphan(pkt)
	if !ok {
		return false
	}
	// The IPMI sequence number is the orphan session's own: any will do.
	msg, err := buildRequest(nil, ipmi.CloseSessionRequest(id), 0)
	if err != nil {
		return false
	}
	// Identical copies: the BMC takes the first that arrives and drops
	// the others as replays.
	p := out.seal15(nil, msg)
	for range orphanAbortCopies {
		s.conn.Write(p)
	}
	s.st.logf("rmcp: Activate Session answer for unused session 0x%08x (a retransmission's); closed it", id)
	return true
}
