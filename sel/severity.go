package sel

import (
	"fmt"
	"strings"
)

// Severity is how bad an event is, following FreeIPMI's interpretation
// (Nominal, Warning, Critical). SeverityUnknown is what FreeIPMI shows as
// N/A: OEM records and events its default rules do not cover.
type Severity int

// Severities, in increasing order of badness.
const (
	SeverityUnknown Severity = iota
	SeverityOK
	SeverityWarning
	SeverityCritical
)

var severityNames = [...]string{"unknown", "ok", "warning", "critical"}

func (s Severity) String() string {
	if s >= 0 && int(s) < len(severityNames) {
		return severityNames[s]
	}
	return fmt.Sprintf("Severity(%d)", int(s))
}

// MarshalText writes the name, so JSON carries "ok", "warning", ...
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// ParseSeverity accepts ok/nominal, warning/warn, critical/crit, unknown/na.
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(s) {
	case "ok", "nominal":
		return SeverityOK, nil
	case "warning", "warn":
		return SeverityWarning, nil
	case "critical", "crit":
		return SeverityCritical, nil
	case "unknown", "na", "n/a":
		return SeverityUnknown, nil
	}
	return 0, fmt.Errorf("unknown severity %q: use ok, warning, critical or unknown", s)
}

// sev is the severity of one event offset when asserted and deasserted.
// FreeIPMI's config lists one state (both directions) or two.
type sev [2]Severity

// Shorthands for the table: asserted/deasserted severity.
var (
	nn = sev{SeverityOK, SeverityOK}
	ww = sev{SeverityWarning, SeverityWarning}
	cc = sev{SeverityCritical, SeverityCritical}
	cw = sev{SeverityCritical, SeverityWarning}
	wn = sev{SeverityWarning, SeverityOK}
)

// Rows shared by many sensor types, indexed by event offset.
var (
	// Generic 01h: threshold offsets 0-11 (IPMI_Threshold_Sensor_*).
	thresholdSev = []sev{wn, nn, cw, ww, cc, cc, nn, wn, ww, cw, cc, cc}
	// Generic 07h: transition to OK ... informational.
	transitionSeveritySev = []sev{nn, ww, cc, cc, ww, cc, cc, ww, nn}
	// Generic 0Bh: fully redundant ... degraded from non-redundant.
	redundancySev = []sev{nn, cw, ww, cw, cw, cw, ww, ww}
	// Generic 0Ah: transition to running ... install error.
	availabilitySev = []sev{nn, ww, ww, ww, ww, ww, cw, ww, cc}
	// Generic 03h: state deasserted, state asserted.
	stateWarn = []sev{nn, ww}
	stateCrit = []sev{nn, cc}
	// Generic 08h: device removed/absent, inserted/present.
	presentSev = []sev{cc, nn}
)

// ruleKey selects a row: sensor type and event/reading type (6Fh for
// sensor-specific offsets).
type ruleKey struct{ sensorType, eventType uint8 }

