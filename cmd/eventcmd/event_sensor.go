package eventcmd

import (
	"fmt"
	"strings"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/cmd/sdrcmd"
	"github.com/ipmictl/ipmictl/sdr"
)

// eventThresholdList is what ipmitool prints for `event SENSOR list` on a
// threshold sensor (the trailing space after Non-Recoverable is its).
const eventThresholdList = "Sensor States:\n" +
	"  lnr : Lower Non-Recoverable \n" +
	"  lcr : Lower Critical\n" +
	"  lnc : Lower Non-Critical\n" +
	"  unc : Upper Non-Critical\n" +
	"  ucr : Upper Critical\n" +
	"  unr : Upper Non-Recoverable\n"

// eventDigitalShortcuts are the on/off words ipmitool accepts for digital
// discrete sensors (event/reading types 03h-06h, 08h, 09h): offset 1 and 0.
var eventDigitalShortcuts = [...][2]string{
	{"present", "absent"}, {"assert", "deassert"}, {"limit", "nolimit"},
	{"fail", "nofail"}, {"yes", "no"}, {"on", "off"}, {"up", "down"},
}

// fromSensor is ipmitool's ipmi_event_fromsensor: find the sensor's SDR,
// turn the state into event data, send.
func (s *eventSender) fromSensor(id, state, dir string) error {
	deassert := false
	switch dir {
	case "", "assert":
	case "deassert":
		deassert = true
	default:
		return cli.UsageErrorf("Invalid event direction %s.  Must be 'assert' or 'deassert'", dir)
	}
	fmt.Fprintf(&s.res.text, "Finding sensor %s... ", id)
	sess, err := sdrcmd.Open(s.f)
	if err != nil {
		s.res.text.WriteString("not found!\n")
		return err
	}
	s.sdr, s.sdrLoaded = sess, true
	r := sess.FindByName(id)
	if r == nil {
		s.res.text.WriteString("not found!\n")
		return fmt.Errorf("sensor %q not found", id)
	}
	s.res.text.WriteString("ok\n")
	sc := r.Sensor()
	if sc == nil || (r.Full == nil && r.Compact == nil) {
		return fmt.Errorf("Unknown sensor type for id '%s'", id)
	}
	body := [7]byte{0x04, sc.SensorType, sc.Number, sc.EventType & 0x7F, 0, 0xff, 0xff}
	if deassert {
		body[3] |= 0x80
	}
	meta := eventJSON{Sensor: id, State: state}
	et := sc.EventType
	switch {
	case et == sdr.EventTypeThreshold:
		if state == "" || state == "list" {
			s.res.text.WriteString(eventThresholdList)
			s.res.Sensor = id
			s.res.States = []string{"lnr", "lcr", "lnc", "unc", "ucr", "unr"}
			return nil
		}
		th, ok := eventThreshold(state)
		if !ok {
			return cli.UsageErrorf("Invalid threshold identifier %s", state)
		}
		c, err := s.client()
		if err != nil {
			return err
		}
		t, err := sdr.GetThresholds(s.f.Context(), c, sc.Addr())
		if err != nil {
			return fmt.Errorf("Command Get Sensor Thresholds failed: %w", err)
		}
		var hyst *sdr.Hysteresis
		if h, err := sdr.GetHysteresis(s.f.Context(), c, sc.Addr()); err == nil {
			hyst = h
		} else if s.f.Context().Err() != nil {
			return err
		}
		ed := eventThresholdData(th, deassert, t, hyst)
		copy(body[4:], ed[:])
	case et == 0x03 || et == 0x04 || et == 0x05 || et == 0x06 || et == 0x08 || et == 0x09:
		if state == "" || strings.EqualFold(state, "list") {
			s.listStates(id, sc, true)
			return nil
		}
		off, ok := eventDigitalOffset(state)
		if !ok {
			if off, ok = eventFindOffset(sc.SensorType, et, state); !ok {
				return fmt.Errorf("Unable to find matching event offset for '%s'", state)
			}
		}
		body[4] = off
	case et == 0x02 || et == 0x07 || (et >= 0x0A && et <= 0x0C) || et == sdr.EventTypeSensorSpecific:
		if state == "" || strings.EqualFold(state, "list") {
			s.listStates(id, sc, false)
			return nil
		}
		off, ok := eventFindOffset(sc.SensorType, et, state)
		if !ok {
			return fmt.Errorf("Unable to find matching event offset for '%s'", state)
		}
		body[4] = off
	default:
		return fmt.Errorf("sensor '%s' has event/reading type %02xh: no states to send", id, et)
	}
	return s.send(body, meta)
}

