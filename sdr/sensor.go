package sdr

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/ipmictl/ipmictl/ipmi"
)

// State is a sensor's health as FreeIPMI's ipmi-sensors and ipmimonitoring
// interpret it with their default configuration
// (freeipmi_interpret_sensor.conf).
type State uint8

const (
	StateUnknown  State = iota // N/A: no reading, or states FreeIPMI does not interpret
	StateNominal               // Nominal
	StateWarning               // Warning
	StateCritical              // Critical
)

var stateNames = [...]string{"N/A", "Nominal", "Warning", "Critical"}

// String returns FreeIPMI's word for the state.
func (s State) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return "N/A"
}

// thresholdLongNames are the thresholds' names as ipmitool's `sensor get`
// status line prints them, indexed by Threshold.
var thresholdLongNames = [...]string{"Lower Non-Critical", "Lower Critical", "Lower Non-Recoverable",
	"Upper Non-Critical", "Upper Critical", "Upper Non-Recoverable"}

// LongName returns the threshold's full name ("Upper Critical").
func (t Threshold) LongName() string {
	if t >= 0 && int(t) < len(thresholdLongNames) {
		return thresholdLongNames[t]
	}
	return "?"
}

// Thresholds in the order sensors list them, lowest first.
var ThresholdOrder = [...]Threshold{LNR, LCR, LNC, UNC, UCR, UNR}

// Reading is one full or compact sensor's reading with the meaning its
// record gives it: the value in the sensor's unit, whether there is one,
// the threshold comparisons or discrete states, and the State FreeIPMI
// would report. ReadSensor builds it; InterpretReading builds it from a
// response already in hand.
type Reading struct {
	// Response is the Get Sensor Reading response, nil when the BMC
	// refused the request or answered something malformed (Err).
	Response *RawReading
	Err      error

	Threshold bool // a threshold sensor (event/reading type 01h)
	// Scanning is false when the response says sensor scanning is
	// disabled, or carries no flags byte at all.
	Scanning bool
	// Valid: the BMC gave a reading (scanning enabled, not flagged
	// unavailable). Raw, Comparison, States and State mean something only
	// when it is set.
	Valid bool
	Raw   uint8

	// Analog: the sensor reports a number in Unit (a threshold sensor with
	// a full record and an analog data format). HasValue: Value holds it
	// (Valid, the conversion factors are known, and the result is finite).
	Analog     bool
	HasValue   bool
	Value      float64
	Unit       string
	Factors    Factors // the factors Value was converted with
	FactorsErr error   // Get Sensor Reading Factors failed (non-linear sensors)

	// Comparison holds a threshold sensor's comparison status: bit t set
	// when the reading is at or beyond threshold t (response byte 3 bits
	// 0-5; bits 7:6 are reserved and dropped).
	Comparison uint8
	// StateBits holds a discrete sensor's asserted states (offsets 0-14).
	StateBits uint16
	// States names the crossed thresholds (lowest first) or the asserted
	// discrete states; nil when there is no reading.
	States []string
	State  State
}

// Available reports a reading that can be shown: Valid and, for an analog
// sensor, with its value known. ipmitool prints "ns" / "no reading" when
// it is false.
func (r *Reading) Available() bool { return r.Valid && (!r.Analog || r.HasValue) }

// Crossed reports whether a threshold sensor's reading is at or beyond t.
func (r *Reading) Crossed(t Threshold) bool {
	return r.Valid && r.Threshold && t >= 0 && t < 6 && r.Comparison&(1<<t) != 0
}

// Decimals is the number of decimals the sensor's conversion gives Value
// (see Factors.Decimals).
func (r *Reading) Decimals() int { return r.Factors.Decimals(r.Raw) }

// Rounded is Value rounded to the sensor's resolution (13.200000000000001
// becomes 13.2).
func (r *Reading) Rounded() float64 { return RoundDecimals(r.Value, r.Decimals()) }

// ReadSensor reads a full or compact sensor once: Get Sensor Reading and,
// for a non-linear analog sensor, Get Sensor Reading Factors. A refusal
// or a malformed answer for this sensor is no error: it is kept in the
// Reading (Err, FactorsErr), which then has no value. Only a failure of
// the session (or ctx) is returned as an error.
func ReadSensor(ctx context.Context, c *ipmi.Client, rec *Record) (*Reading, error) {
	sc := rec.Sensor()
	if sc == nil {
		return nil, fmt.Errorf("record %d is not a full or compact sensor record", rec.ID)
	}
	rsp, err := GetRawReading(ctx, c, sc.Addr())
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if !isAnswer(err) {
			return nil, err
		}
		r := InterpretReading(rec, nil, nil)
		r.Err = err
		return r, nil
	}
	var factors *Factors
	var factorsErr error
	if rec.Full != nil && rsp.Valid() && rec.Full.Linearization >= LinNonLin && sensorAnalog(rec) {
		factors, factorsErr = GetReadingFactors(ctx, c, sc.Addr(), rsp.Raw, sc.AnalogFormat())
		if factorsErr != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			if !isAnswer(factorsErr) {
				return nil, factorsErr
			}
		}
	}
	r := InterpretReading(rec, rsp, factors)
	r.FactorsErr = factorsErr
	return r, nil
}

