package fru

import (
	"bytes"
	"strings"
	"testing"
)

func fuzzSeeds(f *testing.F) {
	for _, name := range []string{"lab-fru0.bin", "lab-fru1.bin"} {
		b := readLab(f, name)
		f.Add(b)
		f.Add(b[:len(b)/3])
		c := append([]byte(nil), b...)
		c[9] = 0xFF // area length past the end
		f.Add(c)
	}
	f.Add([]byte{1, 0, 0, 0, 0, 1, 0, 0xFE, 0, 0x82, 5, 0, 0x78})
	f.Add([]byte{1, 1, 0, 0, 0, 0, 0, 0xFE})
}

// FuzzParse checks that no image makes the decoder panic, that every
// typed view of what it returns is safe to use, and that an image that
// re-encodes decodes cleanly and stably.
func FuzzParse(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		img, err := Parse(data)
		if err != nil {
			return
		}
		for _, w := range img.Warnings {
			_ = w.String()
		}
		visit := func(fs ...Field) {
			for _, x := range fs {
				_ = x.Text(0)
				_ = x.Text(7)
			}
		}
		if c := img.Chassis; c != nil {
			visit(append([]Field{c.PartNumber, c.SerialNumber}, c.Custom...)...)
		}
		if b := img.Board; b != nil {
			_, _ = b.MfgDate()
			visit(append([]Field{b.Manufacturer, b.ProductName, b.SerialNumber, b.PartNumber, b.FileID}, b.Custom...)...)
		}
		if p := img.Product; p != nil {
			visit(append([]Field{p.Manufacturer, p.Name, p.PartNumber, p.Version, p.SerialNumber, p.AssetTag, p.FileID}, p.Custom...)...)
		}
		for _, r := range img.MultiRecords {
			_, _ = r.PowerSupply()
			_, _ = r.DCOutput()
			_, _ = r.DCLoad()
			_, _ = r.ManagementAccess()
			_, _ = r.Compatibility()
			_, _ = r.OEM()
			if r.Offset < img.Header.MultiRecordOffset || r.Offset+MultiRecordHeaderLen+len(r.Data) > len(data) {
				t.Fatalf("record outside the image: %+v", r)
			}
		}
		enc, err := img.Encode()
		if err != nil {
			return
		}
		back, err := Parse(enc)
		if err != nil {
			t.Fatalf("re-encoded image does not parse: %v", err)
		}
		for _, w := range back.Warnings {
			if !strings.Contains(w.Msg, "record format version") {
				t.Fatalf("re-encoded image has warning %v", w)
			}
		}
		again, err := back.Encode()
		if err != nil || !bytes.Equal(enc, again) {
			t.Fatalf("encoding not stable: %v", err)
		}
	})
}

// FuzzReadPayload checks the Read FRU Data response check never lets more
// bytes through than were asked for.
func FuzzReadPayload(f *testing.F) {
	f.Add([]byte{3, 1, 2, 3}, 3, false)
	f.Add([]byte{40, 1}, 32, true)
	f.Add([]byte{}, 1, false)
	f.Fuzz(func(t *testing.T, d []byte, want int, words bool) {
		if want < 0 || want > 510 {
			return
		}
		got, err := readPayload(d, want, words)
		if err == nil && (len(got) > want || len(got) > len(d)) {
			t.Fatalf("payload of %d bytes for a request of %d", len(got), want)
		}
	})
}
