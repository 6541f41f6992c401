package exporter

import (
	"math"

	"github.com/ipmictl/ipmictl/sdr"
)

// severity is a sensor state as ipmi_exporter exports it.
type severity uint8

const (
	sevUnknown  severity = iota // N/A: no reading, or a state FreeIPMI cannot interpret
	sevNominal                  // 0
	sevWarning                  // 1
	sevCritical                 // 2
)

// value is the metric value: 0 nominal, 1 warning, 2 critical, NaN unknown.
func (s severity) value() float64 {
	switch s {
	case sevNominal:
		return 0
	case sevWarning:
		return 1
	case sevCritical:
		return 2
	}
	return math.NaN()
}

// thresholdSeverity interprets a threshold sensor's comparison status as
// FreeIPMI does by default: crossing a critical or non-recoverable
// threshold is critical; a non-critical one is still nominal.
func thresholdSeverity(status uint8) severity {
	const critical = 1<<sdr.LCR | 1<<sdr.LNR | 1<<sdr.UCR | 1<<sdr.UNR
	if status&critical != 0 {
		return sevCritical
	}
	return sevNominal
}

// discreteStateSeverity interprets a discrete sensor's asserted states
// (state bytes 1 and 2: offsets 0-14) with FreeIPMI's default table: the
// worst asserted state wins, no state is nominal, offsets the table does
// not name are ignored (ipmimonitoring --ignore-unrecognized-events), and
// a sensor/event type pair it does not know is unknown.
func discreteStateSeverity(sensorType, eventType, state1, state2 uint8) severity {
	table, ok := discreteSeverity[[2]uint8{sensorType, eventType}]
	if !ok {
		return sevUnknown
	}
	bits := uint16(state1) | uint16(state2&0x7f)<<8
	worst := sevNominal
	for off, s := range table {
		if bits&(1<<off) != 0 && s > worst {
			worst = s
		}
	}
	return worst
}
