package peers

import (
	"encoding/binary"
	"strings"
	"testing"
	"time"
)

func sum8(b []byte) byte {
	var s byte
	for _, c := range b {
		s += c
	}
	return s
}

func TestFRUImagesAreWellFormed(t *testing.T) {
	imgs, err := labFRUImages()
	if err != nil {
		t.Fatal(err)
	}
	sizes := map[string]int{"fru0.bin": 1024, "fru1.bin": 256, "fru2.bin": 256}
	for name, size := range sizes {
		img := imgs[name]
		if len(img) != size {
			t.Fatalf("%s: %d bytes, want %d", name, len(img), size)
		}
		if img[0] != 1 || sum8(img[:8]) != 0 {
			t.Fatalf("%s: bad common header % x", name, img[:8])
		}
		for i := 2; i <= 4; i++ { // chassis, board, product info areas
			if img[i] == 0 {
				continue
			}
			off := int(img[i]) * 8
			n := int(img[off+1]) * 8
			if img[off] != 1 || n == 0 || off+n > len(img) || sum8(img[off:off+n]) != 0 {
				t.Errorf("%s: area %d at %d (len %d) has a bad header or checksum", name, i, off, n)
			}
		}
		if name != "fru0.bin" {
			off := int(img[5]) * 8
			h := img[off : off+5]
			d := img[off+5 : off+5+int(h[2])]
			if off == 0 || h[1]&0x80 == 0 || sum8(h) != 0 || sum8(d)+h[3] != 0 {
				t.Errorf("%s: bad multirecord header % x", name, h)
			}
		}
	}
	if !strings.Contains(string(imgs["fru0.bin"]), "SIMBOARD X12") {
		t.Error("board product name missing")
	}
}

func TestSELPersist(t *testing.T) {
	now := time.Unix(1795000000, 0)
	recs := labSELRecords(now)
	if len(recs) != SELEntryCount {
		t.Fatalf("%d records", len(recs))
	}
	for i, r := range recs {
		if len(r) != 16 || binary.LittleEndian.Uint16(r) != uint16(i+1) {
			t.Fatalf("record %d: % x", i+1, r)
		}
		if r[2] < 0xE0 {
			ts := int64(binary.LittleEndian.Uint32(r[3:7]))
			if ts > now.Unix() || ts < now.Unix()-72*3600 {
				t.Errorf("record %d: timestamp %d not within 3 days before now", i+1, ts)
			}
		}
	}
	lines := strings.Split(strings.TrimSpace(labSELPersist(now)), "\n")
	if len(lines) != 2+SELEntryCount || !strings.HasPrefix(lines[2], "11:d:") || !strings.HasPrefix(lines[len(lines)-1], "1:d:") {
		t.Fatalf("persist file layout (want newest first):\n%s", strings.Join(lines, "\n"))
	}
	if got := persistEscape([]byte{'a', '\\', 0x00, 0x7F}); got != `a\5c\00\7f` {
		t.Fatalf("persistEscape = %q", got)
	}
}

func TestPolledSensorConversion(t *testing.T) {
	lab, err := labDir()
	if err != nil {
		t.Fatal(err)
	}
	ps, err := readPolledSensors(lab)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		v    float64
		file int
	}{"CPU1 Temp": {92, 92}, "FAN1": {2000, 2000}, "12V": {12, 200}, "Pwr Consumption": {280, 70}}
	found := 0
	for _, p := range ps {
		if w, ok := want[p.name]; ok {
			found++
			got, err := p.fileValue(w.v)
			if err != nil || got != w.file {
				t.Errorf("%s: fileValue(%v) = %d, %v; want %d", p.name, w.v, got, err, w.file)
			}
			if _, err := p.fileValue(-1000); err == nil {
				t.Errorf("%s: negative value accepted", p.name)
			}
		}
	}
	if found != len(want) {
		t.Fatalf("found %d of %d sensors in polled_sensors.tsv", found, len(want))
	}
}

func authCapsReply(cc byte) []byte {
	msg := []byte{0x81, 0x07 << 2, 0, 0x20, 0x05 << 2, 0x38, cc, 0x01, 0x16, 0x04, 0, 0, 0, 0}
	msg[2] = ipmbChecksum(msg[0:2])
	msg = append(msg, ipmbChecksum(msg[3:]))
	return append([]byte{0x06, 0x00, 0xFF, 0x07, 0, 0, 0, 0, 0, 0, 0, 0, 0, byte(len(msg))}, msg...)
}

func TestCheckAuthCapsReply(t *testing.T) {
	if err := checkAuthCapsReply(authCapsReply(0)); err != nil {
		t.Fatalf("good reply rejected: %v", err)
	}
	if err := checkAuthCapsReply(authCapsReply(0xCC)); err == nil {
		t.Fatal("completion code 0xCC accepted")
	}
	bad := authCapsReply(0)
	bad[len(bad)-1]++
	if err := checkAuthCapsReply(bad); err == nil {
		t.Fatal("bad checksum accepted")
	}
	if err := checkAuthCapsReply(authCapsReply(0)[:20]); err == nil {
		t.Fatal("truncated reply accepted")
	}
}

func FuzzCheckAuthCapsReply(f *testing.F) {
	f.Add(authCapsReply(0))
	f.Add(authCapsReply(0xD5))
	f.Add([]byte{0x06, 0x00, 0xFF, 0x07})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		checkAuthCapsReply(b) // must not panic
	})
}
