package bmcsim

import (
	"fmt"
	"math"
	"time"
)

// Sensor types and event/reading types used by the model (IPMI v2.0
// tables 42-1, 42-3).
const (
	typeTemperature  = 0x01
	typeVoltage      = 0x02
	typeFan          = 0x04
	typeIntrusion    = 0x05
	typeProcessor    = 0x07
	typePowerSupply  = 0x08
	typeDriveSlot    = 0x0D
	typeWatchdog2    = 0x23
	typeOther        = 0x0B // "other units-based sensor" (power)
	readingThreshold = 0x01
	readingSpecific  = 0x6F

	unitDegreesC = 1
	unitVolts    = 4
	unitWatts    = 6
	unitRPM      = 18

	watchdogSensorNum = 0x00
	intrusionSensor   = 0x11

	sensorTick  = 2 * time.Second // readings move in steps of this length
	maxCatchUp  = 64              // steps evaluated after a long idle period
	thresholdNA = 0xFF            // marks a threshold the sensor does not have
)

// Threshold indexes, in Get Sensor Thresholds order.
const (
	thLNC = iota
	thLCR
	thLNR
	thUNC
	thUCR
	thUNR
)

type sensorKind uint8

const (
	kindThreshold sensorKind = iota
	kindDiscrete
	kindEventOnly
)

// sensor is one simulated sensor: its SDR description and live state.
type sensor struct {
	num      uint8
	name     string
	kind     sensorKind
	entity   uint8
	instance uint8
	stype    uint8
	ertype   uint8

	// Threshold sensors: y = (M*x + B*10^bexp) * 10^rexp, unsigned x.
	unit       uint8
	m, b       int
	rexp, bexp int
	thr        [6]uint8 // raw; thresholdNA when absent
	hyst       uint8    // raw, both directions
	nominal    float64
	amplitude  float64
	period     float64 // seconds
	phase      float64
	noise      float64 // raw counts of jitter
	needsPower bool    // unavailable while the host is off

	// Discrete sensors: supported state bits.
	stateMask uint16

	// Live state.
	raw         uint8
	override    *float64
	states      uint16 // discrete state bits, or threshold comparison bits
	asserted    uint16 // event offsets currently asserted
	unavailable bool
	eventsOn    bool
	scanning    bool
	assertEn    uint16
	deassertEn  uint16
}

func (s *sensor) threshold() bool { return s.kind == kindThreshold }

// toRaw converts a value in the sensor's units to its raw byte.
func (s *sensor) toRaw(v float64) uint8 {
	x := (v/math.Pow10(s.rexp) - float64(s.b)*math.Pow10(s.bexp)) / float64(s.m)
	return uint8(math.Round(min(max(x, 0), 255)))
}

// toValue converts a raw byte to the sensor's units.
func (s *sensor) toValue(raw uint8) float64 {
	return (float64(s.m)*float64(raw) + float64(s.b)*math.Pow10(s.bexp)) * math.Pow10(s.rexp)
}

// readableMask is the Get Sensor Thresholds readable bit mask.
func (s *sensor) readableMask() uint8 {
	var m uint8
	for i, t := range s.thr {
		if t != thresholdNA {
			m |= 1 << i
		}
	}
	return m
}

// thresholdEventMask is the SDR assertion/deassertion event mask: going
// low for lower thresholds, going high for upper ones.
func (s *sensor) thresholdEventMask() uint16 {
	var m uint16
	for i, t := range s.thr {
		if t != thresholdNA {
			m |= 1 << thresholdOffset(i)
		}
	}
	return m
}

// thresholdOffset is the event offset of crossing threshold i in its
// alarming direction (table 42-2): LNC going low = 0 ... UNR going high = 11.
func thresholdOffset(i int) uint8 {
	if i < thUNC {
		return uint8(2 * i)
	}
	return uint8(2*i + 1)
}

type sensorSpec struct {
	num                      uint8
	name                     string
	entity, instance         uint8
	unit                     uint8
	m, rexp                  int
	nominal, amplitude       float64
	period, noise            float64
	lnr, lcr, lnc            float64 // NaN when absent
	unc, ucr, unr            float64
	needsPower               bool
	stype                    uint8
	discreteMask, initStates uint16
}

var na = math.NaN()

