package fru

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"
)

// The lab images are laid out the way Encode lays them out, so encoding a
// decoded lab image must give back the same bytes.
func TestEncodeReproducesLabImages(t *testing.T) {
	for _, name := range []string{"lab-fru0.bin", "lab-fru1.bin"} {
		orig := readLab(t, name)
		img, err := Parse(orig)
		if err != nil {
			t.Fatal(err)
		}
		enc, err := img.Encode()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(enc, orig[:len(enc)]) {
			t.Errorf("%s: encoding differs\n got % x\nwant % x", name, enc, orig[:len(enc)])
		}
		if rest := orig[len(enc):]; len(bytes.Trim(rest, "\x00")) != 0 {
			t.Errorf("%s: encoder stopped at %d but the image has data after it", name, len(enc))
		}
	}
}

func TestEncodeRoundTrip(t *testing.T) {
	six, _ := SixBitField("SIX BIT")
	img := &Image{
		InternalUse: &InternalUseArea{FormatVersion: 1, Data: []byte{1, 2, 3, 4, 5, 6, 7}},
		Chassis: &ChassisArea{FormatVersion: 1, Type: 0x11, PartNumber: mustText(t, "CH-1"),
			SerialNumber: Field{FieldBCDPlus, []byte{0x12, 0x34}}, Custom: []Field{mustText(t, "extra")}},
		Board: &BoardArea{FormatVersion: 1, MfgMinutes: 12345678, Manufacturer: mustText(t, "ACME"),
			ProductName: six, SerialNumber: mustText(t, "S"), PartNumber: Field{FieldBinary, []byte{0xca, 0xfe}}},
		Product: &ProductArea{FormatVersion: 1, Language: LanguageEnglish, Manufacturer: mustText(t, "ACME"),
			Name: mustText(t, "Widget"), AssetTag: mustText(t, strings.Repeat("A", 63))},
		MultiRecords: []MultiRecord{
			{Type: RecordDCOutput, FormatVersion: 2, Data: []byte{0x81, 0xB0, 0x04, 0x32, 0, 0x32, 0, 0x64, 0, 0x10, 0, 0xA0, 0x0F}},
			{Type: 0xC0, FormatVersion: 2, Data: []byte{0x57, 0x01, 0x00, 9, 9}},
		},
	}
	enc, err := img.Encode()
	if err != nil {
		t.Fatal(err)
	}
	got, err := Parse(enc)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Warnings) != 0 {
		t.Fatalf("warnings on a fresh encoding: %v", got.Warnings)
	}
	again, err := got.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(enc, again) {
		t.Fatalf("second encoding differs")
	}
	if got.Board.ProductName.String() != "SIX BIT" || got.Chassis.SerialNumber.String() != "1234" ||
		got.Board.PartNumber.String() != "cafe" || got.Product.AssetTag.String() != strings.Repeat("A", 63) ||
		got.Board.SerialNumber.String() != "S" {
		t.Errorf("fields changed: %+v %+v %+v", got.Chassis, got.Board, got.Product)
	}
	if !reflect.DeepEqual(got.InternalUse.Data, img.InternalUse.Data) {
		t.Errorf("internal use % x", got.InternalUse.Data)
	}
	dc, err := got.MultiRecords[0].DCOutput()
	if err != nil || !dc.Standby || dc.OutputNumber != 1 || dc.NominalmV != 12000 || dc.MaxCurrentmA != 4000 {
		t.Errorf("dc output %+v %v", dc, err)
	}
	oem, err := got.MultiRecords[1].OEM()
	if err != nil || oem.ManufacturerID != 0x157 || !got.MultiRecords[1].EndOfList || got.MultiRecords[0].EndOfList {
		t.Errorf("oem %+v %v", oem, err)
	}
}

