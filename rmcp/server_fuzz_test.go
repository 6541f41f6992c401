package rmcp

import (
	"context"
	"net/netip"
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/ipmi"
)

// fuzzBackend is a minimal Backend: one admin user, every suite offered.
type fuzzBackend struct{ open map[uint32]bool }

func (b *fuzzBackend) ServeIPMI(_ context.Context, id uint32, req *ipmi.Request) *ipmi.Response {
	if id != 0 && !b.open[id] {
		return &ipmi.Response{Code: ipmi.CodeInvalidDataField}
	}
	if req.NetFn == ipmi.NetFnApp && req.Cmd == ipmi.CmdGetChannelAuthCapabilities {
		return &ipmi.Response{Code: ipmi.CodeOK, Data: []byte{1, 0x94, 0x04, 0x03, 0, 0, 0, 0}}
	}
	return &ipmi.Response{Code: ipmi.CodeOK, Data: append([]byte(nil), req.Data...)}
}
func (b *fuzzBackend) LookupUser(name []byte) (ServerUser, bool) {
	return ServerUser{ID: 2, Password: []byte("password"), PrivLimit: ipmi.PrivilegeAdmin}, string(name) == "admin"
}
func (b *fuzzBackend) SuiteMaxPrivilege(uint8) (ipmi.Privilege, bool) {
	return ipmi.PrivilegeAdmin, true
}
func (b *fuzzBackend) AuthTypeEnabled(t uint8, _ ipmi.Privilege) bool {
	return t == AuthTypeMD5 || t == AuthTypePassword
}
func (b *fuzzBackend) SessionSlotFree() bool             { return len(b.open) < 4 }
func (b *fuzzBackend) OpenSession(s ServerSession) error { b.open[s.ID] = true; return nil }
func (b *fuzzBackend) CloseSession(id uint32)            { delete(b.open, id) }
func (b *fuzzBackend) SessionActive(id uint32) bool      { return b.open[id] }
func (b *fuzzBackend) TouchSession(id uint32) bool       { return b.open[id] }
func (b *fuzzBackend) SystemGUID() [16]byte              { return [16]byte{1, 2, 3} }
func (b *fuzzBackend) PacketFate() PacketFate            { return PacketFate{} }

// FuzzServerPacket sends arbitrary datagrams to a server: whatever
// arrives, it must not panic, and its memory stays bounded.
func FuzzServerPacket(f *testing.F) {
	var pre halfConn
	open := openSessionRequest{Tag: 1, MaxPrivilege: 4, ConsoleID: 0x11223344, Auth: 3, Integrity: 4, Conf: 1}
	p, _ := pre.seal20(nil, payloadOpenSessReq, open.append(nil), serverFuzzRand{})
	f.Add(p)
	r1 := rakp1{Tag: 1, BMCID: 0x55667788, Role: 0x14, User: []byte("admin")}
	p, _ = pre.seal20(nil, payloadRAKP1, r1.append(nil), serverFuzzRand{})
	f.Add(p)
	r3 := rakp3{Tag: 1, BMCID: 0x55667788, AuthCode: make([]byte, 32)}
	p, _ = pre.seal20(nil, payloadRAKP3, r3.append(nil), serverFuzzRand{})
	f.Add(p)
	caps := lanMsg{DstAddr: 0x20, NetFn: 6, SrcAddr: 0x81, Seq: 1, Cmd: 0x38, Body: []byte{0x8E, 4}}
	v15 := halfConn{v15: true}
	f.Add(v15.seal15(nil, caps.append(nil)))
	chal := lanMsg{DstAddr: 0x20, NetFn: 6, SrcAddr: 0x81, Seq: 2, Cmd: 0x39, Body: append([]byte{2}, "admin\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"...)}
	f.Add(v15.seal15(nil, chal.append(nil)))
	ping := asfMessage{IANA: asfIANA, Type: asfTypePing, Tag: 9}
	f.Add(ping.append(nil))
	f.Add([]byte{6, 0, 0xFF, 7, 6, 0xC0, 1, 0, 0, 0, 2, 0, 0, 0, 0xFF, 0xFF})

	conn, err := ListenLoopback("127.0.0.1:0")
	if err != nil {
		f.Fatal(err)
	}
	defer conn.Close()
	sink, err := ListenLoopback("127.0.0.1:0")
	if err != nil {
		f.Fatal(err)
	}
	defer sink.Close()
	from := sink.LocalAddr().(interface{ AddrPort() netip.AddrPort }).AddrPort()
	f.Fuzz(func(t *testing.T, pkt []byte) {
		s, err := NewServer(&fuzzBackend{open: map[uint32]bool{}}, conn, nil)
		if err != nil {
			t.Fatal(err)
		}
		// The packet alone, then after a valid Open Session, then twice.
		s.handle(append([]byte(nil), pkt...), from)
		var pre halfConn
		o, _ := pre.seal20(nil, payloadOpenSessReq, open.append(nil), serverFuzzRand{})
		s.handle(o, from)
		s.handle(append([]byte(nil), pkt...), from)
		s.handle(append([]byte(nil), pkt...), from)
		if len(s.handshakes) > maxPendingHandshakes || len(s.challenges) > maxPendingHandshakes {
			t.Fatalf("%d handshakes, %d challenges pending", len(s.handshakes), len(s.challenges))
		}
		s.sweep(time.Now().Add(2 * handshakeTTL))
		if len(s.handshakes)+len(s.challenges) != 0 {
			t.Fatal("sweep left stale handshakes")
		}
	})
}

type serverFuzzRand struct{}

func (serverFuzzRand) Read(p []byte) (int, error) { clear(p); return len(p), nil }