// listStates prints the sensor's states as ipmitool's print_sensor_states
// (ipmi_sdr_print_discrete_state_mini with every bit set), and for digital
// sensors the shortcut words.
func (s *eventSender) listStates(id string, sc *sdr.SensorCommon, digital bool) {
	states := sdr.AssertedStates(sc.EventType, sc.SensorType, 0xff, 0xff)
	s.res.text.WriteString("Sensor States: \n  " + strings.Join(states, "\n  ") + "\n")
	s.res.Sensor, s.res.States = id, cli.TrimmedStates(states)
	if s.res.States == nil {
		s.res.States = []string{}
	}
	if !digital {
		return
	}
	s.res.text.WriteString("Sensor State Shortcuts:\n")
	for _, p := range eventDigitalShortcuts {
		fmt.Fprintf(&s.res.text, "  %-9s  %-9s\n", p[0], p[1])
	}
	s.res.Shortcuts = eventDigitalShortcuts[:]
}

// eventThreshold maps ipmitool's threshold names (lower case only, as its
// strcmp) to thresholds.
func eventThreshold(name string) (sdr.Threshold, bool) {
	for th := sdr.Threshold(0); th < 6; th++ {
		if th.String() == name {
			return th, true
		}
	}
	return 0, false
}

// eventThresholdData is ipmitool's threshold event: the offset "going
// high" for an upper threshold asserted or a lower one deasserted, "going
// low" otherwise; event data 3 the threshold's raw value, data 2 a trigger
// reading one hysteresis step (at least 1) past it in the going direction.
func eventThresholdData(th sdr.Threshold, deassert bool, t *sdr.Thresholds, h *sdr.Hysteresis) [3]byte {
	upper := th >= 3 // unc, ucr, unr
	high := upper != deassert
	offset := uint8(th) * 2
	if high {
		offset++
	}
	limit := t.Raw[th]
	step := 1
	if h != nil {
		v := h.Negative
		if high {
			v = h.Positive
		}
		if v > 0 {
			step = int(v)
		}
	}
	trigger := int(limit) - step
	if high {
		trigger = int(limit) + step
	}
	trigger = min(max(trigger, 0), 0xff)
	return [3]byte{0x50 | offset, uint8(trigger), limit}
}

// eventDigitalOffset reads a shortcut word: offset 1 for the first word of
// a pair, 0 for the second.
func eventDigitalOffset(state string) (uint8, bool) {
	for _, p := range eventDigitalShortcuts {
		switch {
		case strings.EqualFold(state, p[0]):
			return 1, true
		case strings.EqualFold(state, p[1]):
			return 0, true
		}
	}
	return 0, false
}

// eventFindOffset is ipmitool's ipmi_event_find_offset: the first state
// whose text equals desc ignoring case, qualified rows included. A sensor
// type of 0 gives offset 0 without looking, as in ipmitool.
func eventFindOffset(sensorType, eventType uint8, desc string) (uint8, bool) {
	if sensorType == 0 || eventType == 0 {
		return 0, true
	}
	for _, e := range sdr.EventStates(eventType, sensorType) {
		if strings.EqualFold(desc, e.Desc) {
			return e.Offset, true
		}
	}
	return 0, false
}