func mustText(t *testing.T, s string) Field {
	t.Helper()
	f, err := TextField(s)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestEncodeLimits(t *testing.T) {
	long := &ChassisArea{Type: 1}
	for i := 0; i < 40; i++ {
		long.Custom = append(long.Custom, mustText(t, strings.Repeat("x", 60)))
	}
	if _, err := long.Encode(); err == nil {
		t.Error("area longer than 2040 bytes accepted")
	}
	one := &ChassisArea{PartNumber: Field{FieldText, []byte("X")}}
	b, err := one.Encode()
	if err != nil || b[3] != 0xC2 || b[4] != 'X' || b[5] != 0 {
		t.Errorf("one-byte text field not padded: % x %v", b, err)
	}
}

func TestRebuildLongerField(t *testing.T) {
	orig := readLab(t, "lab-fru0.bin")
	newSerial := "A-MUCH-LONGER-CHASSIS-SERIAL-NUMBER-0001"
	out, img, err := Rebuild(orig, func(img *Image) error {
		return img.SetField(AreaChassis, 1, newSerial)
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != len(orig) {
		t.Fatalf("size changed to %d", len(out))
	}
	if len(img.Warnings) != 0 {
		t.Fatalf("warnings after rebuild: %v", img.Warnings)
	}
	if img.Chassis.SerialNumber.String() != newSerial {
		t.Errorf("serial %q", img.Chassis.SerialNumber)
	}
	before, _ := Parse(orig)
	if img.Header.BoardOffset <= before.Header.BoardOffset {
		t.Errorf("board did not move: %d -> %d", before.Header.BoardOffset, img.Header.BoardOffset)
	}
	if img.Product.AssetTag.String() != "ASSET-0042" || img.Board.Custom[0].String() != "REV 1.02" {
		t.Errorf("other fields damaged: %+v %+v", img.Board, img.Product)
	}
	d1, _ := before.Board.MfgDate()
	d2, _ := img.Board.MfgDate()
	if !d1.Equal(d2) {
		t.Errorf("mfg date changed %v -> %v", d1, d2)
	}
}

func TestRebuildShorterAndAppend(t *testing.T) {
	orig := readLab(t, "lab-fru1.bin")
	out, img, err := Rebuild(orig, func(img *Image) error {
		if err := img.SetField(AreaBoard, 0, "X"); err != nil {
			return err
		}
		n := len(ProductFieldNames) + len(img.Product.Custom)
		return img.SetField(AreaProduct, n, "appended custom")
	})
	if err != nil {
		t.Fatal(err)
	}
	if img.Board.Manufacturer.String() != "X" || len(img.Product.Custom) != 1 || img.Product.Custom[0].String() != "appended custom" {
		t.Errorf("edit lost: %+v %+v", img.Board, img.Product)
	}
	if len(img.MultiRecords) != 1 || !img.MultiRecords[0].ChecksumOK {
		t.Errorf("multi-record damaged: %+v", img.MultiRecords)
	}
	// Bytes the old layout used past the new end are cleared.
	end := img.end()
	if len(bytes.Trim(out[end:], "\x00")) != 0 {
		t.Errorf("stale bytes after %d: % x", end, out[end:])
	}
}

func TestSetFieldErrors(t *testing.T) {
	img, _ := Parse(readLab(t, "lab-fru0.bin"))
	if err := img.SetField(AreaChassis, 4, "x"); err == nil {
		t.Error("index past the end + 1 accepted")
	}
	if err := img.SetField(AreaMultiRecord, 0, "x"); err == nil {
		t.Error("multirecord accepted as a field area")
	}
	if err := img.SetField(AreaBoard, 0, strings.Repeat("y", 64)); err == nil {
		t.Error("64-byte value accepted")
	}
	img2, _ := Parse(readLab(t, "lab-fru1.bin"))
	if err := img2.SetField(AreaChassis, 0, "NEW-CHASSIS"); err != nil || img2.Chassis == nil {
		t.Fatalf("creating a chassis area: %v", err)
	}
	enc, err := img2.Encode()
	if err != nil {
		t.Fatal(err)
	}
	back, _ := Parse(enc)
	if back.Chassis.PartNumber.String() != "NEW-CHASSIS" || len(back.Warnings) != 0 {
		t.Errorf("new chassis area: %+v %v", back.Chassis, back.Warnings)
	}
}

func TestMfgDate(t *testing.T) {
	var b BoardArea
	if _, ok := b.MfgDate(); ok {
		t.Error("zero date is specified")
	}
	want := time.Date(2020, 9, 18, 18, 40, 0, 0, time.UTC)
	b.SetMfgDate(want.Add(30 * time.Second))
	if got, ok := b.MfgDate(); !ok || !got.Equal(want) {
		t.Errorf("got %v", got)
	}
	b.SetMfgDate(time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC))
	if b.MfgMinutes != 0xFFFFFF {
		t.Errorf("overflow not clamped: %d", b.MfgMinutes)
	}
}
