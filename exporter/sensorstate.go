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

// severityOf is the exported form of a sensor's state as FreeIPMI
// interprets it (sdr.Reading.State).
func severityOf(s sdr.State) severity {
	switch s {
	case sdr.StateNominal:
		return sevNominal
	case sdr.StateWarning:
		return sevWarning
	case sdr.StateCritical:
		return sevCritical
	}
	return sevUnknown
}

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
