package eventcmd

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/cmd/rawcmd"
	"github.com/ipmictl/ipmictl/sdr"
)

// FuzzEventParseFileLine: an event file line never panics; a line read as
// an event prints back (as `sel save` writes it) to the same bytes.
func FuzzEventParseFileLine(f *testing.F) {
	for _, s := range []string{
		"0x04 0x01 0x30 0x01 0x09 0xff 0xff # Temperature",
		"4 2 0x60 1 2 255 0377 0x33",
		"0x04 0x01\t0x30",
		"  # only a comment",
		"0x04 zz",
		"-0 +1 010 0XfF 0 0 0",
		"\v\f\r 1 2 3 4 5 6 7 \r",
		"0x 08 1a 256 -1",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		l := eventParseFileLine(line)
		if l.Valid && len(l.Errors) > 0 {
			t.Fatalf("%q: valid with errors %q", line, l.Errors)
		}
		if l.BadToken && l.Valid {
			t.Fatalf("%q: valid with a bad token", line)
		}
		if !l.Valid {
			return
		}
		var b strings.Builder
		for _, v := range l.Body {
			fmt.Fprintf(&b, "0x%02x ", v)
		}
		again := eventParseFileLine(b.String())
		if !again.Valid || again.Body != l.Body {
			t.Fatalf("%q -> % x -> %q -> % x", line, l.Body, b.String(), again.Body)
		}
	})
}

// FuzzEventThresholdData: whatever Get Sensor Thresholds and Hysteresis
// answer, the event names the asked threshold and direction, carries the
// threshold's raw value and a trigger on the going side of it.
func FuzzEventThresholdData(f *testing.F) {
	f.Add([]byte{0x38, 0x00, 0x00, 0x00, 0x55, 0x5a, 0x5f}, []byte{0x02, 0x02}, uint8(3), false)
	f.Add([]byte{0x3f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, []byte{0xff, 0xff}, uint8(4), true)
	f.Add([]byte{0x01}, []byte{}, uint8(0), false)
	f.Add([]byte{}, []byte{0x00}, uint8(5), true)
	f.Fuzz(func(t *testing.T, thr, hyst []byte, which uint8, deassert bool) {
		th := sdr.Threshold(which % 6)
		ts, err := sdr.ParseThresholds(thr)
		if err != nil {
			return
		}
		var h *sdr.Hysteresis
		if len(hyst) >= 2 {
			h = &sdr.Hysteresis{Positive: hyst[0], Negative: hyst[1]}
		}
		ed := eventThresholdData(th, deassert, ts, h)
		off := ed[0] & 0x0F
		if ed[0]&0xF0 != 0x50 || off/2 != uint8(th) || off > 11 {
			t.Fatalf("event data 1 %02x for %v", ed[0], th)
		}
		high := off%2 == 1
		if high != ((th >= 3) != deassert) {
			t.Fatalf("%v deassert=%v: offset %d", th, deassert, off)
		}
		if ed[2] != ts.Raw[th] {
			t.Fatalf("threshold byte %02x, raw %02x", ed[2], ts.Raw[th])
		}
		switch {
		case high && ed[2] != 0xff && ed[1] <= ed[2]:
			t.Fatalf("going high: trigger %02x not above %02x", ed[1], ed[2])
		case !high && ed[2] != 0 && ed[1] >= ed[2]:
			t.Fatalf("going low: trigger %02x not below %02x", ed[1], ed[2])
		}
	})
}

// FuzzI2CResultText: any bytes a BMC answers print without panicking, 16
// to a line, and bits only for up to 4 bytes.
func FuzzI2CResultText(f *testing.F) {
	f.Add([]byte{0x11, 0x18, 0x1f}, uint8(3), uint8(1))
	f.Add(make([]byte, 40), uint8(40), uint8(0))
	f.Add([]byte{}, uint8(2), uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, requested, wrote uint8) {
		r := &rawcmd.I2CResult{Address: 0xa0, Wrote: int(wrote), Requested: int(requested), Read: cli.IntsOf(data)}
		var b strings.Builder
		if err := r.WriteText(&b); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if requested == 0 || len(data) < int(requested) {
			if strings.Contains(out, " ") && !strings.HasPrefix(out, "Read ") && !strings.HasPrefix(out, "Wrote ") {
				t.Fatalf("printed bytes it should not: %q", out)
			}
			return
		}
		hexLines := (len(data) + 15) / 16
		if len(data) == 0 {
			hexLines = 1
		}
		lines := strings.Count(out, "\n")
		want := hexLines
		if len(data) <= 4 {
			want++
		}
		if wrote == 0 {
			want++ // the Read line
		}
		if lines != want {
			t.Fatalf("%d bytes: %d lines, want %d\n%s", len(data), lines, want, out)
		}
	})
}
