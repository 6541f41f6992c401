package eventcmd

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/ipmi"
)

// The golden event_*.txt files are what ipmitool 1.8.19 printed for the
// same commands against ipmi_sim 2.0.33 (whose SDRs are
// testdata/sdr/ipmi_sim.sdr and whose CPU1 Temp thresholds and hysteresis
// the fake BMC below answers).

// eventLANChannel is ipmi_sim's Get Channel Info for channel 0Eh over LAN:
// channel 1, 802.3 LAN, IPMB-1.0, multi-session.
var eventLANChannel = []byte{0x01, 0x04, 0x01, 0x81, 0xf2, 0x1b, 0x00, 0x00, 0x00}

func eventFakeBMC() *clitest.FakeBMC {
	return clitest.NewFakeBMC().
		On(ipmi.NetFnApp, 0x42, 0, eventLANChannel...).
		On(ipmi.NetFnSensorEvent, 0x02, 0).
		On(ipmi.NetFnSensorEvent, 0x27, 0, 0x38, 0x00, 0x00, 0x00, 0x55, 0x5a, 0x5f).
		On(ipmi.NetFnSensorEvent, 0x25, 0, 0x02, 0x02)
}

// eventSent returns the data of every request with netfn/cmd.
func eventSent(b *clitest.FakeBMC, netfn ipmi.NetFn, cmd uint8) [][]byte {
	b.Mu.Lock()
	defer b.Mu.Unlock()
	var out [][]byte
	for _, r := range b.Sent {
		if r.NetFn == netfn && r.Cmd == cmd {
			out = append(out, r.Data)
		}
	}
	return out
}

func eventSDRFile(t *testing.T) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join(clitest.TestdataDir(), "sdr", "ipmi_sim.sdr"))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestEventSamplesSendIpmitoolsBytes(t *testing.T) {
	for _, c := range []struct {
		args   []string
		golden string
		data   []byte
	}{
		{[]string{"event", "1"}, "event_1.txt", []byte{0x04, 0x01, 0x30, 0x01, 0x09, 0xff, 0xff}},
		{[]string{"event", "2"}, "event_2.txt", []byte{0x04, 0x02, 0x60, 0x01, 0x02, 0xff, 0xff}},
		{[]string{"event", "3"}, "event_3.txt", []byte{0x04, 0x0c, 0x53, 0x6f, 0x00, 0xff, 0xff}},
		{[]string{"-v", "event", "1"}, "event_v_1.txt", []byte{0x04, 0x01, 0x30, 0x01, 0x09, 0xff, 0xff}},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			b := eventFakeBMC()
			out, errOut, code := clitest.Run(t, b, append([]string{"--sdr-cache", "off"}, c.args...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if want := clitest.Golden(t, c.golden); out != want {
				t.Errorf("output differs from ipmitool's\n got: %q\nwant: %q", out, want)
			}
			if got := eventSent(b, ipmi.NetFnApp, 0x42); len(got) != 1 || !bytes.Equal(got[0], []byte{0x0e}) {
				t.Errorf("Get Channel Info requests % x, want one for channel 0Eh", got)
			}
			if got := eventSent(b, ipmi.NetFnSensorEvent, 0x02); len(got) != 1 || !bytes.Equal(got[0], c.data) {
				t.Errorf("Platform Event data % x, want % x", got, c.data)
			}
		})
	}
}

func TestEventThroughSystemInterfaceCarriesGeneratorID(t *testing.T) {
	b := eventFakeBMC().On(ipmi.NetFnApp, 0x42, 0, 0x0f, 0x0c, 0x05, 0x00, 0xf2, 0x1b, 0x00, 0x00, 0x00)
	if _, errOut, code := clitest.Run(t, b, "--sdr-cache", "off", "event", "3"); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	want := []byte{0x41, 0x04, 0x0c, 0x53, 0x6f, 0x00, 0xff, 0xff}
	if got := eventSent(b, ipmi.NetFnSensorEvent, 0x02); len(got) != 1 || !bytes.Equal(got[0], want) {
		t.Errorf("Platform Event data % x, want % x", got, want)
	}
}

