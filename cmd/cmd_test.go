package cmd

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/ipmictl/ipmictl/ipmi"
)

// fakeBMC answers requests from a table keyed by netfn/cmd and records
// what it was sent. It is for testing the CLI's formatting against byte
// sequences captured from real BMCs; the simulated BMC covers behaviour.
type fakeBMC struct {
	mu      sync.Mutex
	replies map[[2]uint8]*ipmi.Response
	sent    []*ipmi.Request
	closed  bool
}

func newFakeBMC() *fakeBMC { return &fakeBMC{replies: map[[2]uint8]*ipmi.Response{}} }

func (b *fakeBMC) on(netfn ipmi.NetFn, cmd uint8, code ipmi.CompletionCode, data ...byte) *fakeBMC {
	b.replies[[2]uint8{uint8(netfn), cmd}] = &ipmi.Response{Code: code, Data: data}
	return b
}

func (b *fakeBMC) Send(ctx context.Context, req *ipmi.Request) (*ipmi.Response, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.sent = append(b.sent, req)
	if r, ok := b.replies[[2]uint8{uint8(req.NetFn), req.Cmd}]; ok {
		return r, nil
	}
	return &ipmi.Response{Code: ipmi.CodeInvalidCommand}, nil
}

func (b *fakeBMC) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	return nil
}

// runCLI runs ipmictl with args against t and returns stdout, stderr and
// the exit status.
func runCLI(t *testing.T, tr ipmi.Transport, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	f := NewFactory()
	f.IO = &IOStreams{In: bytes.NewReader(nil), Out: &out, ErrOut: &errOut}
	f.Open = func(ctx context.Context, _ *Factory) (ipmi.Transport, error) {
		if tr == nil {
			return nil, &ConnectionError{Err: fmt.Errorf("no BMC in this test")}
		}
		return tr, nil
	}
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	code := run(f, args)
	return out.String(), errOut.String(), code
}

func golden(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "golden", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// simReplies are ipmi_sim 2.0.33's answers (captured with ipmitool raw);
// the golden files hold what ipmitool 1.8.19 printed for the same BMC.
func simReplies() *fakeBMC {
	return newFakeBMC().
		on(ipmi.NetFnApp, 0x01, 0, 0x20, 0x01, 0x02, 0x10, 0x02, 0x9f, 0xcf, 0xc2, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00).
		on(ipmi.NetFnChassis, 0x01, 0, 0x01, 0x00, 0x00).
		on(ipmi.NetFnApp, 0x37, 0, 0x5a, 0x1b, 0x0c, 0x3d, 0xe4, 0xf6, 0x47, 0x8a, 0x9b, 0x2c, 0x3d, 0x4e, 0x5f, 0x60, 0x71, 0x82).
		on(ipmi.NetFnChassis, 0x09, 0, 0x01, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00)
}

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
			out, errOut, code := runCLI(t, simReplies(), c.args...)
			if code != 0 {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			if want := golden(t, c.golden); out != want {
				t.Errorf("output differs from ipmitool's\n got: %q\nwant: %q", out, want)
			}
		})
	}
}

func TestChassisStatusDecodesEveryBit(t *testing.T) {
	bmc := newFakeBMC().on(ipmi.NetFnChassis, 0x01, 0, 0x5f, 0x1f, 0x0f, 0xa5)
	out, _, code := runCLI(t, bmc, "chassis", "status")
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
		bmc := newFakeBMC().on(ipmi.NetFnChassis, 0x02, 0)
		out, _, code := runCLI(t, bmc, "chassis", "power", word)
		if code != 0 {
			t.Fatalf("%s: exit %d", word, code)
		}
		if len(bmc.sent) != 1 || bmc.sent[0].Cmd != 0x02 || !bytes.Equal(bmc.sent[0].Data, []byte{action}) {
			t.Errorf("%s: sent %+v, want Chassis Control %d", word, bmc.sent, action)
		}
		if want := "Chassis Power Control: " + ipmi.ChassisControl(action).String() + "\n"; out != want {
			t.Errorf("%s: printed %q, want %q", word, out, want)
		}
		if !bmc.closed {
			t.Errorf("%s: session not closed", word)
		}
	}
}