// fleetSensors is the sensor table: a two-socket server with three fans,
// four rails, two PSUs, a chassis intrusion switch and two drive bays.
// CPU1 Temp and FAN3 are tuned to cross their non-critical thresholds once
// per period, so the SEL fills with real threshold events over time.
var fleetSensors = []sensorSpec{
	{num: 0x01, name: "CPU1 Temp", entity: 3, instance: 1, unit: unitDegreesC, m: 1, nominal: 60, amplitude: 23, period: 600, noise: 1,
		lnr: na, lcr: na, lnc: na, unc: 80, ucr: 90, unr: 95, needsPower: true, stype: typeTemperature},
	{num: 0x02, name: "CPU2 Temp", entity: 3, instance: 2, unit: unitDegreesC, m: 1, nominal: 52, amplitude: 8, period: 420, noise: 1,
		lnr: na, lcr: na, lnc: na, unc: 80, ucr: 90, unr: 95, needsPower: true, stype: typeTemperature},
	{num: 0x03, name: "Inlet Temp", entity: 7, instance: 1, unit: unitDegreesC, m: 1, nominal: 23, amplitude: 2, period: 1800, noise: 0.5,
		lnr: na, lcr: 3, lnc: 8, unc: 42, ucr: 47, unr: 50, stype: typeTemperature},
	{num: 0x04, name: "Exhaust Temp", entity: 7, instance: 1, unit: unitDegreesC, m: 1, nominal: 36, amplitude: 4, period: 600, noise: 1,
		lnr: na, lcr: na, lnc: na, unc: 60, ucr: 70, unr: 75, stype: typeTemperature},
	{num: 0x05, name: "FAN1", entity: 29, instance: 1, unit: unitRPM, m: 50, nominal: 5400, amplitude: 500, period: 300, noise: 1,
		lnr: 300, lcr: 500, lnc: 1000, unc: na, ucr: na, unr: na, needsPower: true, stype: typeFan},
	{num: 0x06, name: "FAN2", entity: 29, instance: 2, unit: unitRPM, m: 50, nominal: 5600, amplitude: 400, period: 360, noise: 1,
		lnr: 300, lcr: 500, lnc: 1000, unc: na, ucr: na, unr: na, needsPower: true, stype: typeFan},
	{num: 0x07, name: "FAN3", entity: 29, instance: 3, unit: unitRPM, m: 50, nominal: 3300, amplitude: 2400, period: 900, noise: 1,
		lnr: 300, lcr: 500, lnc: 1000, unc: na, ucr: na, unr: na, needsPower: true, stype: typeFan},
	{num: 0x08, name: "12V", entity: 7, instance: 1, unit: unitVolts, m: 6, rexp: -2, nominal: 12.0, amplitude: 0.06, period: 240, noise: 1,
		lnr: na, lcr: 10.8, lnc: 11.4, unc: 12.6, ucr: 13.2, unr: na, stype: typeVoltage},
	{num: 0x09, name: "5V", entity: 7, instance: 1, unit: unitVolts, m: 3, rexp: -2, nominal: 5.01, amplitude: 0.03, period: 260, noise: 1,
		lnr: na, lcr: 4.5, lnc: 4.75, unc: 5.25, ucr: 5.5, unr: na, stype: typeVoltage},
	{num: 0x0A, name: "3.3V", entity: 7, instance: 1, unit: unitVolts, m: 2, rexp: -2, nominal: 3.30, amplitude: 0.02, period: 280, noise: 1,
		lnr: na, lcr: 2.96, lnc: 3.14, unc: 3.46, ucr: 3.64, unr: na, stype: typeVoltage},
	{num: 0x0B, name: "VBAT", entity: 7, instance: 1, unit: unitVolts, m: 2, rexp: -2, nominal: 3.04, amplitude: 0, period: 3600, noise: 0,
		lnr: na, lcr: 2.5, lnc: 2.7, unc: na, ucr: na, unr: na, stype: typeVoltage},
	{num: 0x10, name: "Pwr Consumption", entity: 7, instance: 1, unit: unitWatts, m: 4, nominal: 280, amplitude: 60, period: 200, noise: 2,
		lnr: na, lcr: na, lnc: na, unc: 800, ucr: 900, unr: na, stype: typeOther},

	{num: 0x0C, name: "PSU1 Status", entity: 10, instance: 1, stype: typePowerSupply, discreteMask: 0x000F, initStates: 0x0001},
	{num: 0x0D, name: "PSU2 Status", entity: 10, instance: 2, stype: typePowerSupply, discreteMask: 0x000F, initStates: 0x0009},
	{num: 0x0E, name: "CPU1 Status", entity: 3, instance: 1, stype: typeProcessor, discreteMask: 0x0181, initStates: 0x0080},
	{num: 0x0F, name: "CPU2 Status", entity: 3, instance: 2, stype: typeProcessor, discreteMask: 0x0181, initStates: 0x0080},
	{num: intrusionSensor, name: "Intrusion", entity: 23, instance: 1, stype: typeIntrusion, discreteMask: 0x0001, initStates: 0x0000},
	{num: 0x12, name: "Drive 0", entity: 4, instance: 1, stype: typeDriveSlot, discreteMask: 0x0003, initStates: 0x0001},
	{num: 0x13, name: "Drive 1", entity: 4, instance: 2, stype: typeDriveSlot, discreteMask: 0x0003, initStates: 0x0000},
}