func TestEventUnknownChannelSendsNothing(t *testing.T) {
	for _, c := range []struct {
		code ipmi.CompletionCode
		said string
	}{
		{ipmi.CodeInvalidCommand, "Get Channel Info command failed: Invalid command\n"},
		{ipmi.CodeInvalidDataField, ""}, // ipmitool says nothing for CCh
	} {
		b := eventFakeBMC().On(ipmi.NetFnApp, 0x42, c.code)
		out, errOut, code := clitest.Run(t, b, "--sdr-cache", "off", "event", "1")
		if code != cli.ExitBMC || out != "Sending SAMPLE event: Temperature - Upper Critical - Going High\n" {
			t.Errorf("cc %v: exit %d, stdout %q", c.code, code, out)
		}
		if !strings.HasPrefix(errOut, c.said) || !strings.Contains(errOut, "Failed to send the platform event via an unknown channel") {
			t.Errorf("cc %v: stderr %q", c.code, errOut)
		}
		if got := eventSent(b, ipmi.NetFnSensorEvent, 0x02); len(got) != 0 {
			t.Errorf("cc %v: sent a platform event % x", c.code, got)
		}
	}
}

func TestEventRefusedExitsOneAfterPrinting(t *testing.T) {
	b := eventFakeBMC().On(ipmi.NetFnSensorEvent, 0x02, ipmi.CodeInvalidCommand)
	out, errOut, code := clitest.Run(t, b, "--sdr-cache", "off", "event", "2")
	if code != cli.ExitBMC || out != clitest.Golden(t, "event_2.txt") {
		t.Errorf("exit %d, stdout %q", code, out)
	}
	if !strings.Contains(errOut, "Platform Event Message command failed: Invalid command") {
		t.Errorf("stderr %q", errOut)
	}
}

func TestEventFromThresholdSensor(t *testing.T) {
	sdrFile := eventSDRFile(t)
	for _, c := range []struct {
		args   []string
		golden string
		data   []byte
	}{
		// Captured from ipmitool -vvv on ipmi_sim (thresholds 55/5a/5f,
		// hysteresis 2/2).
		{[]string{"CPU1 Temp", "unc"}, "event_cpu1_unc.txt", []byte{0x04, 0x01, 0x01, 0x01, 0x57, 0x57, 0x55}},
		{[]string{"CPU1 Temp", "ucr", "deassert"}, "event_cpu1_ucr_deassert.txt", []byte{0x04, 0x01, 0x01, 0x81, 0x58, 0x58, 0x5a}},
		{[]string{"CPU1 Temp", "lnc"}, "", []byte{0x04, 0x01, 0x01, 0x01, 0x50, 0x00, 0x00}},
		{[]string{"CPU1 Temp", "lcr", "deassert"}, "", []byte{0x04, 0x01, 0x01, 0x81, 0x53, 0x02, 0x00}},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			b := eventFakeBMC()
			out, errOut, code := clitest.Run(t, b, append([]string{"-S", sdrFile, "event"}, c.args...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if c.golden != "" && out != clitest.Golden(t, c.golden) {
				t.Errorf("output differs from ipmitool's\n got: %q\nwant: %q", out, clitest.Golden(t, c.golden))
			}
			if got := eventSent(b, ipmi.NetFnSensorEvent, 0x27); len(got) != 1 || !bytes.Equal(got[0], []byte{0x01}) {
				t.Errorf("Get Sensor Thresholds requests % x", got)
			}
			if got := eventSent(b, ipmi.NetFnSensorEvent, 0x25); len(got) != 1 || !bytes.Equal(got[0], []byte{0x01, 0xff}) {
				t.Errorf("Get Sensor Hysteresis requests % x", got)
			}
			if got := eventSent(b, ipmi.NetFnSensorEvent, 0x02); len(got) != 1 || !bytes.Equal(got[0], c.data) {
				t.Errorf("Platform Event data % x, want % x", got, c.data)
			}
		})
	}
	// Without hysteresis the trigger is one count past the threshold.
	b := eventFakeBMC().On(ipmi.NetFnSensorEvent, 0x25, ipmi.CodeInvalidCommand)
	if _, errOut, code := clitest.Run(t, b, "-S", sdrFile, "event", "CPU1 Temp", "unc"); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if got := eventSent(b, ipmi.NetFnSensorEvent, 0x02); len(got) != 1 || !bytes.Equal(got[0], []byte{0x04, 0x01, 0x01, 0x01, 0x57, 0x56, 0x55}) {
		t.Errorf("Platform Event data % x", got)
	}
	// Thresholds the BMC will not give stop the event.
	b = eventFakeBMC().On(ipmi.NetFnSensorEvent, 0x27, ipmi.CodeInvalidCommand)
	if _, errOut, code := clitest.Run(t, b, "-S", sdrFile, "event", "CPU1 Temp", "unc"); code != cli.ExitBMC ||
		!strings.Contains(errOut, "Command Get Sensor Thresholds failed: Invalid command") {
		t.Errorf("exit %d: %s", code, errOut)
	}
	if got := eventSent(b, ipmi.NetFnSensorEvent, 0x02); len(got) != 0 {
		t.Errorf("sent % x without thresholds", got)
	}
}

