package selcmd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/sel"
)

// The same SEL, SDRs and FRUs ipmitool 1.8.19 printed the goldens from.
func TestSelGoldenAgainstIpmitool(t *testing.T) {
	clitest.UTC(t)
	tests := []struct {
		args   []string
		golden string
	}{
		{[]string{"sel", "list"}, "sel_list.txt"},
		{[]string{"sel", "elist"}, "sel_elist.txt"},
		{[]string{"-c", "sel", "list"}, "sel_list_csv.txt"},
		{[]string{"-c", "sel", "elist"}, "sel_elist_csv.txt"},
		{[]string{"sel", "info"}, "sel_info.txt"},
		{[]string{"sel"}, "sel_info.txt"},
		{[]string{"sel", "list", "last", "3"}, "sel_list_last3.txt"},
		{[]string{"sel", "elist", "first", "5"}, "sel_elist_first5.txt"},
		{[]string{"sel", "time", "get"}, "time.txt"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			bmc := clitest.NewSelFakeBMC(t)
			out, errOut, code := clitest.Run(t, bmc, append([]string{"--sdr-cache", "off"}, tt.args...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if want := string(clitest.SelTestdata(t, tt.golden)); out != want {
				t.Errorf("output differs from ipmitool\n got:\n%s\nwant:\n%s", out, want)
			}
		})
	}
}

// ipmitool's sel list costs Get SEL Info plus one Get SEL Entry per
// record; so does ours.
func TestSelListRoundTrips(t *testing.T) {
	bmc := clitest.NewSelFakeBMC(t)
	if _, errOut, code := clitest.Run(t, bmc, "--sdr-cache", "off", "sel", "list"); code != 0 {
		t.Fatal(errOut)
	}
	if bmc.Total != 1+len(bmc.Sel) || bmc.Count(ipmi.NetFnStorage, sel.CmdGetEntry) != len(bmc.Sel) {
		t.Errorf("%d requests for %d records: %v", bmc.Total, len(bmc.Sel), bmc.Counts)
	}
}

func TestSelJSONSeverity(t *testing.T) {
	bmc := clitest.NewSelFakeBMC(t)
	out, errOut, code := clitest.Run(t, bmc, "--sdr-cache", "off", "-o", "json", "sel", "list")
	if code != 0 {
		t.Fatal(errOut)
	}
	var got struct {
		Entries []map[string]any `json:"entries"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(got.Entries) != 11 {
		t.Fatalf("%d entries", len(got.Entries))
	}
	fan := got.Entries[3]
	if fan["severity"] != "critical" || fan["sensor_name"] != "FAN2" || fan["reading"] != 400.0 ||
		fan["threshold"] != 500.0 || fan["unit"] != "RPM" || fan["id"] != 4.0 || fan["sensor_number"] != 6.0 {
		t.Errorf("FAN2 entry %v", fan)
	}
	if oem := got.Entries[9]; oem["severity"] != "unknown" || oem["manufacturer_id"] != 49871.0 {
		t.Errorf("OEM entry %v", oem)
	}
}

func TestSelFilters(t *testing.T) {
	clitest.UTC(t)
	ids := func(args ...string) string {
		t.Helper()
		out, errOut, code := clitest.Run(t, clitest.NewSelFakeBMC(t), append([]string{"--sdr-cache", "off", "-c", "sel", "list"}, args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d %s", args, code, errOut)
		}
		var got []string
		for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
			if l != "" {
				got = append(got, strings.SplitN(l, ",", 2)[0])
			}
		}
		return strings.Join(got, " ")
	}
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--severity", "critical"}, "1 3 4 8 9"},
		{[]string{"--severity", "warning+"}, "1 3 4 5 6 8 9"},
		{[]string{"--severity", "ok,unknown"}, "2 7 a b"},
		{[]string{"--type", "fan"}, "4 5"},
		{[]string{"--sensor", "Inlet Temp"}, "6 7"},
		{[]string{"--sensor", "0x11"}, "8 9"},
		{[]string{"--since", "2026-11-23 18:00", "--severity", "critical"}, "8 9"},
		{[]string{"--severity", "critical", "last", "2"}, "8 9"},
	}
	for _, tt := range tests {
		if got := ids(tt.args...); got != tt.want {
			t.Errorf("%v: got %q, want %q", tt.args, got, tt.want)
		}
	}
	if _, _, code := clitest.Run(t, clitest.NewSelFakeBMC(t), "sel", "list", "--severity", "bad"); code != cli.ExitUsage {
		t.Errorf("bad severity: exit %d", code)
	}
	if _, _, code := clitest.Run(t, clitest.NewSelFakeBMC(t), "sel", "list", "middle", "3"); code != cli.ExitUsage {
		t.Errorf("bad list option: exit %d", code)
	}
}

func TestSelDateFormats(t *testing.T) {
	clitest.UTC(t)
	out, _, _ := clitest.Run(t, clitest.NewSelFakeBMC(t), "sel", "list", "first", "1", "--date-format", "1.8.18")
	if !strings.Contains(out, " | 11/21/2026 | ") || strings.Contains(out, "UTC") {
		t.Errorf("1.8.18 dates: %q", out)
	}
	out, _, _ = clitest.Run(t, clitest.NewSelFakeBMC(t), "sel", "list", "first", "1", "--date-format", "iso8601")
	if !strings.Contains(out, " | 2026-11-21 | ") {
		t.Errorf("iso dates: %q", out)
	}
}

func TestSelRawFilesRoundTrip(t *testing.T) {
	clitest.UTC(t)
	dir := t.TempDir()
	raw := filepath.Join(dir, "sel.raw")
	out, errOut, code := clitest.Run(t, clitest.NewSelFakeBMC(t), "sel", "writeraw", raw)
	if code != 0 || out != string(clitest.SelTestdata(t, "sel_list.txt")) {
		t.Fatalf("writeraw: %d %s\n%s", code, errOut, out)
	}
	b, _ := os.ReadFile(raw)
	if string(b) != string(clitest.SelTestdata(t, "sel.raw")) {
		t.Error("writeraw file differs from ipmitool's")
	}
	out, _, code = clitest.Run(t, nil, "sel", "readraw", raw)
	if code != 0 || out != string(clitest.SelTestdata(t, "sel_list.txt")) {
		t.Errorf("readraw without a BMC: %d\n%s", code, out)
	}
	os.WriteFile(raw, b[:20], 0o644)
	if _, errOut, code := clitest.Run(t, nil, "sel", "readraw", raw); code == 0 || !strings.Contains(errOut, "incomplete record") {
		t.Errorf("truncated file: exit %d %q", code, errOut)
	}
}

func TestSelSaveAddDeleteClear(t *testing.T) {
	clitest.UTC(t)
	dir := t.TempDir()
	save := filepath.Join(dir, "sel.txt")
	bmc := clitest.NewSelFakeBMC(t)
	if _, errOut, code := clitest.Run(t, bmc, "sel", "save", save); code != 0 {
		t.Fatal(errOut)
	}
	b, _ := os.ReadFile(save)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != 11 || lines[3] != "0x04 0x04 0x06 0x01 0x52 0x04 0x05 # Fan #0x06 Lower Critical going low " ||
		lines[9] != "0xcf 0xde 0xad 0xbe 0xef 0x01 0x02 # Unknown #0xad Unknown" {
		t.Errorf("save file:\n%s", b)
	}
	// Adding the saved events back: each is printed, then sent.
	before := len(bmc.Sel)
	out, _, code := clitest.Run(t, bmc, "sel", "add", save)
	if code != 0 || len(bmc.Sel) != before+11 {
		t.Fatalf("add: exit %d, %d records", code, len(bmc.Sel))
	}
	if !strings.HasPrefix(out, "   0 |  Pre-Init  |0000000000| Watchdog2 | Hard reset | Asserted\n") {
		t.Errorf("add output %q", out)
	}
	out, _, code = clitest.Run(t, bmc, "sel", "delete", "1", "2")
	if code != 0 || out != "Deleted entry 2\nDeleted entry 1\n" {
		t.Errorf("delete: %d %q", code, out)
	}
	if _, errOut, code := clitest.Run(t, bmc, "sel", "delete", "0x4242"); code != cli.ExitBMC || !strings.Contains(errOut, "Unable to delete entry 16962") {
		t.Errorf("deleting a missing entry: %d %q", code, errOut)
	}
	out, _, code = clitest.Run(t, bmc, "sel", "clear")
	if code != 0 || out != "Clearing SEL.  Please allow a few seconds to erase.\n" || len(bmc.Sel) != 0 {
		t.Errorf("clear: %d %q %d", code, out, len(bmc.Sel))
	}
	out, errOut, code := clitest.Run(t, bmc, "sel", "list")
	if code != 0 || out != "" || errOut != "SEL has no entries\n" {
		t.Errorf("empty list: %d %q %q", code, out, errOut)
	}
}

func TestSelGetVerbose(t *testing.T) {
	clitest.UTC(t)
	out, errOut, code := clitest.Run(t, clitest.NewSelFakeBMC(t), "--sdr-cache", "off", "sel", "get", "4")
	if code != 0 {
		t.Fatal(errOut)
	}
	for _, want := range []string{"SEL Record ID          : 0004\n", " Sensor Type           : Fan\n",
		" Event Data (RAW)      : 520405\n", " Trigger Reading       : 400.000RPM\n",
		" Trigger Threshold     : 500.000RPM\n", " Description           : Lower Critical going low \n"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
}

func TestSelParseSetTime(t *testing.T) {
	clitest.UTC(t)
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for in, want := range map[string]int64{
		"now":                  now.Unix(),
		"11/23/26 22:00:05":    time.Date(2026, 11, 23, 22, 0, 5, 0, time.UTC).Unix(),
		"11/23/2026 22:00:05":  time.Date(2026, 11, 23, 22, 0, 5, 0, time.UTC).Unix(),
		"2026-11-23T22:00:05Z": time.Date(2026, 11, 23, 22, 0, 5, 0, time.UTC).Unix(),
	} {
		got, err := selParseSetTime(in, now)
		if err != nil || got.Unix() != want {
			t.Errorf("%q: %v %v", in, got, err)
		}
	}
	if _, err := selParseSetTime("yesterday", now); err == nil {
		t.Error("nonsense time accepted")
	}
}

func TestSelNumericTimePreInit(t *testing.T) {
	clitest.UTC(t)
	if got := selNumericTime(3661); got != "S+ 01:01:01" {
		t.Errorf("%q", got)
	}
	if got := selNumericTime(86400*40 + 5); got != "S+ 70/041 00:00:05" {
		t.Errorf("%q", got)
	}
	if got := selNumericTime(0xFFFFFFFF); got != "Unspecified" {
		t.Errorf("%q", got)
	}
}

func TestSelListVerbose(t *testing.T) {
	clitest.UTC(t)
	out, _, code := clitest.Run(t, clitest.NewSelFakeBMC(t), "-v", "sel", "list", "first", "1")
	want := "SEL Record ID          : 0001\n Record Type           : 02\n Timestamp             : 11/21/26 20:54:34 UTC\n" +
		" Generator ID          : 0020\n EvM Revision          : 04\n Sensor Type           : Watchdog2\n" +
		" Sensor Number         : 00\n Event Type            : Sensor-specific Discrete\n" +
		" Event Direction       : Assertion Event\n Event Data            : c104ff\n Description           : Hard reset\n\n"
	if code != 0 || out != want {
		t.Errorf("exit %d\n%q\nwant\n%q", code, out, want)
	}
}