func newSensors(seed int64) []*sensor {
	out := []*sensor{{
		num: watchdogSensorNum, name: "Watchdog", kind: kindEventOnly, entity: 6, instance: 1,
		stype: typeWatchdog2, ertype: readingSpecific, stateMask: 0x010F, eventsOn: true,
	}}
	for i, sp := range fleetSensors {
		s := &sensor{
			num: sp.num, name: sp.name, entity: sp.entity, instance: sp.instance, stype: sp.stype,
			eventsOn: true, scanning: true,
		}
		if sp.discreteMask != 0 {
			s.kind, s.ertype = kindDiscrete, readingSpecific
			s.stateMask, s.states = sp.discreteMask, sp.initStates
			s.assertEn, s.deassertEn = sp.discreteMask, sp.discreteMask
			out = append(out, s)
			continue
		}
		s.kind, s.ertype = kindThreshold, readingThreshold
		s.unit, s.m, s.rexp = sp.unit, sp.m, sp.rexp
		s.nominal, s.amplitude, s.period, s.noise = sp.nominal, sp.amplitude, sp.period, sp.noise
		s.needsPower = sp.needsPower
		// A per-BMC phase: a fleet's sensors do not move in lock step.
		s.phase = float64(splitmix(uint64(seed)*31+uint64(i))%3600) / 3600 * 2 * math.Pi
		for j, v := range []float64{sp.lnc, sp.lcr, sp.lnr, sp.unc, sp.ucr, sp.unr} {
			s.thr[j] = thresholdNA
			if !math.IsNaN(v) {
				s.thr[j] = s.toRaw(v)
			}
		}
		s.hyst = 2
		s.assertEn, s.deassertEn = s.thresholdEventMask(), s.thresholdEventMask()
		out = append(out, s)
	}
	return out
}

// splitmix is a small, fast hash for deterministic jitter.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// valueAt is the deterministic reading of s at sensor step k.
func (s *sensor) valueAt(seed int64, k int64) float64 {
	t := float64(k) * sensorTick.Seconds()
	v := s.nominal + s.amplitude*math.Sin(2*math.Pi*t/s.period+s.phase)
	if s.noise > 0 {
		j := splitmix(uint64(seed)<<8 ^ uint64(s.num)<<48 ^ uint64(k))
		v += (float64(j%3) - 1) * s.noise * float64(s.m) * math.Pow10(s.rexp)
	}
	return v
}

func (b *BMC) sensorByNum(n uint8) *sensor {
	for _, s := range b.sensors {
		if s.num == n {
			return s
		}
	}
	return nil
}

func (b *BMC) sensorByName(name string) *sensor {
	for _, s := range b.sensors {
		if s.name == name {
			return s
		}
	}
	return nil
}

func (b *BMC) step() int64 {
	d := b.now().Sub(b.boot)
	if d < 0 {
		return 0
	}
	return int64(d / sensorTick)
}

// advance brings the model up to the present: pending power transitions,
// the watchdog, and the sensor steps since the last request (call with
// b.mu held).
func (b *BMC) advance() {
	now := b.now()
	b.chassis.settle(now)
	b.checkWatchdog()
	if b.chassis.on != b.poweredSeen {
		// Host-powered sensors go dark or come back with the host.
		b.poweredSeen = b.chassis.on
		b.evaluateSensors(b.lastStep, false)
	}
	if b.frozen {
		return
	}
	k := b.step()
	if k <= b.lastStep {
		return
	}
	for i := max(b.lastStep+1, k-maxCatchUp+1); i <= k; i++ {
		b.evaluateSensors(i, true)
	}
	b.lastStep = k
}

