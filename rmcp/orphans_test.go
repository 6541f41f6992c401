package rmcp

import (
	"crypto/rand"
	"encoding/binary"
	"net"
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/ipmi"
)

// strayTestSession is a Session whose socket leads to a loopback
// listener standing in for the BMC.
func strayTestSession(t testing.TB, v15 bool) (*Session, *net.UDPConn) {
	t.Helper()
	bmc, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bmc.Close() })
	c, err := net.DialUDP("udp", nil, bmc.LocalAddr().(*net.UDPAddr))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &Session{conn: c, v15: v15, st: settings{logf: func(string, ...any) {}}}, bmc
}

func openSessionAnswer(t testing.TB, tag, status uint8, console, bmc uint32) []byte {
	t.Helper()
	rsp := openSessionResponse{Tag: tag, Status: status, MaxPrivilege: 4, ConsoleID: console, BMCID: bmc, Auth: 1, Integrity: 1, Conf: 1}
	var pre halfConn
	pkt, err := pre.seal20(nil, payloadOpenSessResp, rsp.append(nil), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return pkt
}

// received returns the datagrams the stand-in BMC got within wait.
func received(bmc *net.UDPConn, wait time.Duration) [][]byte {
	var got [][]byte
	buf := make([]byte, 2048)
	bmc.SetReadDeadline(time.Now().Add(wait))
	for {
		n, err := bmc.Read(buf)
		if err != nil {
			return got
		}
		got = append(got, append([]byte(nil), buf[:n]...))
	}
}

// An Open Session answer for our console ID naming a session the login
// does not use is aborted with RAKP 3 errors under another tag, once;
// the kept session, other consoles' answers and error answers are left
// alone.
func TestOrphanOpenSessionAnswer(t *testing.T) {
	s, bmc := strayTestSession(t, false)
	const console, kept, orphan, tag = 0x11223344, 0x0100, 0x0200, 0x21
	s.orphans.watch(console)
	s.orphans.keep(console, kept)
	for _, c := range []struct {
		name string
		pkt  []byte
	}{
		{"kept session", openSessionAnswer(t, tag, 0, console, kept)},
		{"another console", openSessionAnswer(t, tag, 0, console+1, orphan)},
		{"error answer", openSessionAnswer(t, tag, 0x01, console, 0)},
		{"not RMCP+", []byte{6, 0, 0xff, 7, 0, 1, 2}},
	} {
		if s.noteStray(c.pkt) {
			t.Errorf("%s: taken for an orphan", c.name)
		}
	}
	if !s.noteStray(openSessionAnswer(t, tag, 0, console, orphan)) {
		t.Fatal("an answer naming an unused session is not taken for an orphan")
	}
	if s.noteStray(openSessionAnswer(t, tag, 0, console, orphan)) {
		t.Error("the same orphan aborted twice")
	}
	got := received(bmc, 200*time.Millisecond)
	if len(got) != orphanAbortCopies {
		t.Fatalf("the BMC got %d datagrams, want %d copies of one abort", len(got), orphanAbortCopies)
	}
	_, rest, _ := parseRMCPHeader(got[0])
	h, payload, _, err := parseSession20(rest)
	if err != nil || h.PayloadType != payloadRAKP3 || h.ID != 0 {
		t.Fatalf("abort is not an RAKP 3 outside a session: %+v %v", h, err)
	}
	m3, err := parseRAKP3(payload)
	if err != nil || m3.Status == 0 || m3.BMCID != orphan || m3.Tag == tag {
		t.Errorf("abort %+v (%v): want a non-zero status for 0x%x under a tag other than 0x%x", m3, err, orphan, tag)
	}
}

// activateAnswer is an IPMI 1.5 Activate Session answer under the
// temporary session's auth code.
func activateAnswer(pw [16]byte, tempID uint32, seq uint8, id, inSeq uint32, authType uint8) []byte {
	data := []byte{authType}
	data = binary.LittleEndian.AppendUint32(data, id)
	data = binary.LittleEndian.AppendUint32(data, inSeq)
	data = append(data, 4)
	req := lanMsg{DstAddr: 0x20, NetFn: uint8(ipmi.NetFnApp), SrcAddr: 0x81, Seq: seq, Cmd: ipmi.CmdActivateSession}
	m := responseMsg(req, &ipmi.Response{Data: data})
	out := halfConn{v15: true, authType: authType, password: pw, id: tempID}
	return out.seal15(nil, m.append(nil))
}

// A second successful Activate Session answer names a session the login
// does not use: it is closed under its own auth code, once. An answer
// without an auth code is not trusted.
func TestOrphanActivateAnswer(t *testing.T) {
	s, bmc := strayTestSession(t, true)
	var pw [16]byte
	copy(pw[:], "password")
	const tempID, seq, kept, orphan = 0x5001, 9, 0x7001, 0x7002
	in := halfConn{v15: true, authType: AuthTypeMD5, password: pw, id: tempID, anyID: true, allowNoneAuth: true}
	s.activations.arm(in, seq, pw)
	s.activations.keep(kept)
	for _, c := range []struct {
		name string
		pkt  []byte
	}{
		{"kept session", activateAnswer(pw, tempID, seq, kept, 100, AuthTypeMD5)},
		{"other request", activateAnswer(pw, tempID, seq+1, orphan, 100, AuthTypeMD5)},
		{"wrong password", activateAnswer([16]byte{1}, tempID, seq, orphan, 100, AuthTypeMD5)},
		{"no auth code", activateAnswer(pw, tempID, seq, orphan, 100, AuthTypeNone)},
	} {
		if s.noteStray(c.pkt) {
			t.Errorf("%s: taken for an orphan", c.name)
		}
	}
	if !s.noteStray(activateAnswer(pw, tempID, seq, orphan, 100, AuthTypeMD5)) {
		t.Fatal("an answer naming an unused session is not taken for an orphan")
	}
	if s.noteStray(activateAnswer(pw, tempID, seq, orphan, 100, AuthTypeMD5)) {
		t.Error("the same orphan closed twice")
	}
	got := received(bmc, 200*time.Millisecond)
	if len(got) != orphanAbortCopies {
		t.Fatalf("the BMC got %d datagrams, want %d copies of one Close Session", len(got), orphanAbortCopies)
	}
	check := halfConn{v15: true, authType: AuthTypeMD5, password: pw, id: orphan, active: true, seq: 99}
	h, body, err := check.open15(got[0])
	if err != nil || h.Seq != 100 {
		t.Fatalf("Close Session does not pass the orphan session's auth check at its first sequence number: %+v %v", h, err)
	}
	m, err := parseLANMsg(body)
	if err != nil || m.Cmd != ipmi.CmdCloseSession || len(m.Body) != 4 || binary.LittleEndian.Uint32(m.Body) != orphan {
		t.Errorf("sent %+v (%v), want Close Session 0x%x", m, err, orphan)
	}
}

// Whatever arrives, the stray-answer check never panics.
func FuzzNoteStray(f *testing.F) {
	var pw [16]byte
	copy(pw[:], "password")
	f.Add(false, openSessionAnswer(f, 1, 0, 0x11223344, 0x0200))
	f.Add(true, activateAnswer(pw, 0x5001, 9, 0x7002, 100, AuthTypeMD5))
	f.Add(true, activateAnswer(pw, 0x5001, 9, 0x7002, 0, AuthTypeNone))
	f.Add(false, []byte{6, 0, 0xff, 7, 6, 0x11, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, v15 bool, pkt []byte) {
		s, _ := strayTestSession(t, v15)
		s.orphans.watch(0x11223344)
		s.orphans.keep(0x11223344, 0x0100)
		s.activations.arm(halfConn{v15: true, authType: AuthTypeMD5, password: pw, id: 0x5001, anyID: true}, 9, pw)
		s.activations.keep(0x7001)
		s.noteStray(pkt)
	})
}
