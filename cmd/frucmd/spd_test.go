package frucmd

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/ipmi"
)

// spdEEPROMBMC answers Master Write-Read from a 256-byte image, cutting
// every answer to short bytes when short > 0, and records the requests.
type spdEEPROMBMC struct {
	rom   []byte
	short int
	reqs  [][]byte
}

func (b *spdEEPROMBMC) Close() error { return nil }

func (b *spdEEPROMBMC) Send(_ context.Context, req *ipmi.Request) (*ipmi.Response, error) {
	if req.NetFn != ipmi.NetFnApp || req.Cmd != 0x52 || len(req.Data) != 4 {
		return &ipmi.Response{Code: ipmi.CodeInvalidCommand}, nil
	}
	b.reqs = append(b.reqs, append([]byte(nil), req.Data...))
	n := int(req.Data[2])
	if b.short > 0 {
		n = min(n, b.short)
	}
	out := make([]byte, n)
	for i := range out {
		out[i] = b.rom[(int(req.Data[3])+i)%256]
	}
	return &ipmi.Response{Data: out}, nil
}

func TestSpdRequestsAndErrors(t *testing.T) {
	rom := clitest.SpdImage(t, "ddr3-rdimm-8g.bin")[:256]
	b := &spdEEPROMBMC{rom: rom}
	out, errOut, code := clitest.Run(t, b, "spd", "3", "0xa4", "2", "48")
	if code != 0 || !strings.Contains(out, " Memory Type           : DDR3 SDRAM\n") {
		t.Fatalf("exit %d: %s %s", code, out, errOut)
	}
	// Private bus 3 of channel 2, offsets in steps of 48 up to 512 bytes,
	// sent as one byte each (as ipmitool does).
	if len(b.reqs) != 11 {
		t.Fatalf("%d reads, want 11", len(b.reqs))
	}
	for i, r := range b.reqs {
		want := []byte{0x27, 0xa4, 48, byte(i * 48)}
		if i == 10 {
			want[2] = 512 - 480
		}
		if !bytes.Equal(r, want) {
			t.Errorf("read %d: % x, want % x", i, r, want)
		}
	}
	// A BMC that answers fewer bytes than asked: an error, not garbage.
	_, errOut, code = clitest.Run(t, &spdEEPROMBMC{rom: rom, short: 10}, "spd", "0", "0xa0")
	if code == 0 || !strings.Contains(errOut, "returned 10 of 64 bytes") {
		t.Errorf("short answer: exit %d, %q", code, errOut)
	}
	for _, args := range [][]string{{"spd", "0", "0xa0", "0", "0"}, {"spd", "0", "0xa0", "0", "65"}, {"spd", "x", "0xa0"}, {"spd", "0", "256"}} {
		if _, errOut, code := clitest.Run(t, b, args...); code != cli.ExitUsage {
			t.Errorf("%v: exit %d, %q", args, code, errOut)
		}
	}
	out, _, code = clitest.Run(t, &spdEEPROMBMC{rom: rom}, "-o", "json", "spd", "0", "0xa0")
	if code != 0 || !strings.Contains(out, `"memory_type": 11`) || !strings.Contains(out, `"ddr3"`) {
		t.Errorf("json: exit %d %s", code, out)
	}
}