// evaluateSensors computes every threshold sensor at step k and, when log
// is set, records threshold crossings in the SEL.
func (b *BMC) evaluateSensors(k int64, log bool) {
	at := b.boot.Add(time.Duration(k) * sensorTick)
	for _, s := range b.sensors {
		if s.kind != kindThreshold {
			continue
		}
		if s.needsPower && !b.chassis.on {
			s.unavailable = true
			s.states = 0
			continue
		}
		s.unavailable = false
		v := s.valueAt(b.cfg.seed+int64(b.cfg.index), k)
		if s.override != nil {
			v = *s.override
		}
		s.raw = s.toRaw(v)
		b.updateThresholdState(s, at, log)
	}
}

// updateThresholdState sets the comparison bits and logs assertions and
// deassertions (with hysteresis) as the reading crosses thresholds.
func (b *BMC) updateThresholdState(s *sensor, at time.Time, log bool) {
	var status uint8
	for i, t := range s.thr {
		if t == thresholdNA {
			continue
		}
		lower := i < thUNC
		reached := (lower && s.raw <= t) || (!lower && s.raw >= t)
		if reached {
			status |= 1 << i
		}
		off := thresholdOffset(i)
		bit := uint16(1) << off
		was := s.asserted&bit != 0
		cleared := (lower && int(s.raw) > int(t)+int(s.hyst)) || (!lower && int(s.raw) < int(t)-int(s.hyst))
		switch {
		case reached && !was:
			s.asserted |= bit
			if log && s.eventsOn && s.assertEn&bit != 0 {
				b.logEventAt(at, s.num, s.stype, readingThreshold, false, 0x50|off, s.raw, t)
			}
		case was && cleared:
			s.asserted &^= bit
			if log && s.eventsOn && s.deassertEn&bit != 0 {
				b.logEventAt(at, s.num, s.stype, readingThreshold, true, 0x50|off, s.raw, t)
			}
		}
	}
	s.states = uint16(status)
}

// SetReading pins threshold sensor name to value (in its units) until
// ClearReading; crossings are logged at once. It works frozen or not.
func (b *BMC) SetReading(name string, value float64) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.sensorByName(name)
	if s == nil || s.kind != kindThreshold {
		return fmt.Errorf("bmcsim: no threshold sensor %q", name)
	}
	b.advance()
	v := value
	s.override = &v
	s.raw = s.toRaw(v)
	s.unavailable = false
	b.updateThresholdState(s, b.now(), true)
	return nil
}

// ClearReading lets sensor name move again.
func (b *BMC) ClearReading(name string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if s := b.sensorByName(name); s != nil {
		s.override = nil
	}
}

// Reading returns the current value of threshold sensor name in its units.
func (b *BMC) Reading(name string) (float64, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.advance()
	s := b.sensorByName(name)
	if s == nil || s.kind != kindThreshold {
		return 0, fmt.Errorf("bmcsim: no threshold sensor %q", name)
	}
	if s.unavailable {
		return 0, fmt.Errorf("bmcsim: sensor %q has no reading (host off)", name)
	}
	return s.toValue(s.raw), nil
}

// SetDiscreteState asserts (on) or deasserts state offset of discrete
// sensor name, logging the event, e.g. ("Intrusion", 0, true).
func (b *BMC) SetDiscreteState(name string, offset uint8, on bool) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.sensorByName(name)
	if s == nil || s.kind != kindDiscrete || offset > 14 || s.stateMask&(1<<offset) == 0 {
		return fmt.Errorf("bmcsim: no discrete sensor %q with state %d", name, offset)
	}
	bit := uint16(1) << offset
	if (s.states&bit != 0) == on {
		return nil
	}
	s.states ^= bit
	en := s.assertEn
	if !on {
		en = s.deassertEn
	}
	if s.eventsOn && en&bit != 0 {
		b.logEvent(s.num, s.stype, s.ertype, !on, offset, 0xFF, 0xFF)
	}
	return nil
}

func (b *BMC) intrusion() bool {
	s := b.sensorByNum(intrusionSensor)
	return s != nil && s.states&0x01 != 0
}
