package sessioncmd

import (
	"testing"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/ipmi"
)

// A session on a LAN channel carries the console's address (18 bytes);
// text and -c forms follow ipmitool's print_session_info.
func TestSessionInfoLANData(t *testing.T) {
	b := clitest.NewFakeBMC().On(ipmi.NetFnApp, ipmi.CmdGetSessionInfo, 0,
		0x02, 0x04, 0x02, 0x03, 0x04, 0x11, 192, 168, 1, 20, 0x52, 0x54, 0x00, 0xab, 0xcd, 0xef, 0x6f, 0x02)
	out, errOut, code := clitest.Run(t, b, "session", "info", "active")
	want := "session handle                : 2\nslot count                    : 4\nactive sessions               : 2\n" +
		"user id                       : 3\nprivilege level               : ADMINISTRATOR\n" +
		"session type                  : IPMIv2/RMCP+\nchannel number                : 0x01\n" +
		"console ip                    : 192.168.1.20\nconsole mac                   : 52:54:00:ab:cd:ef\n" +
		"console port                  : 623\n\n"
	if code != 0 || out != want {
		t.Errorf("exit %d %s\n got %q\nwant %q", code, errOut, out, want)
	}
	out, _, _ = clitest.Run(t, b, "-c", "session", "info", "handle", "2")
	if want := "2,4,2,3,ADMINISTRATOR,IPMIv2/RMCP+,0x01,192.168.1.20,52:54:00:ab:cd:ef,623\n"; out != want {
		t.Errorf("csv %q want %q", out, want)
	}
	if s := b.Sent[len(b.Sent)-1]; len(s.Data) != 2 || s.Data[0] != 0xFE || s.Data[1] != 2 {
		t.Errorf("by handle sent % x", s.Data)
	}
	if _, _, code := clitest.Run(t, b, "session", "info", "id"); code != cli.ExitUsage {
		t.Errorf("id without a number: exit %d", code)
	}
}
