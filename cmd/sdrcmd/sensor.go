package sdrcmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/sdr"
	"github.com/spf13/cobra"
)

// NewSensorCmd builds the `sensor` command group.
func NewSensorCmd(f *cli.Factory) *cobra.Command {
	listCmd := func() *cobra.Command {
		var o sensorListOptions
		c := cli.Returns[*sensorListResult](&cobra.Command{
			Use:   "list",
			Short: "List sensors with readings, status and thresholds",
			Long: `List sensors with readings, status and thresholds, as ipmitool does.

Readings and states are always read live. Thresholds the BMC lets anyone
change are read with Get Sensor Thresholds and kept in the SDR cache for
--thresholds-max-age (default 5m): within that time a second listing asks
only for readings. Thresholds set with ` + "`ipmictl sensor thresh`" + ` clear the
cache at once; a change made by another tool shows after at most that age.
--thresholds-max-age 0 (or --sdr-cache off) reads them every time.`,
			Args: cobra.NoArgs,
			RunE: func(cmd *cobra.Command, args []string) error { return sensorRunList(f, o) },
		})
		c.Flags().BoolVar(&o.fromSDR, "sdr-thresholds", false,
			"take thresholds from the SDR records instead of asking the BMC (one request per sensor less; wrong if thresholds were changed since the records were written)")
		c.Flags().DurationVar(&o.maxAge, "thresholds-max-age", 5*time.Minute,
			"reuse thresholds read from the BMC up to this long ago (0: read them every time)")
		return c
	}
	root := listCmd()
	root.Use, root.Short = "sensor", "Sensors: readings, thresholds"
	root.AddCommand(
		listCmd(),
		cli.Returns[sdrText](&cobra.Command{
			Use:   "get NAME...",
			Short: "Show the named sensors in detail",
			Args:  cobra.MinimumNArgs(1),
			RunE:  func(cmd *cobra.Command, args []string) error { return sensorRunGet(f, args) },
		}),
		cli.Returns[sdrText](&cobra.Command{
			Use:   "reading NAME...",
			Short: "Print the named sensors' readings",
			Args:  cobra.MinimumNArgs(1),
			RunE:  func(cmd *cobra.Command, args []string) error { return sensorRunReading(f, args) },
		}),
		cli.Returns[*sensorThreshResult](&cobra.Command{
			Use:   "thresh NAME THRESHOLD VALUE | NAME upper UNC UCR UNR | NAME lower LNR LCR LNC",
			Short: "Set sensor thresholds (unr, ucr, unc, lnc, lcr, lnr)",
			Args:  cobra.RangeArgs(3, 5),
			RunE:  func(cmd *cobra.Command, args []string) error { return sensorRunThresh(f, args) },
		}),
	)
	return root
}

// sensorLine is one `sensor list` row: a reading and the thresholds.
type sensorLine struct {
	val    *sdrValue
	thresh *sdr.Thresholds // nil: not available
}

type sensorListResult struct{ lines []sensorLine }

// sensorThresholds returns a threshold sensor's thresholds the way ipmitool
// would print them, asking the BMC only when the record's values may be
// out of date: thresholds the BMC lets anyone change (settable) are read
// live; fixed or read-only ones come from the record when it initialises
// them.
func sensorThresholds(s *Session, c *ipmi.Client, v *sdrValue) (*sdr.Thresholds, error) {
	if t, fromRecord := sensorRecordThresholds(v); fromRecord {
		return t, nil
	}
	return sensorReadThresholds(s, c, v)
}

// sensorRecordThresholds returns the thresholds that need no request:
// none for a sensor without readable thresholds, the record's own for
// fixed or read-only ones it initialises. fromRecord false: ask the BMC.
func sensorRecordThresholds(v *sdrValue) (t *sdr.Thresholds, fromRecord bool) {
	sc := v.sc
	switch access := sc.ThresholdAccess(); {
	case access == 0:
		return nil, true // the BMC would refuse or report none: "na"
	case (access == 1 || access == 3) && v.full != nil && sc.InitThresholds():
		return &sdr.Thresholds{Readable: sc.Readable(), Raw: v.full.Thresholds}, true
	}
	return nil, false
}

// sensorReadThresholds sends Get Sensor Thresholds; a refusal or a
// malformed answer means "na", as in ipmitool.
func sensorReadThresholds(s *Session, c *ipmi.Client, v *sdrValue) (*sdr.Thresholds, error) {
	t, err := sdr.GetThresholds(s.ctx(), c, v.sc.Addr())
	if err != nil {
		var ce *ipmi.CompletionError
		var fe *ipmi.FormatError
		if errors.As(err, &ce) || errors.As(err, &fe) {
			return nil, nil
		}
		return nil, err
	}
	return t, nil
}

type sensorListOptions struct {
	fromSDR bool
	maxAge  time.Duration
}

func sensorRunList(f *cli.Factory, o sensorListOptions) error {
	s, err := Open(f)
	if err != nil {
		return err
	}
	tc := sensorOpenThresholdCache(s, o.maxAge)
	res := &sensorListResult{}
	var recs []*sdr.Record
	for _, r := range s.Repo.Records {
		if r.Sensor() != nil {
			recs = append(recs, r)
		}
	}
	if len(recs) > 0 {
		c, err := s.client()
		if err != nil {
			return err
		}
		// Several sensors in flight at once; lines come back in order.
		res.lines, err = ipmi.Collect(s.ctx(), c, nil, len(recs), func(ctx context.Context, c *ipmi.Client, i int) (sensorLine, error) {
			v, err := sdrRead(ctx, c, recs[i])
			if err != nil {
				return sensorLine{}, err
			}
			line := sensorLine{val: v}
			// ipmitool prints a compact sensor's thresholds as "na" whatever
			// the BMC says, so only full records need them.
			switch {
			case !v.sc.IsThreshold() || v.full == nil:
			case o.fromSDR:
				if v.sc.ThresholdAccess() != 0 {
					line.thresh = &sdr.Thresholds{Readable: v.sc.Readable(), Raw: v.full.Thresholds}
				}
			default:
				if line.thresh, err = tc.get(s, c, v); err != nil {
					return sensorLine{}, err
				}
			}
			return line, nil
		})
		if err != nil {
			return err
		}
	}
	tc.save()
	return f.Render(res)
}

