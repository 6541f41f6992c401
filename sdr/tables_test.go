package sdr

import (
	"strings"
	"testing"
)

func TestUnitString(t *testing.T) {
	cases := []struct {
		pct            bool
		rel, base, mod uint8
		want           string
	}{
		{false, 0, 1, 0, "degrees C"},
		{false, 0, 18, 0, "RPM"},
		{true, 0, 0, 0, "percent"},
		{true, 0, 4, 0, "% Volts"},
		{false, UnitModDiv, 18, 22, "RPM/second"},
		{false, UnitModMul, 5, 24, "Amps*hour"},
		{false, 0, 200, 0, "invalid"},
	}
	for _, c := range cases {
		if got := UnitString(c.pct, c.rel, c.base, c.mod); got != c.want {
			t.Errorf("UnitString(%v,%d,%d,%d) = %q, want %q", c.pct, c.rel, c.base, c.mod, got, c.want)
		}
	}
}

func TestSensorTypeNames(t *testing.T) {
	if SensorTypeName(0x01) != "Temperature" || SensorTypeName(0x23) != "Watchdog2" ||
		SensorTypeName(0x2C) != "FRU State" || SensorTypeName(0x2D) != "Unknown" || SensorTypeName(0xC0) != "Unknown" {
		t.Fatal("sensor type names do not match ipmitool's")
	}
	if v, ok := SensorTypeByName("fan"); !ok || v != 4 {
		t.Fatalf("SensorTypeByName(fan) = %d %v", v, ok)
	}
	if v, ok := SensorTypeByName("0x0d"); !ok || v != 0x0d {
		t.Fatalf("SensorTypeByName(0x0d) = %d %v", v, ok)
	}
	if _, ok := SensorTypeByName("nonsense"); ok {
		t.Fatal("unknown name accepted")
	}
}

func TestEntityNames(t *testing.T) {
	if EntityName(3) != "Processor" || EntityName(0x1d) != "Fan Device" {
		t.Fatal("entity names")
	}
	if EntityName(0x99) != "Unknown value 0x0099" {
		t.Fatalf("unknown entity: %q", EntityName(0x99))
	}
	if id, ok := EntityByName("system board"); !ok || id != 7 {
		t.Fatalf("EntityByName = %d %v", id, ok)
	}
}

func TestEventText(t *testing.T) {
	cases := []struct {
		et, st, off uint8
		want        string
	}{
		{0x01, 0x01, 0x09, "Upper Critical going high"},
		{0x01, 0x04, 0x02, "Lower Critical going low "},
		{0x6f, 0x05, 0x00, "General Chassis intrusion"},
		{0x6f, 0x08, 0x03, "Power Supply AC lost"},
		{0x6f, 0x08, 0x06, "Config Error"},
		{0x6f, 0x0d, 0x00, "Drive Present"},
		{0x6f, 0x22, 0x0e, "Unknown"},
		{0x6f, 0x22, 0x0d, ""},
		{0x70, 0x01, 0x00, ""},
	}
	for _, c := range cases {
		if got := EventText(c.et, c.st, c.off); got != c.want {
			t.Errorf("EventText(%#x,%#x,%d) = %q, want %q", c.et, c.st, c.off, got, c.want)
		}
	}
	if got := EventTextData(0x6f, 0x0f, 0x02, 0x01, true); got != "Memory initialization" {
		t.Errorf("firmware progress with data2: %q", got)
	}
	if got := EventTextData(0x6f, 0x0f, 0x02, 0x77, true); got != "Unknown Progress" {
		t.Errorf("firmware progress with unknown data2: %q", got)
	}
}

func TestAssertedStates(t *testing.T) {
	cases := []struct {
		et, st, s1, s2 uint8
		want           string
	}{
		{0x6f, 0x08, 0x09, 0x00, "Presence detected, Power Supply AC lost"},
		{0x6f, 0x07, 0x80, 0x00, "Presence detected"},
		{0x6f, 0x0d, 0x01, 0x00, "Drive Present"},
		{0x6f, 0x05, 0x00, 0x00, ""},
		{0x6f, 0x07, 0x00, 0x04, "Throttled"},
		{0x6f, 0x08, 0x40, 0x00, "Config Error, Power Supply Inactive"},
		{0x03, 0x00, 0x02, 0x00, "State Asserted"},
		{0x6f, 0x07, 0x00, 0x80, ""},
	}
	for _, c := range cases {
		if got := strings.Join(AssertedStates(c.et, c.st, c.s1, c.s2), ", "); got != c.want {
			t.Errorf("AssertedStates(%#x,%#x,%#x,%#x) = %q, want %q", c.et, c.st, c.s1, c.s2, got, c.want)
		}
	}
}
