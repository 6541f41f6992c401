package fru

import (
	"os"
	"strings"
	"testing"
	"time"
)

func readLab(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseLabSystemFRU(t *testing.T) {
	img, err := Parse(readLab(t, "lab-fru0.bin"))
	if err != nil {
		t.Fatal(err)
	}
	if len(img.Warnings) != 0 {
		t.Fatalf("unexpected warnings: %v", img.Warnings)
	}
	if img.Chassis == nil || img.Board == nil || img.Product == nil {
		t.Fatalf("missing areas: %+v", img)
	}
	if img.Chassis.Type != 0x17 || ChassisTypeName(img.Chassis.Type) != "Rack Mount Chassis" {
		t.Errorf("chassis type %#x %q", img.Chassis.Type, ChassisTypeName(img.Chassis.Type))
	}
	checks := []struct{ got, want string }{
		{img.Chassis.PartNumber.String(), "CSE-SIM2U-R1K"},
		{img.Chassis.SerialNumber.String(), "C0SIM0001234"},
		{img.Board.Manufacturer.String(), "OpenIPMI Lab"},
		{img.Board.ProductName.String(), "SIMBOARD X12"},
		{img.Board.SerialNumber.String(), "BSN-2023-000417"},
		{img.Board.PartNumber.String(), "PN-SB-X12-0001"},
		{img.Board.FileID.String(), "FRU v1.2"},
		{img.Product.Name.String(), "SimServer 2U"},
		{img.Product.Version.String(), "1.0"},
		{img.Product.AssetTag.String(), "ASSET-0042"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	if len(img.Chassis.Custom) != 1 || img.Chassis.Custom[0].String() != "Lab Rack 4 U12" {
		t.Errorf("chassis custom %v", img.Chassis.Custom)
	}
	if len(img.Board.Custom) != 1 || img.Board.Custom[0].String() != "REV 1.02" {
		t.Errorf("board custom %v", img.Board.Custom)
	}
	d, ok := img.Board.MfgDate()
	if !ok || !d.Equal(time.Date(2023, 3, 14, 9, 26, 0, 0, time.UTC)) {
		t.Errorf("mfg date %v %v", d, ok)
	}
}

func TestParseLabPSUMultiRecord(t *testing.T) {
	img, err := Parse(readLab(t, "lab-fru1.bin"))
	if err != nil {
		t.Fatal(err)
	}
	if len(img.Warnings) != 0 {
		t.Fatalf("unexpected warnings: %v", img.Warnings)
	}
	if len(img.MultiRecords) != 1 || !img.MultiRecords[0].EndOfList {
		t.Fatalf("multirecords %+v", img.MultiRecords)
	}
	ps, err := img.MultiRecords[0].PowerSupply()
	if err != nil {
		t.Fatal(err)
	}
	want := PowerSupplyInfo{CapacityW: 1100, PeakVA: 1300, InrushCurrentA: 40, InrushIntervalMs: 5,
		InputLow1mV: 90000, InputHigh1mV: 140000, InputLow2mV: 180000, InputHigh2mV: 264000,
		FreqLowHz: 47, FreqHighHz: 63, DropoutToleranceMs: 10, PFC: true, Autoswitch: true, HotSwap: true,
		PeakCapacityW: 1200, HoldUpS: 1, CombinedVoltage1: 0, CombinedVoltage2: 2}
	if *ps != want {
		t.Errorf("power supply\n got %+v\nwant %+v", *ps, want)
	}
	if _, err := img.MultiRecords[0].DCOutput(); err == nil {
		t.Error("DCOutput accepted a power supply record")
	}
}

func TestFieldEncodings(t *testing.T) {
	six, err := SixBitField("IPMI 2.0")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		f    Field
		lang uint8
		want string
	}{
		{"binary", Field{FieldBinary, []byte{0xde, 0xad, 0x01}}, 0, "dead01"},
		{"bcd plus", Field{FieldBCDPlus, []byte{0x12, 0xab, 0xcd, 0xef}}, 0, "12 -.:,_"},
		{"6-bit", six, 0, "IPMI 2.0"},
		// Spec example (section 13.2.1): "IPMI" packs to 29 DC A6.
		{"6-bit spec", Field{Field6BitASCII, []byte{0x29, 0xdc, 0xa6}}, 0, "IPMI"},
		{"latin-1", Field{FieldText, []byte("Caf\xe9")}, 0, "Café"},
		{"nul stops text", Field{FieldText, []byte("AB\x00CD")}, 0, "AB"},
		{"ucs-2 in german area", Field{FieldText, []byte{'H', 0, 0xe4, 0}}, 4, "Hä"},
		{"odd length falls back", Field{FieldText, []byte("abc")}, 4, "abc"},
	}
	for _, tt := range tests {
		if got := tt.f.Text(tt.lang); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
	if six.Data[0] != 0x29 || len(six.Data) != 6 {
		t.Errorf("6-bit packing of IPMI 2.0 = % x", six.Data)
	}
	if _, err := SixBitField("lower"); err == nil {
		t.Error("6-bit accepted lower case")
	}
	one, err := TextField("X")
	if err != nil || len(one.Data) != 2 || one.String() != "X" {
		t.Errorf("one-character field %+v %v", one, err)
	}
	if _, err := TextField(strings.Repeat("x", 64)); err == nil {
		t.Error("64-byte field accepted")
	}
	if _, err := TextField("日本"); err == nil {
		t.Error("non-Latin-1 text accepted")
	}
}

// corrupt images must decode to warnings, never panic or fail outright
func TestCorruptImages(t *testing.T) {
	good := readLab(t, "lab-fru0.bin")
	mut := func(f func(b []byte) []byte) []byte {
		b := append([]byte(nil), good...)
		return f(b)
	}
	tests := []struct {
		name    string
		img     []byte
		wantErr bool
		warn    string // substring of some warning
		check   func(t *testing.T, img *Image)
	}{
		{name: "empty", img: nil, wantErr: true},
		{name: "short header", img: good[:5], wantErr: true},
		{name: "unprogrammed", img: make([]byte, 64), wantErr: true},
		{name: "all ff", img: []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, wantErr: true},
		{name: "header checksum", img: mut(func(b []byte) []byte { b[7]++; return b }), warn: "common header at byte 7: bad checksum"},
		{name: "chassis offset past end", img: mut(func(b []byte) []byte { b[2] = 200; b[7] -= 199; return b }),
			warn: "past the end", check: func(t *testing.T, img *Image) {
				if img.Chassis != nil || img.Board == nil {
					t.Errorf("chassis %v board %v", img.Chassis, img.Board)
				}
			}},
		{name: "area length past end", img: mut(func(b []byte) []byte { return b[:20] }), warn: "only 12 left"},
		{name: "zero-length area", img: mut(func(b []byte) []byte { b[9] = 0; return b }), warn: "zero-length"},
		{name: "area checksum", img: mut(func(b []byte) []byte { b[12] ^= 0x20; return b }), warn: "chassis info area at byte 55: bad checksum",
			check: func(t *testing.T, img *Image) {
				if img.Chassis == nil || img.Chassis.ChecksumOK || img.Chassis.PartNumber.String() != "cSE-SIM2U-R1K" {
					t.Errorf("data not shown with bad checksum: %+v", img.Chassis)
				}
			}},
		{name: "field runs over area", img: mut(func(b []byte) []byte { b[11] = 0xFF; return b }), warn: "claims 63 bytes"},
		{name: "no end marker", img: func() []byte {
			b := make([]byte, 24)
			b[0], b[2] = 1, 1
			b[7] = -sum(b[:7])
			a := b[8:24]
			a[0], a[1], a[2] = 1, 2, 0x17
			for i := 3; i < 15; i++ {
				a[i] = 0xC0
			}
			a[15] = -sum(a[:15])
			return b
		}(), warn: "no end-of-fields marker"},
		{name: "mandatory fields missing", img: func() []byte {
			b := make([]byte, 16)
			b[0], b[4] = 1, 1
			b[7] = -sum(b[:7])
			a := b[8:16]
			a[0], a[1], a[2], a[3], a[4], a[5], a[6] = 1, 1, 0, 0xC2, 'Z', 'Y', 0xC1
			a[7] = -sum(a[:7])
			return b
		}(), warn: "ends before its product name"},
		{name: "overlapping areas", img: mut(func(b []byte) []byte { b[3] = b[2]; b[7] = -sum(b[:7]); return b }), warn: "overlaps"},
		{name: "multirecord header checksum", img: func() []byte {
			b := append([]byte(nil), readLab(t, "lab-fru1.bin")...)
			b[0x92]++
			return b
		}(), warn: "bad record header checksum"},
		{name: "multirecord runs past end", img: func() []byte {
			b := append([]byte(nil), readLab(t, "lab-fru1.bin")...)
			return b[:0xa0]
		}(), warn: "record claims 24 bytes"},
		{name: "multirecord without end", img: func() []byte {
			b := append([]byte(nil), readLab(t, "lab-fru1.bin")...)
			b[0x91] &^= 0x80
			b[0x94] += 0x80
			return b
		}(), warn: "record header runs past the end"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img, err := Parse(tt.img)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("no error; image %+v", img)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, w := range img.Warnings {
				if strings.Contains(w.String(), tt.warn) {
					found = true
				}
			}
			if !found {
				t.Errorf("no warning containing %q in %v", tt.warn, img.Warnings)
			}
			if tt.check != nil {
				tt.check(t, img)
			}
		})
	}
}

func TestMissingEndMarkerDropsPadding(t *testing.T) {
	b := make([]byte, 24)
	b[0], b[2] = 1, 1
	b[7] = -sum(b[:7])
	a := b[8:24]
	copy(a, []byte{1, 2, 0x17, 0xC2, 'P', 'N', 0xC1, 'S', 0xC3, 'X', 'Y', 'Z'})
	a[15] = -sum(a[:15])
	img, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	c := img.Chassis
	if c.PartNumber.String() != "PN" || c.SerialNumber.String() != "S" || len(c.Custom) != 1 || c.Custom[0].String() != "XYZ" {
		t.Errorf("chassis %+v", c)
	}
}
