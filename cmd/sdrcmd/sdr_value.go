package sdrcmd

import (
	"context"
	"math"
	"strconv"

	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/sdr"
)

// sdrValue is one sensor's reading (sdr.ReadSensor) in the terms
// ipmitool's printing code uses. A reading that is unavailable, disabled
// or failed has valid false and no number.
type sdrValue struct {
	rec  *sdr.Record
	sc   *sdr.SensorCommon
	full *sdr.FullSensor

	reading      *sdr.Reading
	valid        bool
	scanDisabled bool
	unavailable  bool
	raw          uint8
	data2, data3 uint8 // the response's state bytes, as ipmitool keeps them

	// hasAnalog and units: ipmitool knows the sensor's unit only once the
	// BMC said scanning is enabled (and, for a non-linear sensor, gave
	// the factors).
	hasAnalog bool
	value     float64
	units     string
	factors   sdr.Factors
}

// sdrRead reads a full or compact sensor once.
func sdrRead(ctx context.Context, c *ipmi.Client, rec *sdr.Record) (*sdrValue, error) {
	rd, err := sdr.ReadSensor(ctx, c, rec)
	if err != nil {
		return nil, err // the session is gone: stop, do not print "ns" for every sensor
	}
	return sdrValueOf(rec, rd), nil
}

// sdrValueOf puts a reading in ipmitool's terms.
func sdrValueOf(rec *sdr.Record, rd *sdr.Reading) *sdrValue {
	v := &sdrValue{rec: rec, sc: rec.Sensor(), full: rec.Full, reading: rd}
	rsp := rd.Response
	if rsp == nil || rsp.Short {
		return v
	}
	v.unavailable = rsp.Unavailable
	if !rd.Scanning {
		v.scanDisabled = true
		return v
	}
	v.valid, v.raw = rd.Available(), rd.Raw
	v.data2, v.data3 = rsp.State1, rsp.State2
	if rd.Analog && rd.FactorsErr == nil {
		v.hasAnalog, v.units, v.factors = true, rd.Unit, rd.Factors
		v.value = rd.Value
	}
	return v
}

// shown is the byte ipmitool 1.8.19 prints as a sensor without an analog
// reading's "value" in text output: the first state byte, not the
// reading byte (which -c sensor list prints).
func (v *sdrValue) shown() uint8 {
	if v.hasAnalog {
		return v.raw
	}
	return v.data2
}

// sdrIsInt mirrors C's `v == (int)v`.
func sdrIsInt(v float64) bool {
	return v >= math.MinInt32 && v <= math.MaxInt32 && v == math.Trunc(v)
}

// sdrFormat prints v with prec decimals, or none when it is whole.
func sdrFormat(v float64, prec int) string {
	if sdrIsInt(v) {
		prec = 0
	}
	return strconv.FormatFloat(v, 'f', prec, 64)
}

// Status name styles of ipmitool's ipmi_sdr_get_thresh_status.
const (
	sdrStatusShort = iota // sdr list, sensor list: "cr"
	sdrStatusExt          // sdr elist: "ucr"
	sdrStatusLong         // verbose (sdr get, sensor get): "Upper Critical"
)

// threshStatus is ipmitool's ipmi_sdr_get_thresh_status: the most severe
// crossed threshold, "ok", or invalid when there is no reading.
func (v *sdrValue) threshStatus(invalid string, style int) string {
	if !v.valid {
		return invalid
	}
	s := v.data2
	order := []struct {
		bit             uint8
		short, ex, long string
	}{
		{1 << sdr.LNR, "nr", "lnr", "Lower Non-Recoverable"}, {1 << sdr.UNR, "nr", "unr", "Upper Non-Recoverable"},
		{1 << sdr.LCR, "cr", "lcr", "Lower Critical"}, {1 << sdr.UCR, "cr", "ucr", "Upper Critical"},
		{1 << sdr.LNC, "nc", "lnc", "Lower Non-Critical"}, {1 << sdr.UNC, "nc", "unc", "Upper Non-Critical"},
	}
	for _, o := range order {
		if s&o.bit != 0 {
			switch style {
			case sdrStatusExt:
				return o.ex
			case sdrStatusLong:
				return o.long
			}
			return o.short
		}
	}
	return "ok"
}

// states lists the asserted discrete states.
func (v *sdrValue) states() []string {
	return sdr.AssertedStates(v.sc.EventType, v.sc.SensorType, v.data2, v.data3)
}

// sdrPad pads s with spaces to n bytes, as C's %-Ns does (bytes, not runes).
func sdrPad(s string, n int) string {
	for len(s) < n {
		s += " "
	}
	return s
}

// sdrTrunc cuts s to n bytes, as ipmitool's 16-byte snprintf buffers do.
func sdrTrunc(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
