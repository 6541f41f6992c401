package sdrcmd

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/sdr"
)

// sdrText is a verbose text view (sdr get, sensor get, sensor reading)
// with the structured form -o json prints instead.
type sdrText struct {
	Text string
	JSON []any
}

// WriteCSV prints the text: the views that have a -c form build it.
func (t sdrText) WriteCSV(w io.Writer) error { return t.WriteText(w) }

func (t sdrText) MarshalJSON() ([]byte, error) {
	if t.JSON == nil {
		return cli.JSONMarshal([]any{})
	}
	return cli.JSONMarshal(t.JSON)
}

func (t sdrText) WriteText(w io.Writer) error {
	_, err := io.WriteString(w, t.Text)
	return err
}

// sdrEventBits are ipmitool's names for threshold event bits, by byte.
var sdrEventBits1 = [8]string{"lnc-", "lnc+", "lcr-", "lcr+", "lnr-", "lnr+", "unc-", "unc+"}
var sdrEventBits2 = [4]string{"ucr-", "ucr+", "unr-", "unr+"}

// sdrDiscreteState is ipmitool's ipmi_sdr_print_discrete_state.
func sdrDiscreteState(b *strings.Builder, desc string, sensorType, eventType, s1, s2 uint8) {
	if s1 == 0 && s2&0x7f == 0 {
		return
	}
	rows := sdr.EventStates(eventType, sensorType)
	header := false
	for _, e := range rows {
		if e.Data != 0xff {
			continue
		}
		if !header {
			fmt.Fprintf(b, " %-21s : %s\n", desc, sdr.SensorTypeName(sensorType))
			header = true
		}
		var set bool
		if e.Offset > 7 {
			set = e.Offset < 15 && (1<<(e.Offset-8))&(s2&0x7f) != 0
		} else {
			set = (1<<e.Offset)&s1 != 0
		}
		if set {
			fmt.Fprintf(b, "                         [%s]\n", e.Desc)
		}
	}
}

// sdrThresholdEvents prints one "Assertions Enabled"-style line.
func sdrThresholdEvents(b *strings.Builder, label string, d []byte, lo, hi int) {
	fmt.Fprintf(b, " %-21s : ", label)
	for i := 0; i < 8; i++ {
		if d[lo]&(1<<i) != 0 {
			b.WriteString(sdrEventBits1[i] + " ")
		}
	}
	if hi < len(d) {
		for i := 0; i < 4; i++ {
			if d[hi]&(1<<i) != 0 {
				b.WriteString(sdrEventBits2[i] + " ")
			}
		}
	}
	b.WriteString("\n")
}

// sdrEventEnable is ipmitool's ipmi_sdr_print_sensor_event_enable (and,
// with status true, ..._event_status): silent when the BMC refuses.
func sdrEventEnable(ctx context.Context, c *ipmi.Client, b *strings.Builder, sc *sdr.SensorCommon, status bool) error {
	get, name, assertL, deassertL := sdr.GetEventEnable, "Event Enable", "Assertions Enabled", "Deassertions Enabled"
	if status {
		get, name, assertL, deassertL = sdr.GetEventStatus, "Event Status", "Assertion Events", "Deassertion Events"
	}
	d, err := get(ctx, c, sc.Addr())
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return nil
	}
	if status && d[0]&0x20 != 0 {
		fmt.Fprintf(b, " %-21s : Unavailable\n", name)
		return nil
	}
	if d[0]&0x80 == 0 {
		fmt.Fprintf(b, " %-21s : Event Messages Disabled\n", name)
	}
	at := func(i int) uint8 {
		if i < len(d) {
			return d[i]
		}
		return 0
	}
	if !sc.IsThreshold() {
		if len(d) >= 2 {
			sdrDiscreteState(b, assertL, sc.SensorType, sc.EventType, at(1), at(2))
		}
		if len(d) >= 4 {
			sdrDiscreteState(b, deassertL, sc.SensorType, sc.EventType, at(3), at(4))
		}
		return nil
	}
	if len(d) < 2 {
		return nil
	}
	sdrThresholdEvents(b, assertL, d, 1, 2)
	if len(d) > 2 {
		deassert := (len(d) == 4 && d[3] != 0) || (len(d) > 4 && (d[3] != 0 || d[4] != 0))
		if status {
			// ipmitool's event-status check wants both bytes non-zero.
			deassert = (len(d) == 4 && d[3] != 0) || (len(d) > 4 && d[3] != 0 && d[4] != 0)
		}
		if deassert {
			sdrThresholdEvents(b, deassertL, d, 3, 4)
		}
	}
	return nil
}

