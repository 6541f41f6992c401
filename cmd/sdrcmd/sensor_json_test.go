package sdrcmd

import (
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/ipmi/bmcsim"
)

// jsonObjects runs args with -o json and decodes the array it prints.
func jsonObjects(t *testing.T, tr ipmi.Transport, args ...string) []map[string]any {
	t.Helper()
	out, errOut, code := clitest.Run(t, tr, append([]string{"--sdr-cache", "off", "-o", "json"}, args...)...)
	if code != 0 {
		t.Fatalf("%v: exit %d: %s", args, code, errOut)
	}
	var objs []map[string]any
	if err := json.Unmarshal([]byte(out), &objs); err != nil {
		t.Fatalf("%v: %v\n%s", args, err, out)
	}
	return objs
}

func byName(objs []map[string]any) map[string]map[string]any {
	m := map[string]map[string]any{}
	for _, o := range objs {
		m[o["name"].(string)] = o
	}
	return m
}

// TestSensorJSONOneObject: sdr list, sdr elist and sensor list print the
// same object for a sensor (only the thresholds' source differs: the
// record for sdr, the BMC for sensor). On bmcsim, whose threshold sensors
// set the reserved bits 7:6 of the status byte, no threshold sensor has a
// state; numbers are rounded to the sensor's resolution.
func TestSensorJSONOneObject(t *testing.T) {
	b := bmcsim.New(bmcsim.WithSeed(7))
	b.Freeze(true)
	if err := b.SetReading("CPU1 Temp", 60); err != nil { // seed 7 has it above unc
		t.Fatal(err)
	}
	tr := func() ipmi.Transport { return b.Transport("admin", ipmi.PrivilegeAdmin) }
	list := byName(jsonObjects(t, tr(), "sdr", "list"))
	elist := byName(jsonObjects(t, tr(), "sdr", "elist"))
	sensors := byName(jsonObjects(t, tr(), "sensor", "list"))
	if len(sensors) != 19 || len(list) != len(sensors) {
		t.Fatalf("%d sensors in sensor list, %d records in sdr list", len(sensors), len(list))
	}
	keys := func(o map[string]any) []string {
		var k []string
		for key := range o {
			k = append(k, key)
		}
		sort.Strings(k)
		return k
	}
	for name, s := range sensors {
		for cmd, other := range map[string]map[string]any{"sdr list": list[name], "sdr elist": elist[name]} {
			if !reflect.DeepEqual(keys(s), keys(other)) {
				t.Errorf("%s: sensor list keys %v, %s keys %v", name, keys(s), cmd, keys(other))
			}
			for _, k := range []string{"record_id", "sensor_number", "reading", "raw", "units", "reading_available", "scanning", "status", "state", "states"} {
				if !reflect.DeepEqual(s[k], other[k]) {
					t.Errorf("%s: %s %v in sensor list, %v in %s", name, k, s[k], other[k], cmd)
				}
			}
		}
		if s["reading_type"] == "threshold" {
			if states, ok := s["states"].([]any); !ok || len(states) != 0 || s["state"] != "Nominal" || s["status"] != "ok" {
				t.Errorf("%s: states %v state %v status %v (reserved bits read as states?)", name, s["states"], s["state"], s["status"])
			}
			if s["thresholds"] == nil {
				t.Errorf("%s: no thresholds", name)
			}
		}
	}
	v12 := sensors["12V"]["thresholds"].(map[string]any)
	if v12["ucr"] != 13.2 || v12["lcr"] != 10.8 || v12["unr"] != nil {
		t.Errorf("12V thresholds %v", v12)
	}
	out, _, _ := clitest.Run(t, tr(), "--sdr-cache", "off", "-o", "json", "sensor", "list")
	if strings.Contains(out, "00000000") || strings.Contains(out, "99999999") {
		t.Errorf("float noise in sensor list JSON:\n%s", out)
	}
	if !strings.Contains(out, `"thresholds": {
      "lnr": null,
      "lcr": 10.8,
      "lnc": 11.4,
      "unc": 12.6,
      "ucr": 13.2,
      "unr": null
    }`) {
		t.Errorf("12V thresholds not in lnr..unr order:\n%s", out)
	}
	psu := sensors["PSU2 Status"]
	if psu["state"] != "Critical" || psu["raw"] != nil || psu["units"] != nil || psu["reading"] != nil ||
		!reflect.DeepEqual(psu["states"], []any{"Presence detected", "Power Supply AC lost"}) {
		t.Errorf("PSU2 Status %v", psu)
	}
}

// TestSensorJSONCrossedThresholds: the states of a threshold sensor are the
// thresholds its comparison bits say it is at or beyond, and its state is
// FreeIPMI's (critical beyond a critical threshold).
func TestSensorJSONCrossedThresholds(t *testing.T) {
	bmc := newSdrSimBMC(t)
	bmc.replies[[2]uint8{0x2d, 0x01}] = []byte{0x5c, 0xc0, 0x18, 0x00} // unc, ucr
	bmc.replies[[2]uint8{0x2d, 0x05}] = []byte{0x04, 0xc0, 0x03, 0x00} // lnc, lcr
	bmc.replies[[2]uint8{0x2d, 0x02}] = []byte{0x52, 0xc0, 0xc8, 0x00} // unc and the reserved bits
	for _, cmd := range [][]string{{"sdr", "elist"}, {"sensor", "list"}} {
		s := byName(jsonObjects(t, bmc, cmd...))
		for name, want := range map[string]struct {
			states        []any
			status, state string
		}{
			"CPU1 Temp":  {[]any{"Upper Non-Critical", "Upper Critical"}, "ucr", "Critical"},
			"FAN1":       {[]any{"Lower Critical", "Lower Non-Critical"}, "lcr", "Critical"},
			"CPU2 Temp":  {[]any{"Upper Non-Critical"}, "unc", "Nominal"},
			"Inlet Temp": {[]any{}, "ok", "Nominal"},
		} {
			o, ok := s[name]
			if !ok {
				t.Fatalf("%v: no %s", cmd, name)
			}
			if !reflect.DeepEqual(o["states"], want.states) || o["status"] != want.status || o["state"] != want.state {
				t.Errorf("%v %s: states %v status %v state %v; want %v %v %v", cmd, name, o["states"], o["status"], o["state"], want.states, want.status, want.state)
			}
		}
	}
}

// TestSdrInfoJSONUnsetTimestamps: sdr info's unset timestamps are null.
func TestSdrInfoJSONUnsetTimestamps(t *testing.T) {
	out, errOut, code := clitest.Run(t, newSdrSimBMC(t), "-o", "json", "sdr", "info")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if got["most_recent_addition"] != float64(0x6b04bef8) || got["most_recent_erase"] != nil || got["record_count"] == nil {
		t.Errorf("sdr info %v", got)
	}
	if e, ok := got["most_recent_erase"]; !ok || e != nil {
		t.Errorf("most_recent_erase %v, %v", e, ok)
	}
}
