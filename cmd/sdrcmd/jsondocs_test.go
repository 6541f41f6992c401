package sdrcmd

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/ipmi/bmcsim"
)

// docsBMC is the simulated BMC the examples come from: seed 1, its clock
// stopped at a fixed time, readings frozen, CPU1 Temp past its upper
// critical threshold.
func docsBMC(t *testing.T) *bmcsim.BMC {
	t.Helper()
	at := time.Date(2026, 11, 23, 20, 0, 0, 0, time.UTC)
	b := bmcsim.New(bmcsim.WithSeed(1), bmcsim.WithClock(func() time.Time { return at }))
	b.Freeze(true)
	if err := b.SetReading("CPU1 Temp", 92); err != nil {
		t.Fatal(err)
	}
	return b
}

// pick runs a listing with -o json and keeps the objects named names, in
// the order given, printed as the command prints them.
func pick(t *testing.T, b *bmcsim.BMC, args []string, names ...string) []byte {
	t.Helper()
	out, errOut, code := clitest.Run(t, b.Transport("admin", ipmi.PrivilegeAdmin), append([]string{"--sdr-cache", "off", "-o", "json"}, args...)...)
	if code != 0 {
		t.Fatalf("%v: exit %d: %s", args, code, errOut)
	}
	var all []json.RawMessage
	if err := json.Unmarshal([]byte(out), &all); err != nil {
		t.Fatal(err)
	}
	var keep []json.RawMessage
	for _, n := range names {
		for _, o := range all {
			var h struct{ Name string }
			if json.Unmarshal(o, &h) == nil && h.Name == n {
				keep = append(keep, o)
			}
		}
	}
	if len(keep) != len(names) {
		t.Fatalf("%v: found %d of %v", args, len(keep), names)
	}
	b2, err := json.MarshalIndent(keep, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return b2
}

// TestJSONDocsExamples: the sensor object and record object examples in
// docs/json.md are what ipmictl prints for bmcsim.
func TestJSONDocsExamples(t *testing.T) {
	b := docsBMC(t)
	clitest.DocExample(t, "sensor list", pick(t, b, []string{"sensor", "list"}, "12V", "PSU2 Status"))
	clitest.DocExample(t, "sdr elist all", pick(t, b, []string{"sdr", "elist", "all"}, "CPU1 Temp", "Watchdog", "BMC"))
}