// sdrHysteresis is ipmitool's ipmi_sdr_print_sensor_hysteresis.
func sdrHysteresis(b *strings.Builder, v *sdrValue, raw uint8, label string) {
	if v.full == nil || v.sc.UnitsDiscrete() {
		if raw == 0 || raw == 0xff {
			fmt.Fprintf(b, " %s   : Unspecified\n", label)
		} else {
			fmt.Fprintf(b, " %s   : 0x%02X\n", label, raw)
		}
		return
	}
	h, _ := v.full.ConvertHysteresis(raw)
	if raw == 0 || raw == 0xff || h == 0 {
		fmt.Fprintf(b, " %s   : Unspecified\n", label)
	} else {
		fmt.Fprintf(b, " %s   : %.3f\n", label, h)
	}
}

// sdrMinMax is ipmitool's print_sensor_min_max.
func sdrMinMax(b *strings.Builder, full *sdr.FullSensor) {
	analog := !full.UnitsDiscrete()
	fmtRange := func(label string, raw uint8, unspec [3]uint8) {
		c, _ := full.Convert(raw)
		f := full.AnalogFormat()
		if (f < 3 && raw == unspec[f]) || (analog && c == 0) {
			fmt.Fprintf(b, " %-21s : Unspecified\n", label)
		} else if analog {
			fmt.Fprintf(b, " %-21s : %.3f\n", label, c)
		} else {
			fmt.Fprintf(b, " %-21s : 0x%02X\n", label, raw)
		}
	}
	fmtRange("Minimum sensor range", full.SensorMin, [3]uint8{0x00, 0xff, 0x80})
	fmtRange("Maximum sensor range", full.SensorMax, [3]uint8{0xff, 0x00, 0x7f})
}

var sdrEventMsgControl = [4]string{"Per-threshold", "Entire Sensor Only", "Global Disable Only", "No Events From Sensor"}

// sdrMaskNames lists the threshold names set in mask, each followed by a space.
func sdrMaskNames(mask uint8) string {
	var s string
	for _, t := range []sdr.Threshold{sdr.LNR, sdr.LCR, sdr.LNC, sdr.UNC, sdr.UCR, sdr.UNR} {
		if mask&(1<<t) != 0 {
			s += t.String() + " "
		}
	}
	return s
}

