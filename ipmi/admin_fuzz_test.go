package ipmi

import (
	"testing"
)

// Every BMC-facing decoder of the administration commands runs on
// arbitrary bytes without panicking, and what it accepts obeys its
// documented bounds.

func FuzzDecodeUserAccess(f *testing.F) {
	f.Add([]byte{0x3f, 0x03, 0x00, 0x14})
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := DecodeUserAccess(b)
		if err == nil && (a.MaxUsers > MaxUserID || a.EnableStatus > 3 || a.PrivilegeLimit > 0x0F) {
			t.Fatalf("out of range: %+v", a)
		}
	})
}

func FuzzDecodeUserName(f *testing.F) {
	f.Add([]byte("admin\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"))
	f.Add([]byte("0123456789abcdefXYZ"))
	f.Fuzz(func(t *testing.T, b []byte) {
		n, err := DecodeUserName(b)
		if err == nil && len(n) > 16 {
			t.Fatalf("name of %d bytes", len(n))
		}
	})
}

func FuzzDecodeChannelInfo(f *testing.F) {
	f.Add([]byte{0x01, 0x04, 0x01, 0x81, 0xf2, 0x1b, 0x00, 0x00, 0x00})
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := DecodeChannelInfo(b)
		if err == nil {
			_ = c.Medium.String() + c.Protocol.String()
			if c.VendorID > 0xFFFFFF || c.SessionSupport > 3 {
				t.Fatalf("%+v", c)
			}
		}
	})
}

func FuzzDecodeChannelAccess(f *testing.F) {
	f.Add([]byte{0x02, 0x04})
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := DecodeChannelAccess(b)
		if err == nil && a.AccessMode > 7 {
			t.Fatalf("%+v", a)
		}
	})
}

func FuzzDecodeLANConfigResponse(f *testing.F) {
	f.Add([]byte{0x11, 0x7f, 0, 0, 1})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := DecodeLANConfigResponse(b)
		if err == nil && len(d) != len(b)-1 {
			t.Fatal("wrong length")
		}
	})
}

func FuzzDecodeLANScalars(f *testing.F) {
	f.Add([]byte{0x16, 0x16, 0x16, 0x16, 0x00, 0x01})
	f.Add([]byte{0x52, 0x54, 0x00, 0x12, 0x34, 0x56})
	f.Add([]byte{0x40, 0x40, 0x10})
	f.Fuzz(func(t *testing.T, b []byte) {
		if _, err := DecodeLANByte(LANIPSource, b); (err == nil) != (len(b) >= 1) {
			t.Fatal("byte")
		}
		if _, err := DecodeLANAuthEnables(b); (err == nil) != (len(b) >= 5) {
			t.Fatal("auth enables")
		}
		if a, err := DecodeLANIPv4(LANIPAddress, b); err == nil && !a.Is4() {
			t.Fatal("not IPv4")
		}
		if _, err := DecodeLANMAC(LANMACAddress, b); (err == nil) != (len(b) >= 6) {
			t.Fatal("mac")
		}
		if h, err := DecodeLANIPHeader(b); err == nil && (h.Flags&0x1F != 0 || h.TOS&0xE1 != 0) {
			t.Fatalf("header %+v", h)
		}
		_, _ = DecodeLANARPControl(b)
	})
}

func FuzzDecodeLANCommunity(f *testing.F) {
	f.Add(append([]byte("public"), make([]byte, 12)...))
	f.Add([]byte("012345678901234567890123"))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := DecodeLANCommunity(b)
		if err == nil && len(s) > 18 {
			t.Fatalf("community of %d bytes", len(s))
		}
	})
}

func FuzzDecodeLANVLANID(f *testing.F) {
	f.Add([]byte{0xF5, 0x83})
	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := DecodeLANVLANID(b)
		if err == nil && v.ID > 4095 {
			t.Fatalf("vlan %d", v.ID)
		}
	})
}

func FuzzDecodeLANCipherSuites(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, uint8(15))
	f.Add([]byte{0}, uint8(200))
	f.Fuzz(func(t *testing.T, b []byte, n uint8) {
		ids, err := DecodeLANCipherSuites(b, n)
		if err == nil && (len(ids) > 16 || len(ids) > int(n)) {
			t.Fatalf("%d ids for count %d", len(ids), n)
		}
	})
}

func FuzzDecodeLANCipherPrivileges(f *testing.F) {
	f.Add([]byte{0, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44})
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := DecodeLANCipherPrivileges(b)
		if err == nil {
			if back := EncodeLANCipherPrivileges(p); string(back[1:]) != string(b[1:]) {
				t.Fatalf("round trip % x -> % x", b, back)
			}
		}
	})
}

func FuzzDecodeLANBadPassword(f *testing.F) {
	f.Add([]byte{1, 3, 6, 0, 0x2c, 1})
	f.Fuzz(func(t *testing.T, b []byte) {
		if _, err := DecodeLANBadPassword(b); (err == nil) != (len(b) == 6) {
			t.Fatal("length check")
		}
	})
}

func FuzzDecodeLANStatistics(f *testing.F) {
	f.Add(make([]byte, 18))
	f.Fuzz(func(t *testing.T, b []byte) {
		if _, err := DecodeLANStatistics(b); (err == nil) != (len(b) >= 18) {
			t.Fatal("length check")
		}
	})
}

func FuzzDecodePEF(f *testing.F) {
	f.Add([]byte{0x51, 0x3f, 0x10})
	f.Add(append([]byte{1, 0x80, 1, 0x21}, make([]byte, 17)...))
	f.Add([]byte{1, 0x18, 0x12, 0x80, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		if c, err := DecodePEFCapabilities(b); err == nil && c.Actions > 0x7F {
			t.Fatal("actions")
		}
		if e, err := DecodeEventFilter(b); err == nil && (e.ID > 0x7F || e.PolicyNumber > 15 || e.GroupControl > 7) {
			t.Fatalf("filter %+v", e)
		}
		if p, err := DecodeAlertPolicy(b); err == nil && (p.Policy > 7 || p.Channel > 15) {
			t.Fatalf("policy %+v", p)
		}
		if n, err := PEFTableSize(b); err == nil && n > 0x7F {
			t.Fatal("table size")
		}
		_, _ = DecodeLastProcessedEvent(b)
	})
}

func FuzzDecodeDCMI(f *testing.F) {
	f.Add([]byte{0xDC, 1, 5, 2, 0, 1, 0x0d})
	f.Add([]byte{0xDC, 1, 5, 2, 0xff, 0x8f, 0x01, 0x07, 5})
	f.Add([]byte{0xDC, 252, 0, 10, 0, 0x93, 1, 223, 0, 1, 2, 3, 4, 0xe8, 3, 0, 0, 0x40})
	f.Add([]byte{0xDC, 0, 0, 1, 0x2c, 1, 0xe8, 3, 0, 0, 0, 0, 5, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = DecodeDCMICapabilities(b)
		if a, err := DecodeDCMIPlatformAttributes(b); err == nil && a.SELEntries > 0x0FFF {
			t.Fatal("sel entries")
		}
		for _, dec := range []func([]byte) error{
			func(b []byte) error { _, err := DecodePowerReading(b); return err },
			func(b []byte) error { _, err := DecodePowerLimit(b); return err },
		} {
			if err := dec(b); err == nil && (len(b) == 0 || b[0] != DCMIGroupID) {
				t.Fatal("accepted without the DCMI group ID")
			}
		}
	})
}
