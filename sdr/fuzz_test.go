package sdr

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/ipmi"
)

// simRecords returns the raw records of the ipmi_sim dump (seeds).
func simRecords(tb testing.TB) [][]byte {
	b, err := os.ReadFile(simDump)
	if err != nil {
		tb.Fatal(err)
	}
	raws, err := SplitDump(b)
	if err != nil {
		tb.Fatal(err)
	}
	return raws
}

// FuzzDecodeRecord: any bytes decode or fail with an error, never panic;
// a decoded record keeps exactly the bytes its header claims and its ID
// strings stay within the 16-byte field.
func FuzzDecodeRecord(f *testing.F) {
	for _, r := range simRecords(f) {
		f.Add(r)
		f.Add(r[:len(r)-1])
		bad := append([]byte(nil), r...)
		bad[len(bad)-17] = 0xdf // ID type/length claiming 31 bytes
		f.Add(bad)
	}
	for _, t := range []byte{0x08, 0x09, 0x13, 0x14, 0xc0, 0x10} {
		f.Add(append([]byte{1, 0, 0x51, t, 27}, make([]byte, 27)...))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := Decode(b)
		if err != nil {
			return
		}
		if len(r.Raw) != HeaderLen+int(r.Length) || !bytes.Equal(r.Raw, b[:len(r.Raw)]) {
			t.Fatalf("raw %d bytes for length %d", len(r.Raw), r.Length)
		}
		if n := r.Name(); len(n) > 4*MaxIDBytes {
			t.Fatalf("name of %d bytes", len(n))
		}
		if s := r.Sensor(); s != nil {
			_ = s.Unit()
			if r.Full != nil {
				for _, raw := range []uint8{0, 0x7f, 0x80, 0xff} {
					r.Full.Convert(raw)
				}
			}
		}
	})
}

// FuzzSplitDump: dump files split into records whose lengths add up.
func FuzzSplitDump(f *testing.F) {
	b, _ := os.ReadFile(simDump)
	f.Add(b)
	f.Add(b[:100])
	f.Add([]byte{1, 0, 0x51, 1, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		raws, err := SplitDump(b)
		if err != nil {
			return
		}
		n := 0
		for _, r := range raws {
			if len(r) != HeaderLen+int(r[4]) {
				t.Fatal("record length mismatch")
			}
			n += len(r)
		}
		if n > len(b) {
			t.Fatal("records longer than the file")
		}
		if _, err := ParseDump(b); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzDecodeCacheFile: a hostile cache file is rejected or decodes into an
// entry that re-encodes to the same bytes.
func FuzzDecodeCacheFile(f *testing.F) {
	good, err := EncodeCacheFile(&CacheEntry{Key: "lanplus:127.0.0.1:623", ChunkSize: 33,
		Info: RepoInfo{Version: 0x51, Count: 23, AddStamp: 5}, Records: simRecords(f)})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(good[:40])
	f.Add(append([]byte(nil), cacheMagic...))
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := DecodeCacheFile(b)
		if err != nil {
			return
		}
		again, err := EncodeCacheFile(e)
		if err != nil {
			t.Fatalf("decoded entry does not encode: %v", err)
		}
		if !bytes.Equal(again, b) {
			t.Fatal("round trip changed the file")
		}
		e.Repository()
	})
}

// FuzzConvert: conversion of any factors and reading is total, and ToRaw
// inverts Convert for linear unsigned sensors within half a count.
func FuzzConvert(f *testing.F) {
	f.Add(uint8(0), []byte{0, 100, 0, 0, 0, 0, 0}, uint8(54))
	f.Add(uint8(2), []byte{0, 6, 0, 0, 0, 0, 0xe0}, uint8(0xc8))
	f.Add(uint8(1), []byte{7, 0xff, 0xc0, 0x10, 0x40, 0, 0x1f}, uint8(0x80))
	f.Fuzz(func(t *testing.T, format uint8, fb []byte, raw uint8) {
		if len(fb) < 7 {
			return
		}
		fc := decodeFactors(format<<6, fb[:7])
		v, ok := fc.Convert(raw)
		if (format&3 == FormatNoAnalog) == ok {
			t.Fatalf("format %d: ok=%v", format&3, ok)
		}
		fc.ConvertHysteresis(raw)
		fc.ConvertTolerance()
		if !ok || fc.Linearization != LinLinear || fc.Format != FormatUnsigned || fc.M == 0 || math.IsNaN(v) {
			return
		}
		back, ok := fc.ToRaw(v)
		if !ok || back != raw {
			t.Fatalf("raw %d -> %v -> %d (M=%d B=%d K1=%d K2=%d)", raw, v, back, fc.M, fc.B, fc.BExp, fc.RExp)
		}
	})
}

// FuzzParseResponses: sensor command responses of any length parse or fail.
func FuzzParseResponses(f *testing.F) {
	f.Add([]byte{0x2d, 0xc0, 0x00, 0x00})
	f.Add([]byte{0x38, 0, 0, 0, 0x55, 0x5a, 0x5f})
	f.Add([]byte{0x51, 0x17, 0, 0xfe, 0xff, 0xf8, 0xbe, 0x04, 0x6b, 0, 0, 0, 0, 2})
	f.Fuzz(func(t *testing.T, b []byte) {
		if r, err := ParseRawReading(b); err == nil && r.Valid() && len(b) < 2 {
			t.Fatal("a one-byte reading is valid")
		}
		if th, err := ParseThresholds(b); err == nil {
			for i := 0; i < 6; i++ {
				if th.Has(Threshold(i)) && 1+i >= len(b) {
					t.Fatal("threshold readable without its byte")
				}
			}
		}
		ParseRepoInfo(b)
		ParseHeader(b)
	})
}

// scriptedBMC answers every request from a fuzz-chosen script: each reply
// is a completion code, a length and that many data bytes. When the script
// runs out it fails the request, as a dead BMC would.
type scriptedBMC struct {
	script []byte
	sent   int
}

func (s *scriptedBMC) Close() error { return nil }

func (s *scriptedBMC) Send(ctx context.Context, req *ipmi.Request) (*ipmi.Response, error) {
	s.sent++
	if len(s.script) < 2 {
		return nil, errors.New("no reply")
	}
	cc, n := s.script[0], int(s.script[1])
	s.script = s.script[2:]
	n = min(n, len(s.script))
	data := s.script[:n]
	s.script = s.script[n:]
	return &ipmi.Response{Code: ipmi.CompletionCode(cc), Data: data}, nil
}

// FuzzWalk: a hostile BMC can make the walk fail, but not panic or loop:
// every request consumes script bytes, so the walk must end.
func FuzzWalk(f *testing.F) {
	rec := simRecords(f)[5]
	var good []byte
	good = append(good, 0, 14, 0x51, 1, 0, 0xfe, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 2) // repo info
	good = append(good, 0xca, 0)                                                  // whole record refused
	good = append(good, 0xca, 0)                                                  // 48 refused
	good = append(good, 0, 35, 0xff, 0xff)
	good = append(good, rec[:33]...)
	good = append(good, 0, 2, 0x18, 0) // reserve
	good = append(good, 0, byte(2+len(rec)-33), 0xff, 0xff)
	good = append(good, rec[33:]...)
	f.Add(good)
	f.Add([]byte{0, 14, 0x51, 0, 0, 0xfe, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 3, 1, 0, 1})
	f.Fuzz(func(t *testing.T, script []byte) {
		bmc := &scriptedBMC{script: script}
		l := &Loader{Client: ipmi.NewClient(bmc)}
		repo, err := l.Load(context.Background())
		if err == nil {
			for _, r := range repo.Records {
				if len(r.Raw) != HeaderLen+int(r.Length) {
					t.Fatal("record length mismatch")
				}
			}
		}
		if bmc.sent > len(script)/2+2 {
			t.Fatalf("%d requests for a %d-byte script", bmc.sent, len(script))
		}
	})
}

// FuzzDecodeThresholdFile: a threshold cache file is read from disk, where
// anything may have been written; decode must never panic and what it
// accepts must encode back to the same bytes' meaning.
func FuzzDecodeThresholdFile(f *testing.F) {
	good, err := EncodeThresholdFile(testThresholdSet(time.Unix(1_800_000_000, 0)))
	if err != nil {
		f.Fatal(err)
	}
	empty, _ := EncodeThresholdFile(&ThresholdSet{ReadAt: time.Unix(0, 0)})
	f.Add(good)
	f.Add(empty)
	f.Add(good[:len(good)/2])
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := DecodeThresholdFile(b)
		if err != nil {
			return
		}
		again, err := EncodeThresholdFile(s)
		if err != nil {
			t.Fatalf("decoded set does not encode: %v", err)
		}
		s2, err := DecodeThresholdFile(again)
		if err != nil || !reflect.DeepEqual(s, s2) {
			t.Fatalf("re-encoded set differs: %v", err)
		}
	})
}

