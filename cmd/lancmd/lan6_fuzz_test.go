package lancmd

import (
	"context"
	"io"
	"testing"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/ipmi"
)

// lan6ScriptBMC answers each request with the next chunk of the script:
// any length, any completion code.
type lan6ScriptBMC struct {
	script []byte
	i      int
}

func (b *lan6ScriptBMC) Send(ctx context.Context, r *ipmi.Request) (*ipmi.Response, error) {
	if b.i >= len(b.script) {
		return &ipmi.Response{Code: 0x80}, nil
	}
	n := int(b.script[b.i] % 24)
	code := ipmi.CompletionCode(0)
	if c := b.script[b.i]; c >= 0xC0 || c == 0x80 {
		code = ipmi.CompletionCode(c)
	}
	b.i++
	end := min(b.i+n, len(b.script))
	resp := &ipmi.Response{Code: code, Data: b.script[b.i:end]}
	b.i = end
	return resp, nil
}
func (b *lan6ScriptBMC) Close() error { return nil }

// FuzzLan6Render reads a hostile BMC's IPv6 parameters and renders them
// in every format: no panic, whatever the answers.
func FuzzLan6Render(f *testing.F) {
	f.Add([]byte{0x02, 0x11, 0x03, 0x02, 0x11, 0x02, 0x15, 0x11, 0x00, 0x80, 0x20, 0x01})
	f.Add([]byte{0xd4, 0x01, 0x11})
	f.Fuzz(func(t *testing.T, script []byte) {
		cfg, _ := ipmi.NewClient(&lan6ScriptBMC{script: script}).ReadLAN6Config(context.Background(), 1)
		p := &lan6Print{cfg}
		for _, format := range []cli.OutputFormat{cli.OutputText, cli.OutputJSON, cli.OutputCSV, cli.OutputTable} {
			if err := cli.RenderTo(io.Discard, format, p); err != nil {
				t.Fatalf("%v: %v", format, err)
			}
		}
	})
}
