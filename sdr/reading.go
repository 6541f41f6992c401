package sdr

import (
	"context"

	"github.com/ipmictl/ipmictl/ipmi"
)

// Sensor/Event commands.
const (
	cmdSetHysteresis   = 0x24
	cmdGetHysteresis   = 0x25
	cmdSetThresholds   = 0x26
	cmdGetThresholds   = 0x27
	cmdGetReading      = 0x2D
	cmdGetReadingFacts = 0x23
)

// RawReading is a decoded Get Sensor Reading response, before the
// record gives it meaning (ReadSensor does that). A reading is only a
// number when Valid: an unavailable reading or a sensor with scanning
// disabled has no value, and must never be shown as 0.
type RawReading struct {
	Raw             uint8
	EventsEnabled   bool // bit 7: event messages enabled
	ScanningEnabled bool // bit 6: sensor scanning enabled
	Unavailable     bool // bit 5: reading/state unavailable
	State1          uint8
	State2          uint8
	HasState        bool // the response carried state byte 1
	Short           bool // the response lacked the flags byte
}

// Valid reports whether Raw holds a reading ipmitool would show.
func (r *RawReading) Valid() bool {
	return !r.Short && r.ScanningEnabled && !r.Unavailable
}

// ThresholdStatus is the comparison status bits (bit n = Threshold n
// crossed) of a threshold sensor's reading.
func (r *RawReading) ThresholdStatus() uint8 { return r.State1 & 0x3f }

// ParseRawReading decodes a Get Sensor Reading response. ipmi_sim and other
// BMCs send one to four bytes; fewer than two leave the reading unknown.
func ParseRawReading(b []byte) (*RawReading, error) {
	if len(b) < 1 {
		return nil, ipmi.ShortError("Get Sensor Reading response", len(b), 1)
	}
	r := &RawReading{Raw: b[0]}
	if len(b) < 2 {
		r.Short = true
		return r, nil
	}
	r.EventsEnabled = b[1]&0x80 != 0
	r.ScanningEnabled = b[1]&0x40 != 0
	r.Unavailable = b[1]&0x20 != 0
	if len(b) > 2 {
		r.State1, r.HasState = b[2], true
	}
	if len(b) > 3 {
		r.State2 = b[3]
	}
	return r, nil
}

// SensorAddr says where a sensor lives: its owner, LUN, channel and number.
type SensorAddr struct {
	Owner   uint8
	LUN     uint8
	Channel uint8
	Number  uint8
}

// request builds a sensor request, bridged when the sensor belongs to a
// controller other than the BMC.
func (a SensorAddr) request(cmd uint8, data ...byte) *ipmi.Request {
	req := &ipmi.Request{NetFn: ipmi.NetFnSensorEvent, Cmd: cmd, LUN: a.LUN & 3, Data: data}
	if a.Owner != ipmi.BMCSlaveAddr && a.Owner&1 == 0 && a.Owner != 0 {
		req.Target = &ipmi.Address{Channel: a.Channel, Addr: a.Owner}
	}
	return req
}

// Addr returns the address of a full or compact sensor.
func (s *SensorCommon) Addr() SensorAddr {
	return SensorAddr{Owner: s.OwnerID, LUN: s.OwnerLUN, Channel: s.Channel, Number: s.Number}
}

// Addr returns the address of an event-only sensor.
func (e *EventOnlySensor) Addr() SensorAddr {
	return SensorAddr{Owner: e.OwnerID, LUN: e.OwnerLUN, Channel: e.Channel, Number: e.Number}
}

// GetRawReading sends Get Sensor Reading (04/2D).
func GetRawReading(ctx context.Context, c *ipmi.Client, a SensorAddr) (*RawReading, error) {
	b, err := c.Do(ctx, a.request(cmdGetReading, a.Number))
	if err != nil {
		return nil, err
	}
	return ParseRawReading(b)
}

// Thresholds is a Get Sensor Thresholds response: which thresholds are
// readable and their raw values, indexed by Threshold.
type Thresholds struct {
	Readable uint8
	Raw      [6]uint8
}

// Has reports whether threshold t is readable.
func (t *Thresholds) Has(th Threshold) bool { return t.Readable&(1<<th) != 0 }

