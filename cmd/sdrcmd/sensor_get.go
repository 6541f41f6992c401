package sdrcmd

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/sdr"
)

// sensorRunGet is `sensor get NAME...` (ipmitool's ipmi_sensor_get).
func sensorRunGet(f *cli.Factory, names []string) error {
	s, err := Open(f)
	if err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString("Locating sensor record...\n")
	var js []any
	var failed error
	for _, n := range names {
		r := s.FindByName(n)
		if r == nil {
			fmt.Fprintf(f.IO.ErrOut, "Sensor data record \"%s\" not found!\n", n)
			failed = &cli.SilentError{Code: cli.ExitBMC}
			continue
		}
		if r.Sensor() == nil {
			VerboseOther(&b, r)
			js = append(js, sdrJSON(sdrRow{rec: r}))
			continue
		}
		j, ok, err := WriteSensorGet(s, &b, r)
		if err != nil {
			return err
		}
		js = append(js, j)
		if !ok {
			failed = &cli.SilentError{Code: cli.ExitBMC}
		}
	}
	if err := f.Render(sdrText{b.String(), js}); err != nil {
		return err
	}
	return failed
}

// WriteSensorGet prints one full or compact sensor record as `sensor get`
// does (ipmitool's ipmi_sensor_print_fc, verbose) and returns its JSON
// view; ok is false when the sensor could not be read.
func WriteSensorGet(s *Session, b *strings.Builder, r *sdr.Record) (js any, ok bool, err error) {
	ok = true
	c, err := s.client()
	if err != nil {
		return nil, false, err
	}
	v, err := sdrRead(s.ctx(), c, r)
	if err != nil {
		return nil, false, err
	}
	sc := v.sc
	name := sdrDisplayName(r)
	if !sc.IsThreshold() {
		js = (&sensorLine{val: v}).json()
		fmt.Fprintf(b, "Sensor ID              : %s (0x%x)\n", name, sc.Number)
		fmt.Fprintf(b, " Entity ID             : %d.%d\n", sc.EntityID, sc.EntityInstance)
		fmt.Fprintf(b, " Sensor Type (Discrete): %s\n", sdr.SensorTypeName(sc.SensorType))
		if v.valid {
			if v.hasAnalog {
				fmt.Fprintf(b, " Sensor Reading        : %s %s\n", sdrFormat(v.value, 3), v.units)
			}
			sdrDiscreteState(b, "States Asserted", sc.SensorType, sc.EventType, v.data2, v.data3)
			b.WriteString("\n")
		} else {
			b.WriteString(" Unable to read sensor: Device Not Present\n\n")
			ok = false
		}
		return js, ok, nil
	}
	th, err := sensorThresholds(s, c, v)
	if err != nil {
		return nil, false, err
	}
	js = (&sensorLine{val: v, thresh: th}).json()
	fmt.Fprintf(b, "Sensor ID              : %s (0x%x)\n", name, sc.Number)
	fmt.Fprintf(b, " Entity ID             : %d.%d\n", sc.EntityID, sc.EntityInstance)
	fmt.Fprintf(b, " Sensor Type (Threshold)  : %s\n", sdr.SensorTypeName(sc.SensorType))
	b.WriteString(" Sensor Reading        : ")
	if v.valid {
		switch {
		case v.full != nil && v.hasAnalog:
			tol, _ := v.factors.ConvertTolerance()
			fmt.Fprintf(b, "%s (+/- %s) %s\n", sdrFormat(v.value, 3), sdrFormat(tol, 3), v.units)
		case v.full != nil:
			fmt.Fprintf(b, "0x%x (+/- 0x%x) %s\n", v.raw, v.full.Tolerance, v.units)
		default:
			fmt.Fprintf(b, "0x%x %s\n", v.raw, v.units)
		}
		fmt.Fprintf(b, " Status                : %s\n", v.threshStatus("ns", sdrStatusLong))
		if th != nil || sc.ThresholdAccess() == 0 {
			line := sensorLine{val: v, thresh: th}
			if v.full != nil {
				labels := map[sdr.Threshold]string{sdr.LNR: "Lower Non-Recoverable", sdr.LCR: "Lower Critical",
					sdr.LNC: "Lower Non-Critical", sdr.UNC: "Upper Non-Critical", sdr.UCR: "Upper Critical", sdr.UNR: "Upper Non-Recoverable"}
				for _, t := range sensorThreshOrder {
					fmt.Fprintf(b, " %-21s : %s\n", labels[t], line.threshText(t, "%.3f", "%s"))
				}
			}
			var posH, negH uint8
			if v.full != nil {
				posH, negH = v.full.PosHyst, v.full.NegHyst
			} else if r.Compact != nil {
				posH, negH = r.Compact.PosHyst, r.Compact.NegHyst
			}
			sdrHysteresis(b, v, posH, "Positive Hysteresis")
			sdrHysteresis(b, v, negH, "Negative Hysteresis")
		} else {
			b.WriteString(" Sensor Threshold Settings not available\n")
		}
	} else {
		b.WriteString(" Unable to read sensor: Device Not Present\n\n")
		ok = false
	}
	if err := sdrEventEnable(s.ctx(), c, b, sc, true); err != nil {
		return nil, false, err
	}
	if err := sdrEventEnable(s.ctx(), c, b, sc, false); err != nil {
		return nil, false, err
	}
	b.WriteString("\n")
	return js, ok, nil
}