func TestCompletionCodeExitsOneAndNamesTheCode(t *testing.T) {
	bmc := newFakeBMC().on(ipmi.NetFnChassis, 0x02, ipmi.CodeInsufficientPrivilege)
	out, errOut, code := runCLI(t, bmc, "chassis", "power", "off")
	if code != ExitBMC || out != "" {
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
		_, errOut, code := runCLI(t, nil, args...)
		if code != ExitUsage {
			t.Errorf("%v: exit %d (stderr %q), want %d", args, code, errOut, ExitUsage)
		}
	}
}

func TestConnectionErrorExitsThree(t *testing.T) {
	_, errOut, code := runCLI(t, nil, "mc", "info")
	if code != ExitConnection {
		t.Errorf("exit %d, stderr %q; want 3", code, errOut)
	}
}

func TestRawPrintsSixteenBytesPerLine(t *testing.T) {
	data := make([]byte, 20)
	for i := range data {
		data[i] = byte(i)
	}
	bmc := newFakeBMC().on(ipmi.NetFn(0x2e), 0x10, 0, data...)
	out, _, code := runCLI(t, bmc, "raw", "0x2e", "16", "0x0a", "01h", "010")
	want := " 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f\n 10 11 12 13\n"
	if code != 0 || out != want {
		t.Errorf("exit %d, got %q want %q", code, out, want)
	}
	// Like ipmitool's strtol(..., 0): 0x hex, h suffix hex, leading 0 octal.
	if len(bmc.sent) != 1 || !bytes.Equal(bmc.sent[0].Data, []byte{0x0a, 0x01, 0x08}) {
		t.Errorf("sent %+v, want data 0a 01 08", bmc.sent)
	}
}

func TestRawCompletionErrorMatchesIpmitool(t *testing.T) {
	_, errOut, code := runCLI(t, newFakeBMC(), "raw", "6", "0x99")
	want := "Unable to send RAW command (channel=0x0 netfn=0x6 lun=0x0 cmd=0x99 rsp=0xc1): Invalid command"
	if code != ExitBMC || !bytes.Contains([]byte(errOut), []byte(want)) {
		t.Errorf("exit %d, stderr %q; want exit 1 and %q", code, errOut, want)
	}
}

func TestJSONHasNumbersAsNumbers(t *testing.T) {
	out, _, code := runCLI(t, simReplies(), "-o", "json", "mc", "info")
	for _, want := range []string{`"manufacturer_id": 49871`, `"device_available": true`, `"firmware_revision": "2.10"`,
		`"aux_firmware_revision": [`} {
		if code != 0 || !bytes.Contains([]byte(out), []byte(want)) {
			t.Errorf("json %q lacks %q", out, want)
		}
	}
}

func TestBootdevSetsFlagsLikeIpmitool(t *testing.T) {
	bmc := newFakeBMC().on(ipmi.NetFnChassis, 0x08, 0)
	out, _, code := runCLI(t, bmc, "chassis", "bootdev", "pxe", "options=persistent,efiboot")
	if code != 0 || out != "Set Boot Device to pxe\n" {
		t.Fatalf("exit %d out %q", code, out)
	}
	var flags []byte
	for _, r := range bmc.sent {
		if r.Cmd == 0x08 && len(r.Data) > 0 && r.Data[0] == 5 {
			flags = r.Data[1:]
		}
	}
	if want := []byte{0xe0, 0x04, 0, 0, 0}; !bytes.Equal(flags, want) {
		t.Errorf("boot flags % x, want % x", flags, want)
	}
}

func writeFile(t *testing.T, path, content string, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
}
