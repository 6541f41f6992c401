package frucmd

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	cli "github.com/ipmictl/ipmictl/cmd/cli"
	clitest "github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/internal/peers"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/ipmi/bmcsim"
)

func spdImage(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "fru", "testdata", "spd", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestSpdMatchesIpmitool: ipmitool 1.8.19 and ipmictl read the same DIMM
// EEPROM on a simulated BMC and print the same lines (and the same
// failure for a device that does not answer).
func TestSpdMatchesIpmitool(t *testing.T) {
	if testing.Short() {
		t.Skip("interop: -short")
	}
	peers.Require(t, "ipmitool")
	for _, image := range []string{"ddr3-rdimm-8g.bin", "ddr2-rdimm-1g.bin", "ddr4-rdimm-32g.bin"} {
		bmc := bmcsim.New(bmcsim.WithI2CEEPROM(spdImage(t, image)))
		srv, err := bmcsim.Serve(bmc, "127.0.0.1:0", nil)
		if err != nil {
			t.Fatal(err)
		}
		port := int(srv.Addr().Port())
		for _, args := range [][]string{{"spd", "0", "0xa0"}, {"spd", "0", "0xa0", "0", "32"}, {"spd", "0", "0xa2"}} {
			var out, errOut bytes.Buffer
			cmd := exec.Command("ipmitool", append([]string{"-I", "lanplus", "-C", "17", "-H", "127.0.0.1", "-p", strconv.Itoa(port),
				"-U", peers.AdminUser, "-P", peers.AdminPassword}, args...)...)
			cmd.Stdout, cmd.Stderr = &out, &errOut
			terr := cmd.Run()
			got, gotErr, code := clitest.RunLive(t, "127.0.0.1", port, append([]string{"-U", peers.AdminUser, "-P", peers.AdminPassword}, args...)...)
			if args[2] == "0xa0" && !strings.Contains(out.String(), " Memory Type           : ") {
				t.Errorf("%s %v: ipmitool printed no SPD: %q %q", image, args, out.String(), errOut.String())
			}
			if got != out.String() {
				t.Errorf("%s %v: stdout differs\nipmictl:\n%s\nipmitool:\n%s", image, args, got, out.String())
			}
			if (code != 0) != (terr != nil) {
				t.Errorf("%s %v: ipmictl exit %d (%s), ipmitool %v (%s)", image, args, code, gotErr, terr, errOut.String())
			}
			if terr != nil && !strings.Contains(gotErr, "NAK on Write") {
				t.Errorf("%s %v: stderr %q lacks the reason ipmitool gives (%q)", image, args, gotErr, errOut.String())
			}
		}
		srv.Close()
	}
}

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
	rom := spdImage(t, "ddr3-rdimm-8g.bin")[:256]
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