// FuzzInterpretReading: any record with any Get Sensor Reading response
// (and factors) gives a reading, never a panic; a threshold sensor's
// comparison keeps only bits 0-5; nothing without a reading has a value,
// states or a state; a value is finite and rounds to at most 15 decimals.
func FuzzInterpretReading(f *testing.F) {
	rsps := [][]byte{{60, 0xc0, 0xc0, 0x00}, {0x09, 0xc0, 0x09, 0x80}, {0, 0xe0}, {0xc8, 0x80}, {1}, {92, 0xc0, 0xff, 0xff}}
	for i, r := range simRecords(f) {
		f.Add(r, rsps[i%len(rsps)], []byte{0, 0x40, 0, 0, 0x80, 0xe1})
	}
	f.Fuzz(func(t *testing.T, rec, rsp, fb []byte) {
		r, err := Decode(rec)
		if err != nil || r.Sensor() == nil {
			return
		}
		var raw *RawReading
		if len(rsp) > 0 {
			if raw, err = ParseRawReading(rsp); err != nil {
				t.Fatalf("ParseRawReading(%x): %v", rsp, err)
			}
		}
		var fc *Factors
		if len(fb) >= 6 {
			x := decodeFactors(fb[0], append([]byte{LinLinear}, fb[:6]...))
			fc = &x
		}
		rd := InterpretReading(r, raw, fc)
		if rd.Comparison&0xc0 != 0 || rd.StateBits&0x8000 != 0 {
			t.Fatalf("comparison %#x state bits %#x", rd.Comparison, rd.StateBits)
		}
		if !rd.Valid && (rd.HasValue || rd.States != nil || rd.State != StateUnknown || rd.Available()) {
			t.Fatalf("no reading but %+v", rd)
		}
		if rd.Threshold && len(rd.States) > 6 {
			t.Fatalf("%d threshold states", len(rd.States))
		}
		if rd.HasValue {
			if math.IsNaN(rd.Value) || math.IsInf(rd.Value, 0) {
				t.Fatalf("value %v", rd.Value)
			}
			if d := rd.Decimals(); d < 0 || d > 15 {
				t.Fatalf("%d decimals", d)
			}
			if v := rd.Rounded(); math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("rounded %v", v)
			}
		}
	})
}
