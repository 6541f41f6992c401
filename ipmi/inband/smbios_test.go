package inband

import (
	"errors"
	"testing"

	"github.com/ipmictl/ipmictl/ipmi"
)

// qemuType38 is a record like the one QEMU 7.2 builds for isa-ipmi-kcs
// (the guest of testdata/qemu parses it as KCS, v2.0, slave 0x20, NV 0,
// I/O port 0xca2, spacing 1, IRQ 5): base 0xca3 (bit 0 = I/O space),
// modifier 0x08 (interrupt info present, byte spacing).
var qemuType38 = []byte{
	38, 0x12, 0x00, 0x01, // type, length, handle
	0x01, 0x20, 0x20, 0x00, // KCS, v2.0, slave 0x20, NV storage address
	0xa3, 0x0c, 0, 0, 0, 0, 0, 0, // base address
	0x08, 0x05, // modifier, IRQ
	0, 0, // no strings
}

func smbiosTable(recs ...[]byte) []byte {
	var b []byte
	// A BIOS record with strings first, as real tables have.
	b = append(b, 0, 0x18, 0, 0)
	b = append(b, make([]byte, 0x18-4)...)
	b = append(b, "Vendor\x00Version\x00\x00"...)
	for _, r := range recs {
		b = append(b, r...)
	}
	return append(b, 127, 4, 0xff, 0xff, 0, 0)
}

func TestParseSMBIOSIPMI(t *testing.T) {
	got, err := ParseSMBIOSIPMI(smbiosTable(qemuType38))
	if err != nil {
		t.Fatal(err)
	}
	want := SystemInterface{Type: InterfaceKCS, SpecMajor: 2, SpecMinor: 0, SlaveAddr: 0x20, NVAddr: 0,
		Base: 0xca2, IOSpace: true, RegSpacing: 1, IRQ: 5}
	if len(got) != 1 || got[0] != want {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
}

func TestParseSMBIOSIPMIVariants(t *testing.T) {
	odd := append([]byte(nil), qemuType38...)
	odd[8], odd[9], odd[0x10] = 0xa5, 0x0c, 0x50 // LS-bit set, 32-bit spacing
	mem := append([]byte(nil), qemuType38...)
	mem[8], mem[9], mem[10], mem[11] = 0x00, 0x00, 0xd0, 0xfe // memory at 0xfed00000
	old := append([]byte(nil), qemuType38[:0x10]...)
	old[1] = 0x10
	old = append(old, 0, 0)
	got, err := ParseSMBIOSIPMI(smbiosTable(odd, mem, old))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("got %d records", len(got))
	}
	if got[0].Base != 0xca5 || got[0].RegSpacing != 4 || !got[0].IOSpace {
		t.Errorf("odd address: %+v", got[0])
	}
	if got[1].Base != 0xfed00000 || got[1].IOSpace {
		t.Errorf("memory mapped: %+v", got[1])
	}
	if got[2].Base != 0xca2 || !got[2].IOSpace || got[2].RegSpacing != 1 || got[2].IRQ != 0 {
		t.Errorf("SMBIOS 2.x record: %+v", got[2])
	}
}

func TestParseSMBIOSIPMIErrors(t *testing.T) {
	good := smbiosTable(qemuType38)
	short := append([]byte(nil), qemuType38...)
	short[1] = 0x0c
	spacing := append([]byte(nil), qemuType38...)
	spacing[0x10] = 0xc0
	for name, b := range map[string][]byte{
		"truncated header":    good[:2],
		"length below 4":      {38, 2, 0, 0, 0, 0},
		"past the end":        qemuType38[:10],
		"no string set end":   qemuType38[:0x12],
		"short IPMI record":   short,
		"reserved spacing":    spacing,
		"truncated mid-table": good[:len(good)-3],
	} {
		_, err := ParseSMBIOSIPMI(b)
		var fe *ipmi.FormatError
		if !errors.As(err, &fe) {
			t.Errorf("%s: got %v, want a *ipmi.FormatError", name, err)
		}
	}
}

func FuzzParseSMBIOSIPMI(f *testing.F) {
	f.Add(smbiosTable(qemuType38))
	f.Add(qemuType38)
	f.Add([]byte{38, 0x10})
	f.Add([]byte{127, 4, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		recs, err := ParseSMBIOSIPMI(b)
		for _, r := range recs {
			if r.RegSpacing != 1 && r.RegSpacing != 4 && r.RegSpacing != 16 {
				t.Fatalf("register spacing %d", r.RegSpacing)
			}
		}
		if err == nil && len(recs) > len(b)/smbiosIPMIMinLen {
			t.Fatalf("%d records from %d bytes", len(recs), len(b))
		}
	})
}
