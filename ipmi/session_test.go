package ipmi

import (
	"bytes"
	"net/netip"
	"testing"
)

func TestDecodeSessionInfo(t *testing.T) {
	// RMCP+ session on LAN channel 1 from 127.0.0.1:40000.
	b := []byte{0x02, 0x3F, 0x01, 0x02, 0x04, 0x11, 127, 0, 0, 1, 1, 2, 3, 4, 5, 6, 0x40, 0x9C}
	s, err := DecodeSessionInfo(b)
	if err != nil {
		t.Fatal(err)
	}
	if s.Handle != 2 || s.SlotCount != 63 || s.ActiveSessions != 1 || !s.Active || s.UserID != 2 ||
		s.Privilege != PrivilegeAdmin || !s.RMCPPlus || s.Channel != 1 || s.LAN == nil {
		t.Fatalf("got %+v", s)
	}
	if s.LAN.IP != netip.MustParseAddr("127.0.0.1") || s.LAN.MAC != [6]byte{1, 2, 3, 4, 5, 6} || s.LAN.Port != 40000 {
		t.Errorf("LAN data %+v", s.LAN)
	}
	if s, err := DecodeSessionInfo([]byte{0, 0x3F, 0}); err != nil || s.Active {
		t.Errorf("no-session answer: %+v %v", s, err)
	}
	if s, err := DecodeSessionInfo([]byte{1, 1, 1, 2, 3, 0x02, 5, 6, 10, 0, 0, 1, 0x50, 0}); err != nil || s.Serial == nil || s.Serial.Port != 80 || s.RMCPPlus {
		t.Errorf("serial session: %+v %v", s, err)
	}
	if _, err := DecodeSessionInfo([]byte{1, 2, 3, 4}); err == nil {
		t.Error("4-byte answer accepted")
	}
}

func TestSessionRequests(t *testing.T) {
	for _, c := range []struct {
		sel  SessionSelector
		want []byte
	}{
		{CurrentSession, []byte{0}},
		{SessionIndex(3), []byte{3}},
		{SessionHandle(0x21), []byte{0xFE, 0x21}},
		{SessionID(0x01020304), []byte{0xFF, 4, 3, 2, 1}},
	} {
		if r := GetSessionInfoRequest(c.sel); r.Cmd != CmdGetSessionInfo || !bytes.Equal(r.Data, c.want) {
			t.Errorf("%+v: data %x, want %x", c.sel, r.Data, c.want)
		}
	}
	if r := CloseSessionRequest(0xA1B2C3D4); !bytes.Equal(r.Data, []byte{0xD4, 0xC3, 0xB2, 0xA1}) {
		t.Errorf("Close Session data %x", r.Data)
	}
	if p, err := DecodeSetSessionPrivilege([]byte{0x04}); err != nil || p != PrivilegeAdmin {
		t.Errorf("Set Session Privilege: %v %v", p, err)
	}
}

func FuzzDecodeSessionInfo(f *testing.F) {
	f.Add([]byte{0x02, 0x3F, 0x01, 0x02, 0x04, 0x11, 127, 0, 0, 1, 1, 2, 3, 4, 5, 6, 0x40, 0x9C})
	f.Add([]byte{0, 0x3F, 0})
	f.Add([]byte{1, 1, 1, 2, 3, 0x02, 5, 6, 10, 0, 0, 1, 0x50, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := DecodeSessionInfo(b)
		if err == nil && s.Active && len(b) < 6 {
			t.Fatal("active session from a short answer")
		}
		DecodeSetSessionPrivilege(b)
	})
}
