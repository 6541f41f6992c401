package chassiscmd

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/ipmi"
)

func TestTextMatchesIpmitool(t *testing.T) {
	cases := []struct {
		args   []string
		golden string
	}{
		{[]string{"mc", "info"}, "mc_info.txt"},
		{[]string{"chassis", "status"}, "chassis_status.txt"},
		{[]string{"chassis", "power", "status"}, "power_status.txt"},
		{[]string{"power", "status"}, "power_status.txt"},
		{[]string{"mc", "guid"}, "mc_guid.txt"},
		{[]string{"chassis", "bootparam", "get", "5"}, "bootparam5.txt"},
	}
	for _, c := range cases {
		t.Run(fmt.Sprint(c.args), func(t *testing.T) {
			out, errOut, code := clitest.Run(t, clitest.SimReplies(), c.args...)
			if code != 0 {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			if want := clitest.Golden(t, c.golden); out != want {
				t.Errorf("output differs from ipmitool's\n got: %q\nwant: %q", out, want)
			}
		})
	}
}

func TestChassisStatusDecodesEveryBit(t *testing.T) {
	bmc := clitest.NewFakeBMC().On(ipmi.NetFnChassis, 0x01, 0, 0x5f, 0x1f, 0x0f, 0xa5)
	out, _, code := clitest.Run(t, bmc, "chassis", "status")
	want := `System Power         : on
Power Overload       : true
Power Interlock      : active
Main Power Fault     : true
Power Control Fault  : true
Power Restore Policy : always-on
Last Power Event     : ac-failed overload interlock fault command
Chassis Intrusion    : active
Front-Panel Lockout  : active
Drive Fault          : true
Cooling/Fan Fault    : true
Sleep Button Disable : allowed
Diag Button Disable  : not allowed
Reset Button Disable : allowed
Power Button Disable : not allowed
Sleep Button Disabled: false
Diag Button Disabled : true
Reset Button Disabled: false
Power Button Disabled: true
`
	if code != 0 || out != want {
		t.Errorf("exit %d\n got: %q\nwant: %q", code, out, want)
	}
}

func TestPowerControlSendsActionAndConfirms(t *testing.T) {
	for word, action := range map[string]uint8{"on": 1, "off": 0, "cycle": 2, "reset": 3, "diag": 4, "soft": 5} {
		bmc := clitest.NewFakeBMC().On(ipmi.NetFnChassis, 0x02, 0)
		out, _, code := clitest.Run(t, bmc, "chassis", "power", word)
		if code != 0 {
			t.Fatalf("%s: exit %d", word, code)
		}
		if len(bmc.Sent) != 1 || bmc.Sent[0].Cmd != 0x02 || !bytes.Equal(bmc.Sent[0].Data, []byte{action}) {
			t.Errorf("%s: sent %+v, want Chassis Control %d", word, bmc.Sent, action)
		}
		if want := "Chassis Power Control: " + ipmi.ChassisControl(action).String() + "\n"; out != want {
			t.Errorf("%s: printed %q, want %q", word, out, want)
		}
		if !bmc.Closed {
			t.Errorf("%s: session not closed", word)
		}
	}
}

func TestCompletionCodeExitsOneAndNamesTheCode(t *testing.T) {
	bmc := clitest.NewFakeBMC().On(ipmi.NetFnChassis, 0x02, ipmi.CodeInsufficientPrivilege)
	out, errOut, code := clitest.Run(t, bmc, "chassis", "power", "off")
	if code != cli.ExitBMC || out != "" {
		t.Errorf("exit %d, stdout %q; want exit 1 and no stdout", code, out)
	}
	if want := "Set Chassis Power Control to Down/Off failed: Insufficient privilege level"; !bytes.Contains([]byte(errOut), []byte(want)) {
		t.Errorf("stderr %q lacks %q", errOut, want)
	}
}

func TestUsageErrorsExitTwoWithoutConnecting(t *testing.T) {
	for _, args := range [][]string{
		{"chassis", "power", "sideways"},
		{"chassis", "bootdev", "tape"},
		{"raw", "0x06"},
		{"raw", "0x06", "0x1ff"},
		{"--nosuchflag", "mc", "info"},
		{"nosuchcommand"},
		{"-o", "yaml", "mc", "info"},
	} {
		_, errOut, code := clitest.Run(t, nil, args...)
		if code != cli.ExitUsage {
			t.Errorf("%v: exit %d (stderr %q), want %d", args, code, errOut, cli.ExitUsage)
		}
	}
}

func TestConnectionErrorExitsThree(t *testing.T) {
	_, errOut, code := clitest.Run(t, nil, "mc", "info")
	if code != cli.ExitConnection {
		t.Errorf("exit %d, stderr %q; want 3", code, errOut)
	}
}

func TestRawPrintsSixteenBytesPerLine(t *testing.T) {
	data := make([]byte, 20)
	for i := range data {
		data[i] = byte(i)
	}
	bmc := clitest.NewFakeBMC().On(ipmi.NetFn(0x2e), 0x10, 0, data...)
	out, _, code := clitest.Run(t, bmc, "raw", "0x2e", "16", "0x0a", "01h", "010")
	want := " 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f\n 10 11 12 13\n"
	if code != 0 || out != want {
		t.Errorf("exit %d, got %q want %q", code, out, want)
	}
	// Like ipmitool's strtol(..., 0): 0x hex, h suffix hex, leading 0 octal.
	if len(bmc.Sent) != 1 || !bytes.Equal(bmc.Sent[0].Data, []byte{0x0a, 0x01, 0x08}) {
		t.Errorf("sent %+v, want data 0a 01 08", bmc.Sent)
	}
}

func TestRawCompletionErrorMatchesIpmitool(t *testing.T) {
	_, errOut, code := clitest.Run(t, clitest.NewFakeBMC(), "raw", "6", "0x99")
	want := "Unable to send RAW command (channel=0x0 netfn=0x6 lun=0x0 cmd=0x99 rsp=0xc1): Invalid command"
	if code != cli.ExitBMC || !bytes.Contains([]byte(errOut), []byte(want)) {
		t.Errorf("exit %d, stderr %q; want exit 1 and %q", code, errOut, want)
	}
}

func TestJSONHasNumbersAsNumbers(t *testing.T) {
	out, _, code := clitest.Run(t, clitest.SimReplies(), "-o", "json", "mc", "info")
	for _, want := range []string{`"manufacturer_id": 49871`, `"device_available": true`, `"firmware_revision": "2.10"`,
		`"aux_firmware_revision": [`} {
		if code != 0 || !bytes.Contains([]byte(out), []byte(want)) {
			t.Errorf("json %q lacks %q", out, want)
		}
	}
}

func TestBootdevSetsFlagsLikeIpmitool(t *testing.T) {
	bmc := clitest.NewFakeBMC().On(ipmi.NetFnChassis, 0x08, 0)
	out, _, code := clitest.Run(t, bmc, "chassis", "bootdev", "pxe", "options=persistent,efiboot")
	if code != 0 || out != "Set Boot Device to pxe\n" {
		t.Fatalf("exit %d out %q", code, out)
	}
	var flags []byte
	for _, r := range bmc.Sent {
		if r.Cmd == 0x08 && len(r.Data) > 0 && r.Data[0] == 5 {
			flags = r.Data[1:]
		}
	}
	if want := []byte{0xe0, 0x04, 0, 0, 0}; !bytes.Equal(flags, want) {
		t.Errorf("boot flags % x, want % x", flags, want)
	}
}
