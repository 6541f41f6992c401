package selcmd

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/ipmi/bmcsim"
)

// A threshold crossing on the simulated BMC shows up in sel elist with
// the reading and threshold converted through the sensor's SDR, and in
// JSON as a critical event.
func TestSelThresholdEventOnBmcsim(t *testing.T) {
	clitest.UTC(t)
	b := bmcsim.New()
	if err := b.SetReading("CPU1 Temp", 92); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) string {
		t.Helper()
		out, errOut, code := clitest.Run(t, b.Transport("admin", ipmi.PrivilegeAdmin), append([]string{"--sdr-cache", "off"}, args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d %s", args, code, errOut)
		}
		return out
	}
	out := run("sel", "elist")
	if !strings.Contains(out, "| Temperature CPU1 Temp | Upper Critical going high | Asserted | Reading 92 > Threshold 90 degrees C\n") {
		t.Fatalf("no threshold event in\n%s", out)
	}
	var got struct {
		Entries []struct {
			Severity   string  `json:"severity"`
			SensorName string  `json:"sensor_name"`
			Reading    float64 `json:"reading"`
			Threshold  float64 `json:"threshold"`
		} `json:"entries"`
	}
	if err := json.Unmarshal([]byte(run("-o", "json", "sel", "list", "--sensor", "CPU1 Temp", "--severity", "critical")), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Entries) == 0 || got.Entries[0].Reading != 92 || got.Entries[0].Threshold != 90 {
		t.Errorf("json %+v", got.Entries)
	}
	if out := run("fru", "print"); !strings.HasPrefix(out, "FRU Device Description : Builtin FRU Device (ID 0)\n Chassis Type") {
		t.Errorf("fru print on bmcsim:\n%s", out)
	}
}
