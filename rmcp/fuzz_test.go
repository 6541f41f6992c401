package rmcp

import (
	"bytes"
	"testing"
)

// Every decoder of bytes from the network is fuzzed: it must never
// panic, and what it accepts must re-encode to the same bytes.

func FuzzRMCPHeader(f *testing.F) {
	f.Add([]byte{0x06, 0x00, 0xff, 0x07})
	f.Add([]byte{0x06, 0x00, 0xff, 0x06, 0, 0, 0x11, 0xbe, 0x40, 0, 0, 0x10})
	f.Add([]byte{0x05})
	f.Fuzz(func(t *testing.T, b []byte) {
		h, rest, err := parseRMCPHeader(b)
		if err != nil {
			return
		}
		if got := appendRMCPHeader(nil, h.Class); got[0] != b[0] || got[3] != b[3] || len(rest) != len(b)-4 {
			t.Fatalf("round trip %x -> %x", b[:4], got)
		}
		if m, err := parseASF(b); err == nil && m.Type == asfTypePong {
			parsePong(m.Data)
		}
	})
}

func FuzzSession15(f *testing.F) {
	h := session15Header{AuthType: AuthTypeMD5, Seq: 7, ID: 0x1234}
	f.Add(h.append(nil, []byte{0x81, 0x1c, 0x63, 0x20, 0x04, 0x38, 0x00, 0x01, 0x02}))
	f.Add((&session15Header{}).append(nil, []byte{1, 2, 3}))
	f.Add([]byte{0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		h, msg, err := parseSession15(b)
		if err != nil {
			return
		}
		out := h.append(nil, msg)
		if !bytes.Equal(out, b[:len(out)]) {
			t.Fatalf("round trip %x -> %x", b, out)
		}
		parseLANMsg(msg)
	})
}

func FuzzSession20(f *testing.F) {
	h := session20Header{PayloadType: PayloadIPMI, Authenticated: true, ID: 5, Seq: 9, Length: 3}
	f.Add(append(h.append(nil), 1, 2, 3, 0xff, 1, 7))
	h = session20Header{PayloadType: PayloadOEM, OEMIANA: 4542, OEMPayloadID: 2, Length: 0}
	f.Add(h.append(nil))
	f.Add([]byte{0x06, 0x02, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		h, payload, end, err := parseSession20(b)
		if err != nil {
			return
		}
		if end > len(b) || len(payload) != h.Length {
			t.Fatalf("end %d len %d payload %d", end, len(b), len(payload))
		}
		out := h.append(nil)
		if !bytes.Equal(out, b[:len(out)]) {
			t.Fatalf("round trip %x -> %x", b[:len(out)], out)
		}
	})
}

func FuzzLANMsg(f *testing.F) {
	m := lanMsg{DstAddr: 0x81, NetFn: 0x07, SrcAddr: 0x20, Seq: 3, Cmd: 0x01, Body: []byte{0, 0x20, 0x01}}
	f.Add(m.append(nil))
	f.Add([]byte{0x20, 0x18, 0xc8, 0x81, 0x04, 0x3b, 0x04, 0x3c})
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := parseLANMsg(b)
		if err != nil {
			return
		}
		if out := m.append(nil); !bytes.Equal(out, b) {
			t.Fatalf("round trip %x -> %x", b, out)
		}
	})
}

func FuzzOpenSessionResponse(f *testing.F) {
	m := openSessionResponse{Tag: 1, MaxPrivilege: 4, ConsoleID: 0xa0a1a2a3, BMCID: 0x100, Auth: 1, Integrity: 1, Conf: 1}
	f.Add(m.append(nil))
	f.Add((&openSessionResponse{Tag: 2, Status: 4, ConsoleID: 9}).append(nil))
	f.Add((&openSessionRequest{Tag: 1, MaxPrivilege: 4, ConsoleID: 1, Auth: 3, Integrity: 4, Conf: 1}).append(nil))
	f.Fuzz(func(t *testing.T, b []byte) {
		if m, err := parseOpenSessionResponse(b); err == nil && m.Status == 0 {
			if out := m.append(nil); len(out) != openSessionResponseLen {
				t.Fatalf("re-encoded to %d bytes", len(out))
			}
		}
		if m, err := parseOpenSessionRequest(b); err == nil {
			if out := m.append(nil); len(out) != openSessionRequestLen {
				t.Fatalf("request re-encoded to %d bytes", len(out))
			}
		}
	})
}