func TestEventFromDiscreteSensorAndLists(t *testing.T) {
	sdrFile := eventSDRFile(t)
	b := eventFakeBMC()
	out, errOut, code := clitest.Run(t, b, "-S", sdrFile, "event", "PSU1 Status", "failure DETECTED", "deassert")
	if code != 0 || out != clitest.Golden(t, "event_psu1_failure_deassert.txt") {
		t.Errorf("exit %d %s\n got: %q", code, errOut, out)
	}
	if got := eventSent(b, ipmi.NetFnSensorEvent, 0x02); len(got) != 1 || !bytes.Equal(got[0], []byte{0x04, 0x08, 0x0c, 0xef, 0x01, 0xff, 0xff}) {
		t.Errorf("Platform Event data % x", got)
	}
	for _, c := range []struct {
		args   []string
		golden string
	}{
		{[]string{"CPU1 Temp", "list"}, "event_cpu1_list.txt"},
		{[]string{"CPU1 Temp"}, "event_cpu1_list.txt"},
		{[]string{"PSU1 Status", "list"}, "event_psu1_list.txt"},
		{[]string{"PSU1 Status", "LIST"}, "event_psu1_list.txt"},
		{[]string{"PSU1 Status"}, "event_psu1_list.txt"},
	} {
		b := eventFakeBMC()
		out, errOut, code := clitest.Run(t, b, append([]string{"-S", sdrFile, "event"}, c.args...)...)
		if code != 0 || out != clitest.Golden(t, c.golden) {
			t.Errorf("%q: exit %d %s\n got: %q\nwant: %q", c.args, code, errOut, out, clitest.Golden(t, c.golden))
		}
		if len(b.Sent) != 0 {
			t.Errorf("%q: listing sent %d requests", c.args, len(b.Sent))
		}
	}
}

func TestEventSensorErrors(t *testing.T) {
	sdrFile := eventSDRFile(t)
	for _, c := range []struct {
		args []string
		exit int
		out  string
		err  string
	}{
		{[]string{"Nope", "unc"}, cli.ExitBMC, "Finding sensor Nope... not found!\n", `sensor "Nope" not found`},
		{[]string{"BMC", "unc"}, cli.ExitBMC, "Finding sensor BMC... ok\n", "Unknown sensor type for id 'BMC'"},
		{[]string{"PSU1 Status", "bogus"}, cli.ExitBMC, "Finding sensor PSU1 Status... ok\n", "Unable to find matching event offset for 'bogus'"},
		{[]string{"CPU1 Temp", "UNC"}, cli.ExitUsage, "Finding sensor CPU1 Temp... ok\n", "Invalid threshold identifier UNC"},
		{[]string{"CPU1 Temp", "unc", "sideways"}, cli.ExitUsage, "", "Invalid event direction sideways.  Must be 'assert' or 'deassert'"},
	} {
		b := eventFakeBMC()
		out, errOut, code := clitest.Run(t, b, append([]string{"-S", sdrFile, "event"}, c.args...)...)
		if code != c.exit || out != c.out || !strings.Contains(errOut, c.err) {
			t.Errorf("%q: exit %d, stdout %q, stderr %q", c.args, code, out, errOut)
		}
		if got := eventSent(b, ipmi.NetFnSensorEvent, 0x02); len(got) != 0 {
			t.Errorf("%q: sent % x", c.args, got)
		}
	}
}

