package bmcsim

import (
	"context"
	"testing"

	"github.com/ipmictl/ipmictl/ipmi"
)

// FuzzHandle feeds arbitrary requests to the BMC in an ADMINISTRATOR
// session and a USER one: it must never panic, never answer more than an
// IPMI LAN message can carry, and never run an operator or administrator
// command for the USER session.
func FuzzHandle(f *testing.F) {
	f.Add(uint8(0x06), uint8(0x01), []byte{})
	f.Add(uint8(0x0A), uint8(0x23), []byte{0, 0, 1, 0, 0, 0xFF})
	f.Add(uint8(0x0A), uint8(0x11), []byte{0, 0xF0, 0x01, 0x40})
	f.Add(uint8(0x00), uint8(0x08), []byte{0x07, 0x03, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
	f.Add(uint8(0x06), uint8(0x47), []byte{0x83, 0x02, 'a', 'b'})
	f.Add(uint8(0x0C), uint8(0x01), []byte{0x01, 0x18, 0, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44})
	f.Add(uint8(0x06), uint8(0x3D), []byte{0xFF, 1, 2, 3, 4})
	f.Add(uint8(0x06), uint8(0x58), []byte{0x02, 0x00, 0x00, 0xFF})
	f.Add(uint8(0x04), uint8(0x26), []byte{0x01, 0x3F, 1, 2, 3, 4, 5, 6})
	f.Add(uint8(0x0A), uint8(0x44), make([]byte, 16))
	f.Fuzz(func(t *testing.T, netfn, cmd uint8, data []byte) {
		b := New(WithSeed(1))
		ctx := context.Background()
		admin, err := b.OpenSession(SessionRequest{UserID: 2, MaxPriv: ipmi.PrivilegeAdmin, Priv: ipmi.PrivilegeAdmin})
		if err != nil {
			t.Fatal(err)
		}
		user, err := b.OpenSession(SessionRequest{UserID: 4, MaxPriv: ipmi.PrivilegeUser, Priv: ipmi.PrivilegeUser})
		if err != nil {
			t.Fatal(err)
		}
		req := &ipmi.Request{NetFn: ipmi.NetFn(netfn &^ 1), Cmd: cmd, Data: data}
		for _, id := range []uint32{admin, user, 0} {
			rsp := b.Handle(ctx, SessionInfo{ID: id}, req)
			if rsp == nil {
				t.Fatal("nil response")
			}
			if len(rsp.Data) > 250 {
				t.Fatalf("netfn 0x%02x cmd 0x%02x: %d response bytes", netfn, cmd, len(rsp.Data))
			}
			need, known := MinPrivilege(req.NetFn, cmd)
			if known && rsp.Code == ipmi.CodeOK {
				if id == user && need > ipmi.PrivilegeUser {
					t.Fatalf("netfn 0x%02x cmd 0x%02x needs %s but ran for a USER session", netfn, cmd, need)
				}
				if id == 0 && need > ipmi.PrivilegeNone {
					t.Fatalf("netfn 0x%02x cmd 0x%02x ran outside a session", netfn, cmd)
				}
			}
		}
	})
}
