package channelcmd

import (
	"context"
	"strings"
	"testing"

	cli "github.com/ipmictl/ipmictl/cmd/cli"
	clitest "github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/internal/peers"
	"github.com/ipmictl/ipmictl/ipmi"
)

// The administration commands print exactly what ipmitool 1.8.19 prints
// for the same BMC, over IPMI 2.0 and 1.5, in text and -c forms.
func TestInteropAdminTextMatchesIpmitool(t *testing.T) {
	if testing.Short() {
		t.Skip("interop: -short")
	}
	peers.Require(t, "ipmi_sim", "ipmitool")
	sim := peers.StartIPMISim(t)
	commands := [][]string{
		{"user", "list"}, {"user", "list", "1"}, {"user", "summary"}, {"user", "summary", "1"},
		{"lan", "print"}, {"lan", "print", "1"},
		{"channel", "info"}, {"channel", "info", "1"}, {"channel", "info", "0"}, {"channel", "info", "15"},
		{"channel", "getciphers", "ipmi", "1"}, {"channel", "getciphers", "sol"},
		{"channel", "getaccess", "1", "2"}, {"channel", "getaccess", "1"},
		{"session", "info", "active"}, {"session", "info", "all"},
		{"-c", "user", "list", "1"}, {"-c", "user", "summary"}, {"-c", "channel", "getciphers", "ipmi", "1"},
		{"-c", "session", "info", "active"}, {"-c", "lan", "print", "1"}, {"-c", "channel", "info", "1"},
	}
	for _, iface := range []string{"lanplus", "lan"} {
		for _, c := range commands {
			t.Run(iface+" "+strings.Join(c, " "), func(t *testing.T) {
				want, errs, err := clitest.IpmitoolAs(t, sim, iface, peers.AdminUser, peers.AdminPassword, c...)
				if err != nil {
					t.Fatalf("ipmitool: %v %s", err, errs)
				}
				args := append([]string{"-I", iface, "-U", peers.AdminUser, "-P", peers.AdminPassword}, c...)
				got, errOut, code := clitest.RunLive(t, sim.Host, sim.Port, args...)
				if code != 0 {
					t.Fatalf("exit %d: %s", code, errOut)
				}
				if got != want {
					t.Errorf("ipmictl and ipmitool differ\nipmictl:  %q\nipmitool: %q", got, want)
				}
			})
		}
	}
}

// Access changed with ipmictl channel setaccess is what ipmitool reads.
func TestInteropSetaccessSeenByIpmitool(t *testing.T) {
	if testing.Short() {
		t.Skip("interop: -short")
	}
	peers.Require(t, "ipmi_sim", "ipmitool")
	sim := peers.StartIPMISim(t)
	cred := []string{"-U", peers.AdminUser, "-P", peers.AdminPassword}
	run := func(args ...string) string {
		t.Helper()
		out, errOut, code := clitest.RunLive(t, sim.Host, sim.Port, append(cred, args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d %s", args, code, errOut)
		}
		return out
	}
	if out := run("channel", "setaccess", "1", "4", "privilege=OPERATOR", "ipmi=off"); out != "Set User Access (channel 1 id 4) successful.\n" {
		t.Errorf("setaccess said %q", out)
	}
	got, errs, err := peers.Ipmitool(t, sim, "channel", "getaccess", "1", "4")
	if err != nil {
		t.Fatalf("ipmitool: %v %s", err, errs)
	}
	for _, want := range []string{"IPMI Messaging       : disabled", "Privilege Level      : OPERATOR", "User Name            : user"} {
		if !strings.Contains(got, want) {
			t.Errorf("ipmitool getaccess lacks %q:\n%s", want, got)
		}
	}
	run("channel", "setaccess", "1", "4", "ipmi=on", "privilege=4")
	got, _, _ = peers.Ipmitool(t, sim, "channel", "getaccess", "1", "4")
	if !strings.Contains(got, "IPMI Messaging       : enabled") || !strings.Contains(got, "Privilege Level      : ADMINISTRATOR") {
		t.Errorf("after re-enabling:\n%s", got)
	}
	// A bad option is refused before anything is sent.
	if _, errOut, code := clitest.RunLive(t, sim.Host, sim.Port, append(cred, "channel", "setaccess", "1", "4", "ipmi=maybe")...); code != cli.ExitUsage {
		t.Errorf("bad option: exit %d %s", code, errOut)
	}
}

// cipherListBMC serves a cipher suite record list in 16-byte chunks.
type cipherListBMC struct{ recs []byte }

func (b *cipherListBMC) Send(_ context.Context, r *ipmi.Request) (*ipmi.Response, error) {
	if r.NetFn != ipmi.NetFnApp || r.Cmd != ipmi.CmdGetChannelCipherSuites {
		return &ipmi.Response{Code: ipmi.CodeInvalidCommand}, nil
	}
	i := int(r.Data[2]&0x3F) * 16
	if i > len(b.recs) {
		return &ipmi.Response{Code: ipmi.CodeParameterOutOfRange}, nil
	}
	return &ipmi.Response{Data: append([]byte{1}, b.recs[i:min(i+16, len(b.recs))]...)}, nil
}

func (b *cipherListBMC) Close() error { return nil }

// ipmitool 1.8.19 prints at most 12 suites; ipmictl prints the same text
// and says on stderr how many it left out; JSON has them all.
func TestChannelGetciphersTwelveAndNote(t *testing.T) {
	b := &cipherListBMC{}
	for id := byte(0); id < 18; id++ {
		b.recs = append(b.recs, 0xC0, id, 0x01, 0x41, 0x81)
	}
	b.recs = append(b.recs, 0xC1, 0x80, 0xA2, 0x02, 0x00, 0x03, 0x44, 0x81)
	out, errOut, code := clitest.Run(t, b, "channel", "getciphers", "ipmi", "1")
	if code != 0 || strings.Count(out, "\n") != 13 || !strings.Contains(out, "11   N/A     hmac_sha1       hmac_sha1_96    aes_cbc_128    \n") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	if !strings.Contains(errOut, "7 more cipher suite(s) not shown") {
		t.Errorf("stderr %q", errOut)
	}
	out, _, _ = clitest.Run(t, b, "-o", "json", "channel", "getciphers", "ipmi", "1")
	if strings.Count(out, `"id":`) != 19 || !strings.Contains(out, `"iana": 674`) || !strings.Contains(out, `"integrity_alg": "sha256_128"`) {
		t.Errorf("json:\n%s", out)
	}
}