// sensorRunReading is `sensor reading NAME...`.
func sensorRunReading(f *cli.Factory, names []string) error {
	s, err := Open(f)
	if err != nil {
		return err
	}
	var b strings.Builder
	var js []any
	var failed error
	for _, n := range names {
		r := s.FindByName(n)
		if r == nil {
			fmt.Fprintf(f.IO.ErrOut, "Sensor \"%s\" not found!\n", n)
			failed = &cli.SilentError{Code: cli.ExitBMC}
			continue
		}
		if r.Full == nil {
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
		if !v.valid {
			continue
		}
		if !v.hasAnalog {
			fmt.Fprintf(f.IO.ErrOut, "Sensor \"%s\" is a discrete sensor!\n", n)
			continue
		}
		js = append(js, map[string]any{"name": n, "reading": v.value, "units": v.units})
		if f.Opts.CSV {
			fmt.Fprintf(&b, "%s,%s\n", n, sdrFormat(v.value, 3))
		} else {
			fmt.Fprintf(&b, "%s | %s\n", sdrPad(n, 16), sdrFormat(v.value, 3))
		}
	}
	if err := f.Render(sdrText{b.String(), js}); err != nil {
		return err
	}
	return failed
}

// sensorThreshNames are the names ipmitool prints for each threshold.
var sensorThreshNames = map[sdr.Threshold]string{
	sdr.UNR: "Upper Non-Recoverable", sdr.UCR: "Upper Critical", sdr.UNC: "Upper Non-Critical",
	sdr.LNR: "Lower Non-Recoverable", sdr.LCR: "Lower Critical", sdr.LNC: "Lower Non-Critical",
}

// sensorRunThresh is `sensor thresh`: one threshold, or all upper or all
// lower ones. Values are converted to raw with the record's factors.
func sensorRunThresh(f *cli.Factory, args []string) (err error) {
	name, which := args[0], args[1]
	type setting struct {
		t sdr.Threshold
		v float64
	}
	var sets []setting
	parse := func(s string, label string) (float64, error) {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return 0, cli.UsageErrorf("Given %s '%s' is invalid.", label, s)
		}
		return v, nil
	}
	switch which {
	case "upper", "lower":
		if len(args) != 5 {
			return cli.UsageErrorf("usage: sensor thresh <id> %s <%s>", which, map[string]string{"upper": "unc> <ucr> <unr", "lower": "lnr> <lcr> <lnc"}[which])
		}
		order := []sdr.Threshold{sdr.UNC, sdr.UCR, sdr.UNR}
		if which == "lower" {
			order = []sdr.Threshold{sdr.LNR, sdr.LCR, sdr.LNC}
		}
		for i, t := range order {
			v, err := parse(args[2+i], t.String())
			if err != nil {
				return err
			}
			sets = append(sets, setting{t, v})
		}
	default:
		t, ok := sdr.ParseThreshold(which)
		if !ok || len(args) != 3 {
			return cli.UsageErrorf("Valid threshold '%s' for sensor '%s' not specified!", which, name)
		}
		v, err := parse(args[2], which+" threshold value")
		if err != nil {
			return err
		}
		sets = append(sets, setting{t, v})
	}
	// What was done is printed on every exit after this point, as
	// ipmitool prints each line before the step that may fail.
	res := &sensorThreshResult{Sensor: name, Set: []sensorThreshSet{}}
	defer func() {
		if rerr := f.Render(res); rerr != nil && err == nil {
			err = rerr
		}
	}()
	s, err := Open(f)
	if err != nil {
		return err
	}
	r := s.FindByName(name)
	if r == nil {
		return fmt.Errorf("Sensor data record not found!")
	}
	if r.Full == nil {
		return fmt.Errorf("Invalid sensor type %02x", uint8(r.Type))
	}
	if !r.Full.IsThreshold() {
		return fmt.Errorf("Invalid sensor event type %02x", r.Full.EventType)
	}
	c, err := s.client()
	if err != nil {
		return err
	}
	// From here the thresholds `sensor list` remembers may be wrong (even
	// if a set fails half way): forget them (also with -S FILE).
	if cache := sdrCache(f.Opts.SDRCache); cache != nil {
		_ = cache.RemoveThresholds(sdrCacheKey(f.Opts, c.Transport()))
	}
	if len(sets) == 1 {
		if err := sensorCheckThreshold(s, c, r.Full, sets[0].t, sets[0].v); err != nil {
			return err
		}
	}
	for _, st := range sets {
		raw, ok := r.Full.ToRaw(st.v)
		if r.Full.UnitsDiscrete() {
			raw, ok = uint8(min(max(st.v, 0), 255)), true
		}
		if !ok {
			return fmt.Errorf("cannot convert %.3f to a raw threshold for %s", st.v, name)
		}
		res.display = sdrDisplayName(r)
		res.Set = append(res.Set, sensorThreshSet{Threshold: st.t.String(), name: sensorThreshNames[st.t], Value: st.v})
		var rawv [6]uint8
		rawv[st.t] = raw
		if err := sdr.SetThresholds(s.ctx(), c, r.Full.Addr(), 1<<st.t, rawv); err != nil {
			res.Set[len(res.Set)-1].Failed = true
			return fmt.Errorf("Error setting threshold: %w", err)
		}
	}
	return nil
}