// sdrVerboseSensor is `sdr get` for a full or compact sensor.
func sdrVerboseSensor(ctx context.Context, c *ipmi.Client, b *strings.Builder, v *sdrValue) error {
	sc := v.sc
	fmt.Fprintf(b, "Sensor ID              : %s (0x%x)\n", sdrDisplayName(v.rec), sc.Number)
	fmt.Fprintf(b, " Entity ID             : %d.%d (%s)\n", sc.EntityID, sc.EntityInstance, sdr.EntityName(sc.EntityID))
	if !sc.IsThreshold() {
		fmt.Fprintf(b, " Sensor Type (Discrete): %s (0x%02x)\n", sdr.SensorTypeName(sc.SensorType), sc.SensorType)
		b.WriteString(" Sensor Reading        : ")
		switch {
		case v.valid && v.hasAnalog:
			fmt.Fprintf(b, "%s %s\n", sdrFormat(v.value, 2), v.units)
		case v.valid:
			fmt.Fprintf(b, "%xh\n", v.raw)
		case v.scanDisabled:
			b.WriteString("Disabled\n")
		default:
			b.WriteString("No Reading\n")
		}
		fmt.Fprintf(b, " Event Message Control : %s\n", sdrEventMsgControl[sc.EventMessageControl()])
		sdrDiscreteState(b, "States Asserted", sc.SensorType, sc.EventType, v.data2, v.data3)
		if err := sdrEventEnable(ctx, c, b, sc, true); err != nil {
			return err
		}
		if err := sdrEventEnable(ctx, c, b, sc, false); err != nil {
			return err
		}
		fmt.Fprintf(b, " OEM                   : %X\n\n", sc.OEM)
		return nil
	}
	fmt.Fprintf(b, " Sensor Type (Threshold)  : %s (0x%02x)\n", sdr.SensorTypeName(sc.SensorType), sc.SensorType)
	b.WriteString(" Sensor Reading        : ")
	switch {
	case v.valid && v.full != nil && sc.UnitsDiscrete():
		fmt.Fprintf(b, "0x%02X (+/- 0x%02X) %s\n", v.raw, v.full.Tolerance, v.units)
	case v.valid && v.full != nil:
		tol, _ := v.factors.ConvertTolerance()
		fmt.Fprintf(b, "%s (+/- %s) %s\n", sdrFormat(v.value, 3), sdrFormat(tol, 3), v.units)
	case v.valid:
		fmt.Fprintf(b, "0x%02X %s\n", v.raw, v.units)
	case v.scanDisabled:
		b.WriteString("Disabled\n")
	default:
		b.WriteString("No Reading\n")
	}
	fmt.Fprintf(b, " Status                : %s\n", v.threshStatus("Not Available", sdrStatusLong))
	var posH, negH uint8
	if full := v.full; full != nil {
		norm := func(flag uint8, label string, raw uint8) {
			if full.AnalogFlags&flag == 0 {
				return
			}
			if sc.UnitsDiscrete() {
				fmt.Fprintf(b, " %-21s : 0x%02X\n", label, raw)
			} else {
				x, _ := full.Convert(raw)
				fmt.Fprintf(b, " %-21s : %.3f\n", label, x)
			}
		}
		norm(1, "Nominal Reading", full.Nominal)
		norm(4, "Normal Minimum", full.NormalMin)
		norm(2, "Normal Maximum", full.NormalMax)
		labels := map[sdr.Threshold]string{sdr.UNR: "Upper non-recoverable", sdr.UCR: "Upper critical",
			sdr.UNC: "Upper non-critical", sdr.LNR: "Lower non-recoverable", sdr.LCR: "Lower critical", sdr.LNC: "Lower non-critical"}
		for _, t := range []sdr.Threshold{sdr.UNR, sdr.UCR, sdr.UNC, sdr.LNR, sdr.LCR, sdr.LNC} {
			if sc.InitThresholds() && sc.Readable()&(1<<t) != 0 {
				norm(0xff, labels[t], full.Thresholds[t])
			}
		}
		posH, negH = full.PosHyst, full.NegHyst
	} else if v.rec.Compact != nil {
		posH, negH = v.rec.Compact.PosHyst, v.rec.Compact.NegHyst
	}
	sdrHysteresis(b, v, posH, "Positive Hysteresis")
	sdrHysteresis(b, v, negH, "Negative Hysteresis")
	if v.full != nil {
		sdrMinMax(b, v.full)
	}
	fmt.Fprintf(b, " Event Message Control : %s\n", sdrEventMsgControl[sc.EventMessageControl()])
	for _, l := range []struct {
		label string
		mask  uint8
	}{{"Readable Thresholds", sc.Readable()}, {"Settable Thresholds", sc.Settable()}} {
		fmt.Fprintf(b, " %-21s : ", l.label)
		switch sc.ThresholdAccess() {
		case 0:
			b.WriteString("No Thresholds\n")
		case 3:
			b.WriteString("Thresholds Fixed\n")
		default:
			b.WriteString(sdrMaskNames(l.mask) + "\n")
		}
	}
	if m := sc.StatusMask(); m != 0 {
		fmt.Fprintf(b, " Threshold Read Mask   : %s\n", sdrMaskNames(m))
	}
	if err := sdrEventEnable(ctx, c, b, sc, true); err != nil {
		return err
	}
	if err := sdrEventEnable(ctx, c, b, sc, false); err != nil {
		return err
	}
	b.WriteString("\n")
	return nil
}

