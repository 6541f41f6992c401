package lancmd

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/ipmi"
)

// lanParamBMC answers Get Channel Info (channel 1 is LAN) and Get LAN
// Configuration Parameters from a table of parameter data (revision byte
// added); parameters not in the table get 0x80.
type lanParamBMC struct {
	mu     sync.Mutex
	params map[uint8][]byte
	codes  map[uint8]ipmi.CompletionCode
}

func (b *lanParamBMC) Send(_ context.Context, r *ipmi.Request) (*ipmi.Response, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch {
	case r.NetFn == ipmi.NetFnApp && r.Cmd == ipmi.CmdGetChannelInfo:
		if r.Data[0]&0x0F == 1 {
			return &ipmi.Response{Data: []byte{1, 4, 1, 0x81, 0xf2, 0x1b, 0, 0, 0}}, nil
		}
		return &ipmi.Response{Data: []byte{r.Data[0] & 0x0F, 1, 1, 0, 0xf2, 0x1b, 0, 0, 0}}, nil
	case r.NetFn == ipmi.NetFnTransport && r.Cmd == ipmi.CmdGetLANConfig:
		if c, ok := b.codes[r.Data[1]]; ok {
			return &ipmi.Response{Code: c}, nil
		}
		if d, ok := b.params[r.Data[1]]; ok {
			return &ipmi.Response{Data: append([]byte{0x11}, d...)}, nil
		}
		return &ipmi.Response{Code: ipmi.CodeParameterNotSupported}, nil
	}
	return &ipmi.Response{Code: ipmi.CodeInvalidCommand}, nil
}

func (b *lanParamBMC) Close() error { return nil }

// An AMI-style BMC that supports every parameter lan print shows (after
// the sample in ipmitool issue #283).
func lanFullBMC() *lanParamBMC {
	return &lanParamBMC{params: map[uint8][]byte{
		0: {0}, 1: {0x04}, 2: {4, 4, 4, 4, 4}, 3: {10, 82, 113, 116}, 4: {1},
		5: {0xa0, 0x42, 0x3f, 0x3d, 0x96, 0xbe}, 6: {255, 255, 255, 0}, 7: {0x40, 0x40, 0x10},
		10: {0x02}, 11: {0}, 12: {10, 82, 113, 1}, 13: {0, 0, 0, 0, 0, 0}, 14: {0, 0, 0, 0},
		15: {0, 0, 0, 0, 0, 0}, 16: append([]byte("AMI"), make([]byte, 15)...), 20: {0xf5, 0x83}, 21: {0},
		22: {12}, 23: {0, 0, 1, 2, 3, 6, 7, 8, 11, 12, 15, 16, 17},
		24: {0, 0x00, 0x04, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00},
	}}
}

const lanFullText = `Set in Progress         : Set Complete
Auth Type Support       : MD5 
Auth Type Enable        : Callback : MD5 
                        : User     : MD5 
                        : Operator : MD5 
                        : Admin    : MD5 
                        : OEM      : MD5 
IP Address Source       : Static Address
IP Address              : 10.82.113.116
Subnet Mask             : 255.255.255.0
MAC Address             : a0:42:3f:3d:96:be
SNMP Community String   : AMI
IP Header               : TTL=0x40 Flags=0x40 Precedence=0x00 TOS=0x10
BMC ARP Control         : ARP Responses Enabled, Gratuitous ARP Disabled
Gratituous ARP Intrvl   : 0.0 seconds
Default Gateway IP      : 10.82.113.1
Default Gateway MAC     : 00:00:00:00:00:00
Backup Gateway IP       : 0.0.0.0
Backup Gateway MAC      : 00:00:00:00:00:00
802.1q VLAN ID          : 1013
802.1q VLAN Priority    : 0
RMCP+ Cipher Suites     : 0,1,2,3,6,7,8,11,12,15,16,17
Cipher Suite Priv Max   : XXaXXXXXXXaXXXX
                        :     X=Cipher Suite Unused
                        :     c=CALLBACK
                        :     u=USER
                        :     o=OPERATOR
                        :     a=ADMIN
                        :     O=OEM
Bad Password Threshold  : Not Available
`

func TestLanPrintEveryParameter(t *testing.T) {
	out, errOut, code := clitest.Run(t, lanFullBMC(), "lan", "print", "1")
	if code != 0 || out != lanFullText {
		t.Errorf("exit %d %s\n got: %q\nwant: %q", code, errOut, out, lanFullText)
	}
	// Bad password threshold present, GARP 2 s, VLAN off, no suite list.
	b := lanFullBMC()
	b.params[26] = []byte{1, 3, 6, 0, 0x2c, 1}
	b.params[11] = []byte{3}
	b.params[20] = []byte{0xf5, 0x03}
	b.params[23] = make([]byte, 20)
	out, _, _ = clitest.Run(t, b, "lan", "print")
	for _, want := range []string{
		"Gratituous ARP Intrvl   : 2.0 seconds\n", "802.1q VLAN ID          : Disabled\n",
		"RMCP+ Cipher Suites     : None\n", "Bad Password Threshold  : 3\n", "Invalid password disable: yes\n",
		"Attempt Count Reset Int.: 60\n", "User Lockout Interval   : 3000\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	// A real failure (not "unsupported") stops the listing with exit 1
	// after the lines read so far, as ipmitool does.
	b = lanFullBMC()
	b.codes = map[uint8]ipmi.CompletionCode{6: ipmi.CodeNodeBusy}
	out, errOut, code = clitest.Run(t, b, "lan", "print", "1")
	if code != cli.ExitBMC || !strings.HasSuffix(out, "IP Address              : 10.82.113.116\n") || !strings.Contains(errOut, "Node busy") {
		t.Errorf("busy: exit %d out %q err %q", code, out, errOut)
	}
	if _, errOut, code := clitest.Run(t, lanFullBMC(), "lan", "print", "2"); code != cli.ExitBMC || !strings.Contains(errOut, "not a LAN channel") {
		t.Errorf("channel 2: exit %d %s", code, errOut)
	}
	out, _, _ = clitest.Run(t, lanFullBMC(), "-o", "json", "lan", "print")
	if !strings.Contains(out, `"mac_address": "a0:42:3f:3d:96:be"`) || !strings.Contains(out, `"ip_address": "10.82.113.116"`) {
		t.Errorf("json:\n%s", out)
	}
}

func TestLanSetArgumentsCheckedOffline(t *testing.T) {
	for _, args := range [][]string{
		{"1", "ipaddr", "10.0.0.300"}, {"1", "macaddr", "zz:00:00:00:00:00"}, {"1", "vlan", "id", "4095"},
		{"1", "vlan", "priority", "8"}, {"1", "cipher_privs", "XXXa"}, {"1", "cipher_privs", "XXXaXXXXXXXXXXq"},
		{"1", "auth", "admin", "sha1"}, {"1", "arp", "interval", "0"}, {"1", "ipsrc", "magic"}, {"1", "frobnicate"},
		{"16", "ipaddr", "10.0.0.1"},
	} {
		if _, errOut, code := clitest.Run(t, nil, append([]string{"lan", "set"}, args...)...); code != cli.ExitUsage {
			t.Errorf("%v: exit %d %s", args, code, errOut)
		}
	}
}
