package exporter

import (
	"context"
	"testing"

	"github.com/ipmictl/ipmictl/ipmi"
)

// The labels come from FreeIPMI's names for the fields ipmi.DecodeWatchdog
// picks out (the decoder itself is fuzzed in package ipmi).
func TestWatchdogLabelNames(t *testing.T) {
	// SMS/OS, running, logging; power cycle, NMI; 10 s pretimeout;
	// 300 s initial, 123.4 s left.
	w, err := ipmi.DecodeWatchdog([]byte{0x44, 0x23, 10, 0, 0xB8, 0x0B, 0xD2, 0x04})
	if err != nil {
		t.Fatal(err)
	}
	if watchdogUses[w.Use()] != "SMS/OS" || !w.Running() || w.NoLog() || watchdogActions[w.Action()] != "Power Cycle" ||
		watchdogInterrupts[w.Interrupt()] != "NMI / Diagnostic Interrupt" || w.Pretimeout != 10 || w.Initial != 3000 || w.Present != 1234 {
		t.Errorf("decoded %+v", w)
	}
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