// VerboseOther is `sdr get` for event-only sensors and locators.
func VerboseOther(b *strings.Builder, r *sdr.Record) {
	name := sdrDisplayName(r)
	yn := func(v bool) string {
		if v {
			return "Yes"
		}
		return "No"
	}
	switch {
	case r.EventOnly != nil:
		e := r.EventOnly
		fmt.Fprintf(b, "Sensor ID              : %s (0x%x)\n", name, e.Number)
		fmt.Fprintf(b, "Entity ID              : %d.%d (%s)\n", e.EntityID, e.EntityInstance, sdr.EntityName(e.EntityID))
		fmt.Fprintf(b, "Sensor Type            : %s (0x%02x)\n\n", sdr.SensorTypeName(e.SensorType), e.SensorType)
	case r.MCLocator != nil:
		m := r.MCLocator
		fmt.Fprintf(b, "Device ID              : %s\n", name)
		fmt.Fprintf(b, "Entity ID              : %d.%d (%s)\n", m.EntityID, m.EntityInstance, sdr.EntityName(m.EntityID))
		fmt.Fprintf(b, "Device Slave Address   : %02Xh\n", m.SlaveAddr)
		fmt.Fprintf(b, "Channel Number         : %01Xh\n", m.Channel)
		req := func(bit uint8) string {
			if m.PowerState&bit != 0 {
				return ""
			}
			return "Not "
		}
		fmt.Fprintf(b, "ACPI System P/S Notif  : %sRequired\n", req(4))
		fmt.Fprintf(b, "ACPI Device P/S Notif  : %sRequired\n", req(2))
		kind := "Dynamic"
		if m.Static() {
			kind = "Static"
		}
		fmt.Fprintf(b, "Controller Presence    : %s\n", kind)
		fmt.Fprintf(b, "Logs Init Agent Errors : %s\n", yn(m.GlobalInit&8 != 0))
		gen := [4]string{"Enable", "Disable", "Do Not Init Controller", "Reserved"}
		fmt.Fprintf(b, "Event Message Gen      : %s\n", gen[m.GlobalInit&3])
		b.WriteString("Device Capabilities\n")
		for i, l := range []string{"Chassis Device", "Bridge", "IPMB Event Generator", "IPMB Event Receiver",
			"FRU Inventory Device", "SEL Device", "SDR Repository", "Sensor Device"} {
			fmt.Fprintf(b, " %-21s : %s\n", l, yn(m.Capabilities&(0x80>>i) != 0))
		}
		b.WriteString("\n")
	case r.FRULocator != nil:
		f := r.FRULocator
		fmt.Fprintf(b, "Device ID              : %s\n", name)
		fmt.Fprintf(b, "Entity ID              : %d.%d (%s)\n", f.EntityID, f.EntityInstance, sdr.EntityName(f.EntityID))
		fmt.Fprintf(b, "Device Access Address  : %02Xh\n", f.AccessAddr)
		label := "Slave Address          "
		if f.Logical {
			label = "Logical FRU Device     "
		}
		fmt.Fprintf(b, "%s: %02Xh\n", label, f.DeviceID)
		fmt.Fprintf(b, "Channel Number         : %01Xh\n", f.Channel)
		fmt.Fprintf(b, "LUN.Bus                : %01Xh.%01Xh\n", f.LUN, f.Bus)
		fmt.Fprintf(b, "Device Type.Modifier   : %01Xh.%01Xh (%s)\n", f.DeviceType, f.DeviceModifier, sdr.DeviceTypeName(f.DeviceType, f.DeviceModifier))
		fmt.Fprintf(b, "OEM                    : %02Xh\n\n", f.OEM)
	case r.GenericLocator != nil:
		g := r.GenericLocator
		fmt.Fprintf(b, "Device ID              : %s\n", name)
		fmt.Fprintf(b, "Entity ID              : %d.%d (%s)\n", g.EntityID, g.EntityInstance, sdr.EntityName(g.EntityID))
		fmt.Fprintf(b, "Device Access Address  : %02Xh\n", g.AccessAddr)
		fmt.Fprintf(b, "Device Slave Address   : %02Xh\n", g.SlaveAddr)
		fmt.Fprintf(b, "Address Span           : %02Xh\n", g.AddrSpan)
		fmt.Fprintf(b, "Channel Number         : %01Xh\n", g.Channel)
		fmt.Fprintf(b, "LUN.Bus                : %01Xh.%01Xh\n", g.LUN, g.Bus)
		fmt.Fprintf(b, "Device Type.Modifier   : %01Xh.%01Xh (%s)\n", g.DeviceType, g.DeviceModifier, sdr.DeviceTypeName(g.DeviceType, g.DeviceModifier))
		fmt.Fprintf(b, "OEM                    : %02Xh\n\n", g.OEM)
	}
}

// sdrRunGet is `sdr get NAME...`.
func sdrRunGet(f *cli.Factory, names []string) error {
	s, err := Open(f)
	if err != nil {
		return err
	}
	var b strings.Builder
	var js []any
	var missing error
	for _, n := range names {
		r := s.FindByName(n)
		if r == nil {
			fmt.Fprintf(f.IO.ErrOut, "Unable to find sensor id '%s'\n", n)
			missing = &cli.SilentError{Code: cli.ExitBMC}
			continue
		}
		if r.Sensor() == nil {
			VerboseOther(&b, r)
			js = append(js, sdrJSON(sdrRow{rec: r}))
			continue
		}
		c, err := s.client()
		if err != nil {
			return err
		}
		v, err := sdrRead(s.ctx(), c, r)
		if err != nil {
			return err
		}
		if err := sdrVerboseSensor(s.ctx(), c, &b, v); err != nil {
			return err
		}
		js = append(js, sdrJSON(sdrRow{rec: r, val: v}))
	}
	if err := f.Render(sdrText{b.String(), js}); err != nil {
		return err
	}
	return missing
}