// ParseThresholds decodes a Get Sensor Thresholds response. Missing
// trailing bytes leave those thresholds unreadable.
func ParseThresholds(b []byte) (*Thresholds, error) {
	if len(b) < 1 {
		return nil, ipmi.ShortError("Get Sensor Thresholds response", len(b), 1)
	}
	t := &Thresholds{Readable: b[0] & 0x3f}
	for i := 0; i < 6; i++ {
		if 1+i < len(b) {
			t.Raw[i] = b[1+i]
		} else {
			t.Readable &^= 1 << i
		}
	}
	return t, nil
}

// GetThresholds sends Get Sensor Thresholds (04/27).
func GetThresholds(ctx context.Context, c *ipmi.Client, a SensorAddr) (*Thresholds, error) {
	b, err := c.Do(ctx, a.request(cmdGetThresholds, a.Number))
	if err != nil {
		return nil, err
	}
	return ParseThresholds(b)
}

// SetThresholds sends Set Sensor Thresholds (04/26) for the thresholds in
// mask, with raw values indexed by Threshold.
func SetThresholds(ctx context.Context, c *ipmi.Client, a SensorAddr, mask uint8, raw [6]uint8) error {
	data := append([]byte{a.Number, mask & 0x3f}, raw[:]...)
	_, err := c.Do(ctx, a.request(cmdSetThresholds, data...))
	return err
}

// Hysteresis is a Get Sensor Hysteresis response (raw values).
type Hysteresis struct {
	Positive uint8
	Negative uint8
}

// GetHysteresis sends Get Sensor Hysteresis (04/25).
func GetHysteresis(ctx context.Context, c *ipmi.Client, a SensorAddr) (*Hysteresis, error) {
	b, err := c.Do(ctx, a.request(cmdGetHysteresis, a.Number, 0xff))
	if err != nil {
		return nil, err
	}
	if len(b) < 2 {
		return nil, ipmi.ShortError("Get Sensor Hysteresis response", len(b), 2)
	}
	return &Hysteresis{Positive: b[0], Negative: b[1]}, nil
}

// SetHysteresis sends Set Sensor Hysteresis (04/24).
func SetHysteresis(ctx context.Context, c *ipmi.Client, a SensorAddr, h Hysteresis) error {
	_, err := c.Do(ctx, a.request(cmdSetHysteresis, a.Number, 0xff, h.Positive, h.Negative))
	return err
}

// GetReadingFactors sends Get Sensor Reading Factors (04/23) for a
// non-linear sensor at a raw reading, and returns the factors that apply.
func GetReadingFactors(ctx context.Context, c *ipmi.Client, a SensorAddr, raw uint8, format uint8) (*Factors, error) {
	b, err := c.Do(ctx, a.request(cmdGetReadingFacts, a.Number, raw))
	if err != nil {
		return nil, err
	}
	if len(b) < 7 {
		return nil, ipmi.ShortError("Get Sensor Reading Factors response", len(b), 7)
	}
	// b[0] is the next reading with different factors; b[1:7] are the
	// record's bytes 25..30. The linearization stays linear.
	f := decodeFactors(format<<6, append([]byte{LinLinear}, b[1:7]...))
	return &f, nil
}

// GetEventEnable sends Get Sensor Event Enable (04/29) and returns its data:
// flags, then assertion and deassertion enable bits (1 to 5 bytes).
func GetEventEnable(ctx context.Context, c *ipmi.Client, a SensorAddr) ([]byte, error) {
	b, err := c.Do(ctx, a.request(0x29, a.Number))
	if err == nil && len(b) < 1 {
		err = ipmi.ShortError("Get Sensor Event Enable response", len(b), 1)
	}
	return b, err
}

// GetEventStatus sends Get Sensor Event Status (04/2B) and returns its data:
// flags, then asserted and deasserted event bits (1 to 5 bytes).
func GetEventStatus(ctx context.Context, c *ipmi.Client, a SensorAddr) ([]byte, error) {
	b, err := c.Do(ctx, a.request(0x2B, a.Number))
	if err == nil && len(b) < 1 {
		err = ipmi.ShortError("Get Sensor Event Status response", len(b), 1)
	}
	return b, err
}
