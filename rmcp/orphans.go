package rmcp

import (
	"crypto/rand"
	"sync"
)

// orphanWatch gives back the BMC sessions our own retransmissions
// opened. ipmi_sim (like other BMCs) allocates a new session for every
// Open Session Request it receives, also for a retransmitted or
// duplicated one with the same console session ID, so a lost answer or
// a duplicated request leaves a session the login does not use. An
// answer for such a session can still reach us, late or during a later
// step: it carries our console session ID, a BMC session ID other than
// the one the login kept, and we tell the BMC to drop that session with
// an RAKP 3 error, as for an abandoned login. A session whose answer
// never arrives cannot be named, and stays until the BMC's own timeout.
type orphanWatch struct {
	mu      sync.Mutex
	kept    map[uint32]uint32 // console session ID -> the BMC session the login kept (0: none yet)
	dropped map[uint32]bool   // BMC sessions already told to go
}

// watch registers a console session ID sent in an Open Session Request.
func (w *orphanWatch) watch(console uint32) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.kept == nil {
		w.kept, w.dropped = map[uint32]uint32{}, map[uint32]bool{}
	}
	if _, ok := w.kept[console]; !ok {
		w.kept[console] = 0
	}
}

// keep records the BMC session the login goes on with for console.
func (w *orphanWatch) keep(console, bmc uint32) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, ok := w.kept[console]; ok {
		w.kept[console] = bmc
	}
}

// orphan reports whether an Open Session answer for console naming bmc
// is one to drop (and remembers it, so it is dropped once).
func (w *orphanWatch) orphan(console, bmc uint32) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	kept, ours := w.kept[console]
	if !ours || bmc == 0 || bmc == kept || w.dropped[bmc] {
		return false
	}
	w.dropped[bmc] = true
	return true
}

// orphanAbortCopies is how many times an RAKP 3 error goes out for an
// orphan: it is never answered reliably, so it is sent blind; three
// copies survive 30% loss 97 times in 100.
const orphanAbortCopies = 3

// noteStray looks at a datagram nobody was waiting for and, if it is a
// successful Open Session answer to one of our requests naming a session
// we do not use, tells the BMC to drop that session (for IPMI 1.5, the
// same for Activate Session). It reports whether it did.
func (s *Session) noteStray(pkt []byte) bool {
	if s.v15 {
		return s.noteStrayActivate(pkt)
	}
	_, rest, err := parseRMCPHeader(pkt)
	if err != nil {
		return false
	}
	h, payload, _, err := parseSession20(rest)
	if err != nil || h.PayloadType != payloadOpenSessResp || h.ID != 0 {
		return false
	}
	rsp, err := parseOpenSessionResponse(payload)
	if err != nil || rsp.Status != 0 || !s.orphans.orphan(rsp.ConsoleID, rsp.BMCID) {
		return false
	}
	// BMCs answer the abort with an RAKP 4 error for our console session
	// ID (ipmi_sim does): under the login's own tag it would pass for
	// the answer to the login's RAKP 3, so the abort carries another.
	m3 := rakp3{Tag: rsp.Tag ^ orphanTagBit, Status: rakpStatusAbort, BMCID: rsp.BMCID}
	var pre halfConn
	out, err := pre.seal20(nil, payloadRAKP3, m3.append(nil), rand.Reader)
	if err != nil {
		return false
	}
	for range orphanAbortCopies {
		s.conn.Write(out)
	}
	s.st.logf("rmcp: Open Session answer for unused BMC session 0x%08x (a retransmission's); asked the BMC to drop it", rsp.BMCID)
	return true
}

// orphanTagBit marks the message tag of an orphan's abort.
const orphanTagBit = 0x80

// rakpStatusAbort is the status an RAKP 3 carries to end a session
// setup: 0x0F, "invalid integrity check value", as when the BMC's RAKP 2
// does not prove the password.
const rakpStatusAbort = 0x0F