// sensorThreshOrder is the column order of `sensor list`.
var sensorThreshOrder = []sdr.Threshold{sdr.LNR, sdr.LCR, sdr.LNC, sdr.UNC, sdr.UCR, sdr.UNR}

// threshText formats one threshold cell with fmtAnalog, or "na".
func (l *sensorLine) threshText(t sdr.Threshold, analogFmt, naFmt string) string {
	if l.thresh == nil || l.val.full == nil || !l.thresh.Has(t) {
		return fmt.Sprintf(naFmt, "na")
	}
	if l.val.sc.UnitsDiscrete() {
		return "0x-8x" // ipmitool's format string lacks its %: it prints this literally
	}
	v, _ := l.val.full.Convert(l.thresh.Raw[t])
	return fmt.Sprintf(analogFmt, v)
}

func (r *sensorListResult) WriteText(w io.Writer) error {
	var b strings.Builder
	for i := range r.lines {
		l := &r.lines[i]
		v := l.val
		b.WriteString(sdrPad(sdrDisplayName(v.rec), 16) + " ")
		if !v.sc.IsThreshold() {
			switch {
			case v.valid && v.hasAnalog:
				fmt.Fprintf(&b, "| %-10s | %-10s | %-6s", sdrFormat(v.value, 3), v.units, "ok")
			case v.valid:
				fmt.Fprintf(&b, "| 0x%-8x | %-10s | 0x%02x%02x", v.shown(), "discrete", v.data2, v.data3)
			default:
				fmt.Fprintf(&b, "| %-10s | %-10s | %-6s", "na", "discrete", "na")
			}
			b.WriteString(strings.Repeat("| na        ", 6) + "\n")
			continue
		}
		status := v.threshStatus("ns", sdrStatusShort)
		switch {
		case v.valid && v.hasAnalog:
			fmt.Fprintf(&b, "| %-10.3f | %-10s | %-6s", v.value, v.units, status)
		case v.valid:
			fmt.Fprintf(&b, "| 0x%-8x | %-10s | %-6s", v.shown(), v.units, status)
		default:
			fmt.Fprintf(&b, "| %-10s | %-10s | %-6s", "na", v.units, "na")
		}
		for _, t := range sensorThreshOrder {
			b.WriteString("| " + l.threshText(t, "%-10.3f", "%-10s"))
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteCSV is ipmitool 1.8.19's `-c sensor list`.
func (r *sensorListResult) WriteCSV(w io.Writer) error {
	var b strings.Builder
	for i := range r.lines {
		l := &r.lines[i]
		v := l.val
		b.WriteString(sdrDisplayName(v.rec) + ",")
		if !v.sc.IsThreshold() {
			if v.valid {
				fmt.Fprintf(&b, "0x%x,discrete,0x%02x%02x", v.raw, v.data2, v.data3)
			} else {
				b.WriteString("na,discrete,na")
			}
			b.WriteString(strings.Repeat(",na", 6) + "\n")
			continue
		}
		switch {
		case v.valid && v.hasAnalog:
			fmt.Fprintf(&b, "%.3f,%s,%s", v.value, v.units, v.threshStatus("ns", sdrStatusShort))
		case v.valid:
			fmt.Fprintf(&b, "0x%x,%s,%s", v.raw, v.units, v.threshStatus("ns", sdrStatusShort))
		default:
			fmt.Fprintf(&b, "na,%s,na", v.units)
		}
		for _, t := range sensorThreshOrder {
			b.WriteString("," + l.threshText(t, "%.3f", "%s"))
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// json is the -o json form of one sensor, with the thresholds read for it.
func (l *sensorLine) json() sensorObject { return sensorObjectOf(l.val, l.thresh) }

func (r *sensorListResult) MarshalJSON() ([]byte, error) {
	out := make([]sensorObject, 0, len(r.lines))
	for i := range r.lines {
		out = append(out, r.lines[i].json())
	}
	return cli.JSONMarshal(out)
}

func (r *sensorListResult) Columns() []string {
	return []string{"Name", "Reading", "Units", "Status", "LNR", "LCR", "LNC", "UNC", "UCR", "UNR"}
}

func (r *sensorListResult) Rows() [][]string {
	var out [][]string
	for i := range r.lines {
		j := r.lines[i].json()
		reading := "na"
		if j.Reading != nil {
			reading = sdrFormat(*j.Reading, 3)
		} else if v := r.lines[i].val; v.valid {
			reading = fmt.Sprintf("0x%02x", v.raw)
		}
		units := ""
		if j.Units != nil {
			units = *j.Units
		}
		row := []string{j.Name, reading, units, j.Status}
		for _, t := range sensorThreshOrder {
			cell := "na"
			if j.Thresholds != nil {
				if p := *j.Thresholds.at(t); p != nil {
					cell = strconv.FormatFloat(*p, 'f', 3, 64)
				}
			}
			row = append(row, cell)
		}
		out = append(out, row)
	}
	return out
}
