package sdr

import (
	"math"
	"testing"
)

func TestConvertIpmiSimRecords(t *testing.T) {
	want := map[string][2]float64{ // name -> raw reading, value ipmitool shows
		"CPU1 Temp": {0x2d, 45}, "FAN1": {0x36, 5400}, "12V": {0xc8, 12},
		"5V": {0xa7, 5.01}, "3.3V": {0xa5, 3.30}, "VBAT": {0x98, 3.04}, "Pwr Consumption": {0x46, 280},
	}
	for _, raw := range simRecords(t) {
		r, err := Decode(raw)
		if err != nil {
			t.Fatal(err)
		}
		w, ok := want[r.Name()]
		if !ok || r.Full == nil {
			continue
		}
		v, ok := r.Full.Convert(uint8(w[0]))
		if !ok || math.Abs(v-w[1]) > 1e-9 {
			t.Errorf("%s: %v, want %v", r.Name(), v, w[1])
		}
		back, _ := r.Full.ToRaw(w[1])
		if back != uint8(w[0]) {
			t.Errorf("%s: ToRaw(%v) = %#x, want %#x", r.Name(), w[1], back, uint8(w[0]))
		}
	}
}

func TestConvertFormatsAndLinearization(t *testing.T) {
	// M=2, B=-5 (10-bit two's complement 0x3FB), Bexp=1, Rexp=-1.
	fb := []byte{LinLinear, 2, 0, 0xfb, 0xc0, 0, 0xf1}
	cases := []struct {
		format uint8
		lin    uint8
		raw    uint8
		want   float64
	}{
		{FormatUnsigned, LinLinear, 100, (2*100 - 50) * 0.1},
		{FormatTwosCompl, LinLinear, 0xff, (2*-1 - 50) * 0.1},
		{FormatOnesCompl, LinLinear, 0xfe, (2*-1 - 50) * 0.1}, // -1 in one's complement
		{FormatOnesCompl, LinLinear, 0xff, -50 * 0.1},         // -0
		{FormatUnsigned, LinSqr, 30, 1},                       // (60-50)*0.1 = 1
		{FormatUnsigned, LinInverse, 35, 1 / 2.0},
		{FormatUnsigned, LinLog10, 75, 1},
		{FormatUnsigned, LinExp2, 30, 2},
		{FormatUnsigned, LinCubeRt, 65, math.Cbrt(8)},
	}
	for _, c := range cases {
		b := append([]byte(nil), fb...)
		b[0] = c.lin
		f := decodeFactors(c.format<<6, b)
		if f.M != 2 || f.B != -5 || f.BExp != 1 || f.RExp != -1 {
			t.Fatalf("factors %+v", f)
		}
		got, ok := f.Convert(c.raw)
		if !ok || math.Abs(got-c.want) > 1e-9 {
			t.Errorf("format %d lin %d raw %#x: %v, want %v", c.format, c.lin, c.raw, got, c.want)
		}
	}
	f := decodeFactors(FormatNoAnalog<<6, fb)
	if _, ok := f.Convert(1); ok {
		t.Error("a sensor without analog format converted")
	}
}

func TestIDStringEncodings(t *testing.T) {
	// "FAN1" packed as 6-bit ASCII: F=0x26 A=0x21 N=0x2E 1=0x11.
	packed := []byte{(0x26 | 0x21<<6) & 0xff, (0x21>>2 | 0x2e<<4) & 0xff, (0x2e>>4 | 0x11<<2) & 0xff}
	if got := decodeID(0x83, packed); got != "FAN1" {
		t.Errorf("6-bit: %q", got)
	}
	if got := decodeID(0x42, []byte{0x21, 0x23}); got != "1232" {
		t.Errorf("BCD plus: %q", got)
	}
	if got := decodeID(0xc4, []byte("ab\x00c")); got != "ab" {
		t.Errorf("8-bit: %q", got)
	}
	long := make([]byte, 40)
	if n := len(idBytes(0xdf, long)); n != MaxIDBytes {
		t.Errorf("31-byte claim gave %d bytes", n)
	}
}
