package ipmi

import (
	"bytes"
	"testing"
)

func TestDecodeWatchdog(t *testing.T) {
	w, err := DecodeWatchdog([]byte{0x44, 0x21, 0x05, 0x10, 0x58, 0x02, 0x2c, 0x01})
	if err != nil {
		t.Fatal(err)
	}
	if w.Use() != WatchdogUseSMSOS || !w.Running() || w.NoLog() || w.Action() != WatchdogActionReset ||
		w.Interrupt() != WatchdogInterruptNMI || w.Pretimeout != 5 || w.ExpirationFlags != 0x10 ||
		w.Initial != 600 || w.Present != 300 || !w.HasPresent {
		t.Errorf("%+v", w)
	}
	// ipmi_sim's six-byte answer: no present countdown.
	w, err = DecodeWatchdog([]byte{0x84, 0, 0, 0, 0x0a, 0})
	if err != nil || w.HasPresent || !w.NoLog() || w.Initial != 10 {
		t.Errorf("%+v %v", w, err)
	}
	if _, err := DecodeWatchdog([]byte{1, 2, 3, 4, 5}); err == nil {
		t.Error("five bytes accepted")
	}
}

func TestWatchdogConfigEncode(t *testing.T) {
	// ipmitool's "watchdog off" bytes.
	off := &WatchdogConfig{Use: WatchdogUseSMSOS, Clear: 1 << WatchdogUseSMSOS, Countdown: 3000}
	if got := off.Encode(); !bytes.Equal(got, []byte{0x04, 0x00, 0x00, 0x10, 0xb8, 0x0b}) {
		t.Errorf("off: % x", got)
	}
	c := &WatchdogConfig{Use: WatchdogUseOSLoad, NoLog: true, DontStop: true, Interrupt: WatchdogInterruptMsg,
		Action: WatchdogActionCycle, Pretimeout: 9, Clear: 0x3e, Countdown: 65530}
	if got := c.Encode(); !bytes.Equal(got, []byte{0xc3, 0x33, 0x09, 0x3e, 0xfa, 0xff}) {
		t.Errorf("set: % x", got)
	}
	// Decoding what was set gives the same fields back.
	w, _ := DecodeWatchdog(append(c.Encode()[:3], 0, 0xfa, 0xff))
	if w.Use() != c.Use || !w.NoLog() || w.Interrupt() != c.Interrupt || w.Action() != c.Action {
		t.Errorf("round trip %+v", w)
	}
}

func TestDecodeGlobalEnables(t *testing.T) {
	e, err := DecodeGlobalEnables([]byte{0x0c})
	if err != nil || e&EnableSystemEventLogging == 0 || e&EnableEventBuffer == 0 || e&EnableOEM0 != 0 {
		t.Errorf("%08b %v", e, err)
	}
	if _, err := DecodeGlobalEnables(nil); err == nil {
		t.Error("empty answer accepted")
	}
}

func FuzzDecodeWatchdog(f *testing.F) {
	f.Add([]byte{0x44, 0x21, 0x05, 0x10, 0x58, 0x02, 0x2c, 0x01})
	f.Add([]byte{0, 0, 0, 0, 0, 0})
	f.Add([]byte{0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		w, err := DecodeWatchdog(b)
		if err != nil {
			if len(b) >= 6 {
				t.Fatalf("%d bytes refused: %v", len(b), err)
			}
			return
		}
		if w.Use() > 7 || w.Action() > 7 || w.Interrupt() > 7 || w.HasPresent != (len(b) >= 8) {
			t.Fatalf("%+v from % x", w, b)
		}
	})
}

func FuzzDecodeGlobalEnables(f *testing.F) {
	f.Add([]byte{0x0c})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := DecodeGlobalEnables(b)
		if (err != nil) != (len(b) == 0) || (err == nil && uint8(e) != b[0]) {
			t.Fatalf("% x: %v %v", b, e, err)
		}
	})
}