func FuzzRAKP2(f *testing.F) {
	m := rakp2{Tag: 1, ConsoleID: 7, AuthCode: bytes.Repeat([]byte{0xaa}, 20)}
	f.Add(m.append(nil))
	f.Add((&rakp2{Tag: 1, Status: 0x0d, ConsoleID: 7}).append(nil))
	f.Add((&rakp1{Tag: 1, BMCID: 2, Role: 0x14, User: []byte("admin")}).append(nil))
	f.Fuzz(func(t *testing.T, b []byte) {
		if m, err := parseRAKP2(b); err == nil && m.Status == 0 {
			if out := m.append(nil); !bytes.Equal(out[8:], b[8:]) {
				t.Fatalf("round trip %x -> %x", b, out)
			}
		}
		if m, err := parseRAKP1(b); err == nil && len(m.User) > 16 {
			t.Fatalf("user name of %d bytes", len(m.User))
		}
		parseRAKP3(b)
	})
}

func FuzzRAKP4(f *testing.F) {
	f.Add((&rakp4{Tag: 1, ConsoleID: 7, ICV: bytes.Repeat([]byte{1}, 12)}).append(nil))
	f.Add((&rakp4{Tag: 1, Status: 0x0f}).append(nil))
	f.Add([]byte{1})
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := parseRAKP4(b)
		if err == nil && m.Status == 0 {
			if out := m.append(nil); !bytes.Equal(out[8:], b[8:]) {
				t.Fatalf("round trip %x -> %x", b, out)
			}
		}
	})
}

// FuzzOpen20 feeds arbitrary packets to an armed suite-3 and suite-17
// inbound halfConn: nothing may panic, and nothing unauthenticated may
// pass.
func FuzzOpen20(f *testing.F) {
	mk := func(id uint8) (*halfConn, *halfConn) {
		cs := cipherSuites[id]
		a := authAlgs[cs.Auth]
		sik := a.mac([]byte("k"), []byte("s"))
		k1, k2 := deriveK(a, sik, 1), deriveK(a, sik, 2)
		in := &halfConn{id: 1, active: true, integ: integrityAlgs[cs.Integrity], mac: integrityAlgs[cs.Integrity].New(k1, nil)}
		out := &halfConn{id: 1, active: true, integ: in.integ, mac: integrityAlgs[cs.Integrity].New(k1, nil)}
		in.cipher, _ = newAESCBC(k2)
		out.cipher, _ = newAESCBC(k2)
		return in, out
	}
	_, out := mk(3)
	pkt, _ := out.seal20(nil, PayloadIPMI, []byte{1, 2, 3}, zeroReader{})
	f.Add(pkt, false)
	_, out = mk(17)
	pkt, _ = out.seal20(nil, PayloadSOL, []byte("x"), zeroReader{})
	f.Add(pkt, true)
	f.Fuzz(func(t *testing.T, b []byte, sha256 bool) {
		id := uint8(3)
		if sha256 {
			id = 17
		}
		in, _ := mk(id)
		_, payload, err := in.open20(b)
		if err == nil && len(payload) > len(b) {
			t.Fatal("payload longer than packet")
		}
		// The AES layer alone, on raw bytes.
		c, _ := newAESCBC(bytes.Repeat([]byte{1}, 20))
		c.open(append([]byte(nil), b...))
	})
}