// sensorCheckThreshold refuses a single threshold that would break the
// order of the sensor's current thresholds, as ipmitool does before it
// sets one (the upper/lower forms set three without this check).
func sensorCheckThreshold(s *Session, c *ipmi.Client, full *sdr.FullSensor, t sdr.Threshold, v float64) error {
	cur, err := sdr.GetThresholds(s.ctx(), c, full.Addr())
	if err != nil {
		return fmt.Errorf("Sensor data record not found!")
	}
	val := func(th sdr.Threshold) float64 {
		x, _ := full.Convert(cur.Raw[th])
		return max(x, 0) // ipmitool clamps negative values to 0 here
	}
	has := cur.Has
	var bad bool
	switch t {
	case sdr.UNR:
		bad = has(sdr.UNR) && ((has(sdr.UCR) && v <= val(sdr.UCR)) || (has(sdr.UNC) && v <= val(sdr.UNC)))
	case sdr.UCR:
		bad = has(sdr.UCR) && ((has(sdr.UNR) && v >= val(sdr.UNR)) || (has(sdr.UNC) && v <= val(sdr.UNC)))
	case sdr.UNC:
		bad = has(sdr.UNC) && ((has(sdr.UNR) && v >= val(sdr.UNR)) || (has(sdr.UCR) && v >= val(sdr.UCR)) ||
			(has(sdr.LNC) && v <= val(sdr.LNC)))
	case sdr.LNC:
		bad = has(sdr.LNC) && ((has(sdr.LCR) && v <= val(sdr.LCR)) || (has(sdr.LNR) && v <= val(sdr.LNR)) ||
			(has(sdr.UNC) && v >= val(sdr.UNC)))
	case sdr.LCR:
		bad = has(sdr.LCR) && ((has(sdr.LNC) && v >= val(sdr.LNC)) || (has(sdr.LNR) && v <= val(sdr.LNR)))
	case sdr.LNR:
		bad = has(sdr.LNR) && ((has(sdr.LNC) && v >= val(sdr.LNC)) || (has(sdr.LCR) && v >= val(sdr.LCR)))
	}
	if bad {
		return fmt.Errorf("Invalid Threshold data values. Cannot Set Threshold Data.")
	}
	return nil
}

// sensorThreshResult is `sensor thresh`: the thresholds set (or tried).
type sensorThreshResult struct {
	Sensor  string            `json:"sensor"`
	Set     []sensorThreshSet `json:"thresholds"`
	display string
}

type sensorThreshSet struct {
	Threshold string  `json:"threshold"`
	Value     float64 `json:"value"`
	Failed    bool    `json:"failed,omitempty"`
	name      string
}

func (r *sensorThreshResult) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Locating sensor record '%s'...\n", r.Sensor)
	for _, st := range r.Set {
		fmt.Fprintf(&b, "Setting sensor \"%s\" %s threshold to %.3f\n", r.display, st.name, st.Value)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteCSV prints the text, as ipmitool -c does.
func (r *sensorThreshResult) WriteCSV(w io.Writer) error { return r.WriteText(w) }

func (r *sensorThreshResult) Columns() []string {
	return []string{"sensor", "threshold", "value", "result"}
}

func (r *sensorThreshResult) Rows() [][]string {
	rows := [][]string{}
	for _, st := range r.Set {
		result := "ok"
		if st.Failed {
			result = "failed"
		}
		rows = append(rows, []string{r.Sensor, st.Threshold, strconv.FormatFloat(st.Value, 'f', 3, 64), result})
	}
	return rows
}
