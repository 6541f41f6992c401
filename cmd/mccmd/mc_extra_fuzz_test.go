package mccmd

import (
	"io"
	"testing"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/ipmi"
)

// FuzzMCExtraRender renders watchdog and system info answers of any bytes.
func FuzzMCExtraRender(f *testing.F) {
	f.Add([]byte{0x44, 0x21, 0x05, 0x10, 0x58, 0x02, 0x2c, 0x01}, uint8(0))
	f.Add([]byte{0x02, 0x05, 'h', 0, 'i'}, uint8(2))
	f.Fuzz(func(t *testing.T, b []byte, enc uint8) {
		if w, err := ipmi.DecodeWatchdog(b); err == nil {
			for _, format := range []cli.OutputFormat{cli.OutputText, cli.OutputJSON, cli.OutputCSV} {
				if err := cli.RenderTo(io.Discard, format, newMCWatchdog(w)); err != nil {
					t.Fatal(err)
				}
			}
		}
		s := &ipmi.SystemInfoString{Encoding: enc & 0x0F, Length: len(b), Data: b}
		for _, format := range []cli.OutputFormat{cli.OutputText, cli.OutputJSON, cli.OutputCSV} {
			if err := cli.RenderTo(io.Discard, format, newMCSysInfo("os_name", s)); err != nil {
				t.Fatal(err)
			}
		}
	})
}
