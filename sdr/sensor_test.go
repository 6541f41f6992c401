package sdr

import (
	"context"
	"math"
	"os"
	"reflect"
	"strconv"
	"testing"

	"github.com/ipmictl/ipmictl/ipmi"
)

// simRecord returns the ipmi_sim dump's record named name.
func simRecord(t testing.TB, name string) *Record {
	t.Helper()
	b, err := os.ReadFile(simDump)
	if err != nil {
		t.Fatal(err)
	}
	repo, err := ParseDump(b)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range repo.Records {
		if r.Name() == name {
			return r
		}
	}
	t.Fatalf("no record %q in %s", name, simDump)
	return nil
}

// readOn reads rec from a fake BMC that answers Get Sensor Reading with rsp
// (nil: refuses it with 0xCB).
func readOn(t *testing.T, rec *Record, rsp []byte) *Reading {
	t.Helper()
	bmc := newFakeBMC(t, simDump)
	if rsp != nil {
		bmc.readings[rec.Sensor().Number] = rsp
	}
	rd, err := ReadSensor(context.Background(), ipmi.NewClient(bmc), rec)
	if err != nil {
		t.Fatal(err)
	}
	return rd
}

// TestReadSensorThresholdComparisonBitsOnly: a threshold sensor's states
// come from response byte 3 bits 0-5; ipmi_sim and bmcsim set the reserved
// bits 7:6, which are no crossed threshold (they used to come out as
// "Upper Non-critical going low/high").
func TestReadSensorThresholdComparisonBitsOnly(t *testing.T) {
	rec := simRecord(t, "CPU1 Temp")
	rd := readOn(t, rec, []byte{60, 0xc0, 0xc0, 0x00})
	if !rd.Valid || !rd.Available() || !rd.Scanning || !rd.Threshold || !rd.Analog || !rd.HasValue {
		t.Fatalf("reading %+v", rd)
	}
	if rd.Value != 60 || rd.Unit != "degrees C" || rd.Comparison != 0 || len(rd.States) != 0 || rd.States == nil || rd.State != StateNominal {
		t.Errorf("60 C with reserved bits set: value %v %q, comparison %#x, states %q, state %v", rd.Value, rd.Unit, rd.Comparison, rd.States, rd.State)
	}
	for _, c := range []struct {
		status uint8
		states []string
		state  State
	}{
		{1 << UNC, []string{"Upper Non-Critical"}, StateNominal},
		{0xc0 | 1<<UNC | 1<<UCR, []string{"Upper Non-Critical", "Upper Critical"}, StateCritical},
		{1 << LNC, []string{"Lower Non-Critical"}, StateNominal},
		{1<<LNC | 1<<LCR | 1<<LNR, []string{"Lower Non-Recoverable", "Lower Critical", "Lower Non-Critical"}, StateCritical},
		{1 << UNR, []string{"Upper Non-Recoverable"}, StateCritical},
	} {
		rd := readOn(t, rec, []byte{92, 0xc0, c.status, 0x00})
		if !reflect.DeepEqual(rd.States, c.states) || rd.State != c.state || rd.Comparison != c.status&0x3f {
			t.Errorf("status %#x: states %q state %v, want %q %v", c.status, rd.States, rd.State, c.states, c.state)
		}
		if rd.Crossed(UCR) != (c.status&(1<<UCR) != 0) {
			t.Errorf("status %#x: Crossed(ucr) = %v", c.status, rd.Crossed(UCR))
		}
	}
}

// TestReadSensorDiscreteStates: a discrete sensor's asserted states and
// FreeIPMI's state for them (Power Supply: presence is nominal, AC lost
// critical); a type pair FreeIPMI does not know is unknown.
func TestReadSensorDiscreteStates(t *testing.T) {
	rec := simRecord(t, "PSU2 Status")
	rd := readOn(t, rec, []byte{0x00, 0xc0, 0x09, 0x80})
	if !rd.Valid || rd.Threshold || rd.Analog || rd.HasValue || rd.StateBits != 0x09 {
		t.Fatalf("reading %+v", rd)
	}
	if want := []string{"Presence detected", "Power Supply AC lost"}; !reflect.DeepEqual(trimAll(rd.States), want) || rd.State != StateCritical {
		t.Errorf("states %q state %v", rd.States, rd.State)
	}
	rd = readOn(t, rec, []byte{0x00, 0xc0, 0x01, 0x80})
	if rd.State != StateNominal {
		t.Errorf("presence only: %v", rd.State)
	}
	rd = readOn(t, rec, []byte{0x00, 0xc0}) // no state bytes
	if !rd.Valid || rd.State != StateUnknown {
		t.Errorf("no state byte: valid %v state %v", rd.Valid, rd.State)
	}
	if s := discreteState(0xc0, 0x6f, 1); s != StateUnknown {
		t.Errorf("OEM sensor type: %v", s)
	}
}

func trimAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		for len(s) > 0 && s[len(s)-1] == ' ' {
			s = s[:len(s)-1]
		}
		out[i] = s
	}
	return out
}

// TestReadSensorNoReading: unavailable, scanning disabled, a short answer
// and a refusal all leave the reading without value, states or state, and
// none of them is an error.
func TestReadSensorNoReading(t *testing.T) {
	rec := simRecord(t, "12V")
	for name, c := range map[string]struct {
		rsp      []byte
		scanning bool
	}{
		"unavailable": {[]byte{0x00, 0xe0, 0x00, 0x00}, true},
		"disabled":    {[]byte{0xc8, 0x80, 0x00, 0x00}, false},
		"short":       {[]byte{0xc8}, false},
		"refused":     {nil, false},
	} {
		rd := readOn(t, rec, c.rsp)
		if rd.Valid || rd.Available() || rd.HasValue || rd.States != nil || rd.State != StateUnknown || rd.Scanning != c.scanning {
			t.Errorf("%s: %+v", name, rd)
		}
		if (rd.Err != nil) != (c.rsp == nil) || !rd.Analog || rd.Unit != "Volts" {
			t.Errorf("%s: err %v analog %v unit %q", name, rd.Err, rd.Analog, rd.Unit)
		}
	}
}

// TestReadSensorSessionFailure: a dead session is an error, not a reading.
func TestReadSensorSessionFailure(t *testing.T) {
	rec := simRecord(t, "12V")
	_, err := ReadSensor(context.Background(), ipmi.NewClient(&scriptedBMC{}), rec)
	if err == nil {
		t.Fatal("no error from a BMC that does not answer")
	}
	if _, err := ReadSensor(context.Background(), ipmi.NewClient(&scriptedBMC{}), simRecord(t, "Watchdog")); err == nil {
		t.Error("an event-only record was read")
	}
}

// TestReadingRoundedToResolution: 12V's M=6, R-exp=-2 gives two decimals;
// raw 220 converts to 13.200000000000001 and rounds to 13.2.
func TestReadingRoundedToResolution(t *testing.T) {
	rec := simRecord(t, "12V")
	rd := readOn(t, rec, []byte{220, 0xc0, 0xc0})
	if rd.Value == 13.2 {
		t.Fatal("test premise: the conversion is exact")
	}
	if rd.Decimals() != 2 || rd.Rounded() != 13.2 || strconv.FormatFloat(rd.Rounded(), 'f', -1, 64) != "13.2" {
		t.Errorf("decimals %d, rounded %v", rd.Decimals(), rd.Rounded())
	}
	for _, c := range []struct {
		f    Factors
		want int
	}{
		{Factors{M: 1}, 0},
		{Factors{M: 100}, 0},
		{Factors{M: 6, RExp: -2}, 2},
		{Factors{M: 6, RExp: 1}, 0},
		{Factors{M: 1, B: 5, BExp: -1, RExp: -2}, 3},
		{Factors{M: 1, B: 5, BExp: 3, RExp: -2}, 2},
		{Factors{M: 1, RExp: -8, B: 1, BExp: -8}, 15},
	} {
		if got := c.f.Decimals(100); got != c.want {
			t.Errorf("%+v: %d decimals, want %d", c.f, got, c.want)
		}
	}
	// A non-linear function: one digit finer than the step between raw
	// values (1/x at 50 and 51: about 0.0004).
	inv := Factors{M: 1, Linearization: LinInverse}
	if got := inv.Decimals(50); got != 5 {
		t.Errorf("1/x at 50: %d decimals", got)
	}
	if got := RoundDecimals(math.NaN(), 2); !math.IsNaN(got) {
		t.Errorf("NaN rounds to %v", got)
	}
}

// TestInterpretReadingNonLinear: a non-linear sensor takes the factors the
// BMC gave for this reading, and has no value without them.
func TestInterpretReadingNonLinear(t *testing.T) {
	rec := simRecord(t, "5V")
	full := *rec.Full
	full.Linearization = LinNonLin
	nl := &Record{Header: rec.Header, Full: &full}
	rsp, _ := ParseRawReading([]byte{100, 0xc0, 0xc0})
	if rd := InterpretReading(nl, rsp, nil); !rd.Valid || rd.HasValue || rd.Available() {
		t.Errorf("without factors: %+v", rd)
	}
	rd := InterpretReading(nl, rsp, &Factors{M: 5, RExp: -2})
	if !rd.HasValue || rd.Value != 5 || rd.Rounded() != 5 {
		t.Errorf("with factors: %+v", rd)
	}
	// ln of a negative number has no value, never NaN.
	full.Linearization = LinLn
	full.Factors.Linearization = LinLn
	full.Factors.B = -300
	if rd := InterpretReading(nl, rsp, nil); rd.HasValue || math.IsNaN(rd.Value) {
		t.Errorf("ln(-x): %+v", rd)
	}
}