func TestEventFileSendsEachGoodLine(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "events")
	content := "  # comment only\n" +
		"0x04 0x01 zz 0x01 0x09\n" + // bad token
		"0x04 0x01\t0x30 0x01 0x09 0xff 0xff\n" + // a tab is not a separator
		"0x04 0x02 0x60\n" + // short
		"\n" +
		"4 2 0x60 1 2 255 0377 0x33 # extra byte ignored\r\n" +
		"0x04 0x0c 0x53 0x6f 0x00 0xff 0xff\n"
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	b := eventFakeBMC()
	out, errOut, code := clitest.Run(t, b, "--sdr-cache", "off", "event", "file", path)
	if code != 0 {
		t.Errorf("exit %d (a later good event clears the bad token, as in ipmitool)", code)
	}
	wantErr := "Invalid token in file: [zz]\nInvalid Event: 04010000000000\n" +
		"Invalid token in file: [0x01\t0x30]\nInvalid Event: 04000000000000\nInvalid Event: 04026000000000\n"
	if errOut != wantErr {
		t.Errorf("stderr %q\nwant %q", errOut, wantErr)
	}
	wantOut := "   0 |  Pre-Init  |0000000000| Voltage #0x60 | Lower Critical going low  | Asserted\n" +
		"   0 |  Pre-Init  |0000000000| Memory #0x53 | Correctable ECC | Asserted\n"
	if out != wantOut {
		t.Errorf("stdout %q", out)
	}
	got := eventSent(b, ipmi.NetFnSensorEvent, 0x02)
	want := [][]byte{{0x04, 0x02, 0x60, 0x01, 0x02, 0xff, 0xff}, {0x04, 0x0c, 0x53, 0x6f, 0x00, 0xff, 0xff}}
	if fmt.Sprintf("% x", got) != fmt.Sprintf("% x", want) {
		t.Errorf("sent % x, want % x", got, want)
	}

	// A bad token on the last line fails the run; a refused event stops it.
	if err := os.WriteFile(path, []byte("4 1 0x30 1 9 0xff 0xff\n4 1 zz\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, code := clitest.Run(t, eventFakeBMC(), "--sdr-cache", "off", "event", "file", path); code != cli.ExitBMC {
		t.Errorf("bad last line: exit %d", code)
	}
	if err := os.WriteFile(path, []byte("4 1 0x30 1 9 0xff 0xff\n4 2 0x60 1 2 0xff 0xff\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	b = eventFakeBMC().On(ipmi.NetFnSensorEvent, 0x02, ipmi.CodeInsufficientPrivilege)
	if out, _, code := clitest.Run(t, b, "--sdr-cache", "off", "event", "file", path); code != cli.ExitBMC || strings.Count(out, "\n") != 1 {
		t.Errorf("refused: exit %d, stdout %q", code, out)
	}
	if n := len(eventSent(b, ipmi.NetFnSensorEvent, 0x02)); n != 1 {
		t.Errorf("refused: %d events sent after the first was refused", n)
	}
	if _, errOut, code := clitest.Run(t, eventFakeBMC(), "event", "file", filepath.Join(dir, "missing")); code != cli.ExitBMC ||
		!strings.Contains(errOut, "does not exist") {
		t.Errorf("missing file: exit %d %s", code, errOut)
	}
}

func TestEventJSON(t *testing.T) {
	b := eventFakeBMC()
	out, errOut, code := clitest.Run(t, b, "-S", eventSDRFile(t), "-o", "json", "event", "CPU1 Temp", "ucr", "deassert")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got struct {
		Events []struct {
			Sensor      string `json:"sensor"`
			State       string `json:"state"`
			Direction   string `json:"direction"`
			Offset      int    `json:"offset"`
			Description string `json:"description"`
			EventData   []int  `json:"event_data"`
			RequestData []int  `json:"request_data"`
			Sent        bool   `json:"sent"`
		} `json:"events"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(got.Events) != 1 {
		t.Fatalf("%s", out)
	}
	e := got.Events[0]
	if e.Sensor != "CPU1 Temp" || e.State != "ucr" || e.Direction != "Deasserted" || e.Offset != 8 ||
		e.Description != "Upper Critical going low" || fmt.Sprint(e.EventData) != "[88 88 90]" ||
		fmt.Sprint(e.RequestData) != "[4 1 1 129 88 88 90]" || !e.Sent {
		t.Errorf("%+v", e)
	}
	out, _, code = clitest.Run(t, eventFakeBMC(), "-S", eventSDRFile(t), "-o", "json", "event", "PSU1 Status", "list")
	var list struct {
		Events    []any       `json:"events"`
		Sensor    string      `json:"sensor"`
		States    []string    `json:"states"`
		Shortcuts [][2]string `json:"shortcuts"`
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil || code != 0 {
		t.Fatalf("exit %d %v\n%s", code, err, out)
	}
	if list.Sensor != "PSU1 Status" || len(list.States) != 8 || list.States[1] != "Failure detected" || list.Events == nil || list.Shortcuts != nil {
		t.Errorf("%+v", list)
	}
}

func TestEventHelpNeedsNoBMC(t *testing.T) {
	for _, args := range [][]string{{"event"}, {"event", "help"}, {"event", "file"}} {
		out, errOut, code := clitest.Run(t, nil, args...)
		if code != 0 || !strings.Contains(out, "usage: event <sensorid> <state> [event_dir]") {
			t.Errorf("%q: exit %d %q %q", args, code, out, errOut)
		}
	}
}

func TestEventDigitalShortcutsAndOffsets(t *testing.T) {
	for _, c := range []struct {
		word string
		off  uint8
	}{{"present", 1}, {"ABSENT", 0}, {"on", 1}, {"off", 0}, {"nofail", 0}, {"Up", 1}} {
		if off, ok := eventDigitalOffset(c.word); !ok || off != c.off {
			t.Errorf("%s: %d %v", c.word, off, ok)
		}
	}
	if _, ok := eventDigitalOffset("sideways"); ok {
		t.Error("sideways is no shortcut")
	}
	// Qualified rows count too: Config Error: Vendor Mismatch is offset 6
	// of a power supply; sensor type 0 answers 0 unseen, as in ipmitool.
	if off, ok := eventFindOffset(0x08, 0x6f, "config error: vendor mismatch"); !ok || off != 6 {
		t.Errorf("vendor mismatch: %d %v", off, ok)
	}
	if off, ok := eventFindOffset(0x00, 0x6f, "anything"); !ok || off != 0 {
		t.Errorf("sensor type 0: %d %v", off, ok)
	}
	// A generic state needs its text exactly, trailing space included.
	if off, ok := eventFindOffset(0x01, 0x07, "Transition to Critical from less severe"); !ok || off != 2 {
		t.Errorf("severity: %d %v", off, ok)
	}
}

func TestEventParseByteIsStr2uchar(t *testing.T) {
	for s, want := range map[string]int{
		"0": 0, "255": 255, "0xff": 255, "0XfF": 255, "0377": 255, "010": 8, "+7": 7, "-0": 0, " 12": 12,
		"256": -1, "0x100": -1, "-1": -1, "08": -1, "0x": -1, "1a": -1, "": -1, "12 ": -1, "\t": -1, "0b1": -1,
	} {
		v, ok := cli.ParseByte(s)
		if (want < 0) == ok || (ok && int(v) != want) {
			t.Errorf("%q: %d %v, want %d", s, v, ok, want)
		}
	}
}

// ipmitool -c prints the event line in its SEL CSV form, the rest as is.
func TestEventCSVMatchesIpmitool(t *testing.T) {
	out, errOut, code := clitest.Run(t, eventFakeBMC(), "--sdr-cache", "off", "-c", "event", "1")
	want := "Sending SAMPLE event: Temperature - Upper Critical - Going High\n" +
		"0, Pre-Init ,0000000000,Temperature #0x30,Upper Critical going high,Asserted\n"
	if code != 0 || out != want {
		t.Errorf("exit %d %s\n got: %q\nwant: %q", code, errOut, out, want)
	}
	out, _, code = clitest.Run(t, eventFakeBMC(), "-S", eventSDRFile(t), "-c", "event", "CPU1 Temp", "ucr", "deassert")
	want = "Finding sensor CPU1 Temp... ok\n0, Pre-Init ,0000000000,Temperature #0x01,Upper Critical going low ,Deasserted\n"
	if code != 0 || out != want {
		t.Errorf("exit %d\n got: %q\nwant: %q", code, out, want)
	}
}

// eventSilentBMC never answers.
type eventSilentBMC struct{}

func (eventSilentBMC) Send(ctx context.Context, req *ipmi.Request) (*ipmi.Response, error) {
	return nil, fmt.Errorf("rmcp: no answer after 3 tries")
}
func (eventSilentBMC) Close() error { return nil }

func TestEventWithoutAnswerIsNotAChannelQuestion(t *testing.T) {
	if _, errOut, code := clitest.Run(t, nil, "event", "1"); code != cli.ExitConnection {
		t.Errorf("no BMC: exit %d %s", code, errOut)
	}
	_, errOut, code := clitest.Run(t, eventSilentBMC{}, "--sdr-cache", "off", "event", "1")
	if code == 0 || strings.Contains(errOut, "unknown channel") || !strings.Contains(errOut, "no answer") {
		t.Errorf("silent BMC: exit %d %q", code, errOut)
	}
}
