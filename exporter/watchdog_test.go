package exporter

import (
	"context"
	"testing"

	"github.com/ipmictl/ipmictl/ipmi"
)

func TestDecodeWatchdogTimer(t *testing.T) {
	// SMS/OS, running, logging; power cycle, NMI; 10 s pretimeout;
	// 300 s initial, 123.4 s left.
	w, err := decodeWatchdogTimer([]byte{0x44, 0x23, 10, 0, 0xB8, 0x0B, 0xD2, 0x04})
	if err != nil {
		t.Fatal(err)
	}
	if watchdogUses[w.use] != "SMS/OS" || !w.running || !w.logging || watchdogActions[w.action] != "Power Cycle" ||
		watchdogInterrupts[w.interrupt] != "NMI / Diagnostic Interrupt" || w.pretimeout != 10 || w.initial != 3000 || w.present != 1234 {
		t.Errorf("decoded %+v", w)
	}
	w, err = decodeWatchdogTimer([]byte{0x83, 0, 0, 0, 1, 0}) // ipmi_sim: 6 bytes
	if err != nil || w.logging || w.present != 0 || w.initial != 1 {
		t.Errorf("6-byte answer: %+v, %v", w, err)
	}
	if _, err := decodeWatchdogTimer([]byte{1, 2, 3, 4, 5}); err == nil {
		t.Error("5 bytes accepted")
	}
}

func FuzzDecodeWatchdogTimer(f *testing.F) {
	f.Add([]byte{0x44, 0x23, 10, 0, 0xB8, 0x0B, 0xD2, 0x04})
	f.Add([]byte{0x83, 0, 0, 0, 1, 0})
	f.Add([]byte{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF})
	f.Fuzz(func(t *testing.T, b []byte) {
		w, err := decodeWatchdogTimer(b)
		if err != nil {
			return
		}
		if w.action > 7 || w.interrupt > 7 || w.use > 7 {
			t.Fatalf("field out of range: %+v", w)
		}
	})
}

func TestVersionPrefix(t *testing.T) {
	for in, want := range map[string]string{"2.6.1": "2.6.1", "1.2 (build 7)": "1.2", "AMI": "", "": ""} {
		if got := versionPrefix(in); got != want {
			t.Errorf("versionPrefix(%q) = %q, want %q", in, got, want)
		}
	}
}

// fixedTransport answers every request with the same data.
type fixedTransport struct{ data []byte }

func (f fixedTransport) Send(context.Context, *ipmi.Request) (*ipmi.Response, error) {
	return &ipmi.Response{Code: ipmi.CodeOK, Data: f.data}, nil
}
func (fixedTransport) Close() error { return nil }

func FuzzSystemFirmwareVersion(f *testing.F) {
	f.Add([]byte{0x11, 0x00, 0x00, 0x05, '2', '.', '6', '.', '1'})
	f.Add([]byte{0x11, 0x00, 0x00, 0xFF, 'x'})
	f.Add([]byte{0x11})
	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := systemFirmwareVersion(context.Background(), ipmi.NewClient(fixedTransport{b}))
		if err == nil && len(v) > maxFirmwareSets*16 {
			t.Fatalf("version of %d bytes from %d-byte answers", len(v), len(b))
		}
	})
}