// severityRules are FreeIPMI 1.6's defaults (freeipmi_interpret_sel.conf),
// by sensor type and event/reading type, indexed by offset.
var severityRules = map[ruleKey][]sev{
	{0x01, 0x03}: stateWarn, {0x01, 0x05}: {nn, cc}, {0x01, 0x07}: transitionSeveritySev, // temperature
	{0x02, 0x03}: stateWarn, {0x02, 0x05}: {nn, cc}, {0x02, 0x06}: {nn, cw}, {0x02, 0x07}: transitionSeveritySev, // voltage
	{0x03, 0x07}: transitionSeveritySev, // current
	{0x04, 0x03}: stateWarn, {0x04, 0x07}: transitionSeveritySev, {0x04, 0x08}: presentSev,
	{0x04, 0x0A}: availabilitySev, {0x04, 0x0B}: redundancySev, // fan
	{0x05, 0x6F}: {cc, cc, cc, cc, cc, cc, cc},                                                  // physical security
	{0x06, 0x6F}: {cc, cc, cc, cc, cc, cc},                                                      // platform security violation
	{0x07, 0x6F}: {cc, cc, cc, cc, cc, cc, cc, nn, cc, cc, ww, cc, ww}, {0x07, 0x03}: stateCrit, // processor
	{0x08, 0x6F}: {nn, cc, cc, cw, cw, cw, cc, ww}, {0x08, 0x03}: stateWarn,
	{0x08, 0x07}: transitionSeveritySev, {0x08, 0x0B}: redundancySev, // power supply
	{0x09, 0x6F}: {nn, nn, wn, ww, cw, cc, cc, cc}, {0x09, 0x03}: stateWarn, {0x09, 0x07}: transitionSeveritySev,
	{0x09, 0x08}: presentSev, {0x09, 0x0B}: redundancySev, // power unit
	{0x0A, 0x0B}: redundancySev, // cooling device
	{0x0C, 0x6F}: {ww, cc, cc, cc, cc, ww, nn, cc, nn, ww, cc}, {0x0C, 0x03}: stateCrit,
	{0x0C, 0x07}: transitionSeveritySev, {0x0C, 0x0B}: redundancySev, // memory
	{0x0D, 0x6F}: {nn, cc, cc, nn, nn, cc, cc, nn, cc}, {0x0D, 0x03}: {ww, nn}, {0x0D, 0x04}: {nn, cc},
	{0x0D, 0x07}: transitionSeveritySev, {0x0D, 0x08}: presentSev, // drive slot
	{0x0E, 0x03}: stateWarn, // POST memory resize
	{0x0F, 0x6F}: {cc, cc, nn}, {0x0F, 0x03}: stateWarn, {0x0F, 0x08}: presentSev,
	{0x0F, 0x07}: transitionSeveritySev,        // system firmware progress
	{0x10, 0x6F}: {cc, cc, nn, cc, cc, ww, cc}, // event logging disabled
	{0x12, 0x6F}: {ww, nn, cc, nn, nn, ww}, {0x12, 0x02}: {nn, nn, nn}, {0x12, 0x03}: stateWarn,
	{0x12, 0x07}: transitionSeveritySev,                                                             // system event
	{0x13, 0x6F}: {cc, cc, cc, ww, cc, cc, cc, ww, cc, cc, cc, ww},                                  // critical interrupt
	{0x14, 0x6F}: {nn, nn, nn, ww, ww}, {0x14, 0x03}: {nn, nn}, {0x14, 0x07}: transitionSeveritySev, // button/switch
	{0x15, 0x03}: stateCrit, {0x15, 0x08}: presentSev, // module/board
	{0x18, 0x07}: transitionSeveritySev,                         // chassis
	{0x19, 0x6F}: {cc, cc}, {0x19, 0x07}: transitionSeveritySev, // chip set
	{0x1B, 0x6F}: {nn, cc}, {0x1B, 0x07}: transitionSeveritySev, // cable/interconnect
	{0x1D, 0x6F}: {nn, nn, nn, nn, nn, ww, ww, nn},                                                   // system boot initiated
	{0x1E, 0x6F}: {cc, cc, cc, cc, ww}, {0x1E, 0x03}: stateCrit, {0x1E, 0x07}: transitionSeveritySev, // boot error
	{0x1F, 0x6F}: {nn, nn, nn, nn, nn, nn, ww, nn, nn, ww, cc},      // OS boot
	{0x20, 0x6F}: {cc, cc, ww, ww, ww, cc}, {0x20, 0x03}: stateCrit, // OS critical stop
	{0x21, 0x6F}: {cc, ww, nn, nn, nn, nn, ww, ww, ww, nn}, {0x21, 0x07}: transitionSeveritySev, // slot/connector
	{0x22, 0x6F}: {nn, nn, nn, nn, nn, nn, nn, nn, nn, nn, nn, nn, nn, cc, cc}, // ACPI power state
	{0x23, 0x6F}: {ww, cc, cc, cc, nn, nn, nn, nn, ww},                         // watchdog 2
	{0x24, 0x6F}: {nn, nn, nn, nn}, {0x24, 0x03}: stateCrit,                    // platform alert
	{0x25, 0x6F}: {nn, cc, cc}, {0x25, 0x08}: presentSev, // entity presence
	{0x27, 0x6F}: {ww, nn},                                                                                // LAN: heartbeat lost, heartbeat
	{0x28, 0x6F}: {cc, cc, cc, cc, cc, cc}, {0x28, 0x07}: transitionSeveritySev, {0x28, 0x08}: presentSev, // management subsystem health
	{0x29, 0x6F}: {ww, cc, nn},                     // battery
	{0x2A, 0x6F}: {nn, nn, ww, cc},                 // session audit
	{0x2B, 0x6F}: {ww, ww, cc, cc, cc, cc, nn, nn}, // version change
	{0x2C, 0x6F}: {cc, cc, ww, ww, nn, ww, ww, cc}, // FRU state
}

// Severity rates the event as FreeIPMI's default rules do. Threshold
// events are rated the same for every sensor type; discrete events by
// sensor type, event/reading type and offset.
func (e *SystemEvent) Severity() Severity {
	var row []sev
	if e.EventType == 0x01 {
		row = thresholdSev
	} else {
		row = severityRules[ruleKey{e.SensorType, e.EventType}]
	}
	off := int(e.Offset())
	if off >= len(row) {
		return SeverityUnknown
	}
	if e.Deassertion {
		return row[off][1]
	}
	return row[off][0]
}