// isAnswer reports an error that is the BMC's answer (a completion code
// or a malformed response), not a failed session.
func isAnswer(err error) bool {
	var ce *ipmi.CompletionError
	var fe *ipmi.FormatError
	return errors.As(err, &ce) || errors.As(err, &fe)
}

// sensorAnalog reports a sensor whose reading is a number in units: a
// threshold sensor with a full record and an analog data format.
func sensorAnalog(rec *Record) bool {
	return rec.Full != nil && rec.Full.IsThreshold() && !rec.Full.UnitsDiscrete()
}

// InterpretReading gives a Get Sensor Reading response (nil: none) the
// meaning rec gives it. factors are those Get Sensor Reading Factors
// returned for a non-linear sensor (nil: use the record's; a non-linear
// sensor then has no value). It never fails: bytes the response lacks
// leave the reading without a value or states.
func InterpretReading(rec *Record, rsp *RawReading, factors *Factors) *Reading {
	sc := rec.Sensor()
	r := &Reading{Response: rsp}
	if sc == nil {
		return r
	}
	r.Threshold = sc.IsThreshold()
	r.Analog = sensorAnalog(rec)
	if r.Analog {
		r.Unit = sc.Unit()
		r.Factors = rec.Full.Factors
	}
	if rsp == nil || rsp.Short {
		return r
	}
	r.Scanning = rsp.ScanningEnabled
	if !rsp.Valid() {
		return r
	}
	r.Valid, r.Raw = true, rsp.Raw
	if r.Threshold {
		r.Comparison = rsp.ThresholdStatus()
		for _, t := range ThresholdOrder {
			if r.Comparison&(1<<t) != 0 {
				r.States = append(r.States, t.LongName())
			}
		}
		if r.States == nil {
			r.States = []string{}
		}
		r.State = thresholdState(r.Comparison)
	} else {
		r.StateBits = uint16(rsp.State1) | uint16(rsp.State2&0x7f)<<8
		r.States = AssertedStates(sc.EventType, sc.SensorType, rsp.State1, rsp.State2)
		if r.States == nil {
			r.States = []string{}
		}
		if rsp.HasState {
			r.State = discreteState(sc.SensorType, sc.EventType, r.StateBits)
		}
	}
	if !r.Analog {
		return r
	}
	if rec.Full.Linearization >= LinNonLin {
		if factors == nil {
			return r
		}
		r.Factors = *factors
	}
	if v, ok := r.Factors.Convert(r.Raw); ok && !math.IsNaN(v) && !math.IsInf(v, 0) {
		r.Value, r.HasValue = v, true
	}
	return r
}

// thresholdState interprets a threshold sensor's comparison status as
// FreeIPMI does by default: at or beyond a critical or non-recoverable
// threshold is Critical; a non-critical one is still Nominal.
func thresholdState(comparison uint8) State {
	const critical = 1<<LCR | 1<<LNR | 1<<UCR | 1<<UNR
	if comparison&critical != 0 {
		return StateCritical
	}
	return StateNominal
}

// discreteState interprets a discrete sensor's asserted states (offsets
// 0-14) with FreeIPMI's default table: the worst asserted state wins, no
// state is Nominal, offsets the table does not name are ignored
// (ipmimonitoring --ignore-unrecognized-events), and a sensor/event type
// pair it does not know is Unknown.
func discreteState(sensorType, eventType uint8, bits uint16) State {
	table, ok := discreteStates[[2]uint8{sensorType, eventType}]
	if !ok {
		return StateUnknown
	}
	worst := StateNominal
	for off, s := range table {
		if bits&(1<<off) != 0 && s > worst {
			worst = s
		}
	}
	return worst
}

// maxDecimals bounds Decimals: a float64 holds no more.
const maxDecimals = 15

// Decimals is the number of decimals the conversion of raw gives. For the
// linear formula y = (M*x + B*10^K1) * 10^K2 it is exact: the decimals of
// 10^K2 and, when B is not zero, of 10^(K1+K2). For the other
// linearization functions it is one digit finer than the step between raw
// and the next raw value.
func (f *Factors) Decimals(raw uint8) int {
	if f.Linearization&0x7f == LinLinear {
		d := max(0, -int(f.RExp))
		if f.B != 0 {
			d = max(d, -(int(f.BExp) + int(f.RExp)))
		}
		return min(d, maxDecimals)
	}
	x, ok := f.signedRaw(raw)
	if !ok {
		return 0
	}
	y := func(x float64) float64 {
		return Linearize(f.Linearization, (float64(f.M)*x+float64(f.B)*pow10(f.BExp))*pow10(f.RExp))
	}
	step := math.Abs(y(x+1) - y(x))
	if step == 0 || math.IsNaN(step) || math.IsInf(step, 0) {
		return 3 // what ipmitool prints
	}
	d := int(math.Ceil(-math.Log10(step))) + 1
	return min(max(d, 0), maxDecimals)
}

// RoundDecimals rounds v to d decimals (0 to 15) as the decimal number
// they print as, so that the float is the one closest to that decimal.
func RoundDecimals(v float64, d int) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return v
	}
	d = min(max(d, 0), maxDecimals)
	r, err := strconv.ParseFloat(strconv.FormatFloat(v, 'f', d, 64), 64)
	if err != nil {
		return v
	}
	return r
}
