package selcmd

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/sdr"
	"github.com/ipmictl/ipmictl/sel"
	"github.com/spf13/cobra"
)

// selListOptions are the flags of `sel list` and `sel elist`.
type selListOptions struct {
	extended   bool
	first      int // 0: all
	last       int
	severity   string
	since      string
	sensor     string
	typ        string
	dateFormat string
}

func newSelListCmd(f *cli.Factory, extended bool) *cobra.Command {
	o := &selListOptions{extended: extended}
	use, short := "list", "List SEL entries (first N | last N)"
	if extended {
		use, short = "elist", "List SEL entries with sensor names and readings from the SDRs"
	}
	cmd := cli.Returns[*selListResult](&cobra.Command{
		Use:   use + " [first N | last N | N]",
		Short: short,
		Long: short + `.

Filters (applied before first/last):
  --severity ok|warning|critical|unknown[,...]  or LEVEL+ for that level and worse
  --since    2026-11-23, "2026-11-23 10:00", RFC 3339, or a duration such as 24h
  --sensor   sensor name (from the SDRs) or number (0x06)
  --type     sensor type name (Temperature, Fan, ...) or code
--date-format 1.8.18 prints MM/DD/YYYY and HH:MM:SS like ipmitool 1.8.18.`,
		Args: cobra.MaximumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := o.parseCount(args); err != nil {
				return err
			}
			return selListRun(f, o)
		},
	})
	fl := cmd.Flags()
	fl.StringVar(&o.severity, "severity", "", "only these severities (ok, warning, critical, unknown; LEVEL+ for LEVEL or worse)")
	fl.StringVar(&o.since, "since", "", "only entries at or after this time (date, RFC 3339, or a duration like 24h)")
	fl.StringVar(&o.sensor, "sensor", "", "only entries of this sensor (SDR name or number)")
	fl.StringVar(&o.typ, "type", "", "only entries of this sensor type (name or code)")
	fl.StringVar(&o.dateFormat, "date-format", "1.8.19", "date style: 1.8.19 (MM/DD/YY), 1.8.18 (MM/DD/YYYY) or iso8601")
	return cmd
}

// parseCount reads ipmitool's "N", "first N" and "last N".
func (o *selListOptions) parseCount(args []string) error {
	if len(args) == 0 {
		return nil
	}
	word, num := "first", args[0]
	if len(args) == 2 {
		word, num = args[0], args[1]
	}
	n, err := strconv.Atoi(num)
	if err != nil || n < 0 {
		return cli.UsageErrorf("Numeric argument required; got '%s'", num)
	}
	switch word {
	case "first":
		o.first = n
	case "last":
		o.last = n
	default:
		return cli.UsageErrorf("Unknown sel list option %q: use first N or last N", word)
	}
	return nil
}

// selEntry is one listed record with what the listing knows about it.
type selEntry struct {
	Rec    *sel.Record
	Sensor *sdr.Record // the SDR elist names it by, if any
}

// selListResult is `sel list` / `sel elist`.
type selListResult struct {
	Entries  []selEntry
	extended bool
	verbose  bool
	dates    selDateFormat
}

func (r *selListResult) write(w io.Writer, csv bool) error {
	var b strings.Builder
	for _, e := range r.Entries {
		if r.verbose && !csv {
			// ipmitool -v prints the plain verbose block for list and
			// elist alike (but its date twice, a bug not copied here).
			b.WriteString(Verbose(e.Rec, nil, r.dates))
			continue
		}
		sensor := e.Sensor
		if !r.extended {
			sensor = nil
		}
		b.WriteString(Line(e.Rec, sensor, r.dates, csv))
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func (r *selListResult) WriteText(w io.Writer) error { return r.write(w, false) }

// WriteCSV is ipmitool's -c form (no header row).
func (r *selListResult) WriteCSV(w io.Writer) error { return r.write(w, true) }

func (r *selListResult) Columns() []string {
	return []string{"ID", "Date", "Time", "Sensor", "Event", "Direction", "Severity"}
}

func (r *selListResult) Rows() [][]string {
	rows := make([][]string, 0, len(r.Entries))
	for _, e := range r.Entries {
		j := selJSONView(e, r.extended)
		date, clock := "", ""
		if e.Rec.Timestamped() && !e.Rec.PreInit() {
			date, clock = r.dates.date(e.Rec.Timestamp), r.dates.clock(e.Rec.Timestamp)
		}
		sensor := j.SensorType
		if j.SensorName != "" {
			sensor += " " + j.SensorName
		}
		desc := j.Description
		if e.Rec.OEM != nil {
			sensor = fmt.Sprintf("OEM record %02x", e.Rec.Type)
			desc = fmt.Sprintf("%x", e.Rec.OEM.Data)
		}
		rows = append(rows, []string{strconv.FormatUint(uint64(e.Rec.ID), 16), date, clock, sensor, desc, j.Direction, j.Severity.String()})
	}
	return rows
}

func (r *selListResult) MarshalJSON() ([]byte, error) {
	out := make([]selJSONEntry, 0, len(r.Entries))
	for _, e := range r.Entries {
		out = append(out, selJSONView(e, r.extended))
	}
	return cli.JSONMarshal(map[string]any{"entries": out})
}

// selFilter holds the parsed filter flags.
type selFilter struct {
	severities map[sel.Severity]bool
	since      time.Time
	sensorName string
	sensorNum  int // -1: by name
	sensorType int // -1: any
}

func (o *selListOptions) filter(now time.Time) (*selFilter, error) {
	flt := &selFilter{sensorNum: -1, sensorType: -1}
	if o.severity != "" {
		flt.severities = map[sel.Severity]bool{}
		for _, s := range strings.Split(o.severity, ",") {
			s = strings.TrimSpace(s)
			orWorse := strings.HasSuffix(s, "+")
			v, err := sel.ParseSeverity(strings.TrimSuffix(s, "+"))
			if err != nil {
				return nil, cli.UsageErrorf("--severity: %v", err)
			}
			flt.severities[v] = true
			for w := v + 1; orWorse && w <= sel.SeverityCritical; w++ {
				flt.severities[w] = true
			}
		}
	}
	if o.since != "" {
		t, err := selParseSince(o.since, now)
		if err != nil {
			return nil, err
		}
		flt.since = t
	}
	if o.sensor != "" {
		if n, err := strconv.ParseUint(o.sensor, 0, 8); err == nil {
			flt.sensorNum = int(n)
		} else {
			flt.sensorName = o.sensor
		}
	}
	if o.typ != "" {
		t, ok := sdr.SensorTypeByName(o.typ)
		if !ok {
			n, err := strconv.ParseUint(o.typ, 0, 8)
			if err != nil {
				return nil, cli.UsageErrorf("--type %q: not a sensor type name or code", o.typ)
			}
			t = uint8(n)
		}
		flt.sensorType = int(t)
	}
	return flt, nil
}

// selParseSince accepts a duration back from now, RFC 3339, or a local
// date with an optional time.
func selParseSince(s string, now time.Time) (time.Time, error) {
	if d, err := time.ParseDuration(s); err == nil {
		return now.Add(-d), nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02", "01/02/2006 15:04:05", "01/02/06 15:04:05"} {
		if t, err := time.ParseInLocation(layout, s, time.Local); err == nil {
			return t, nil
		}
	}
	return time.Time{}, cli.UsageErrorf("--since %q: use a date (2026-11-23), date and time, RFC 3339 or a duration (24h)", s)
}

func (flt *selFilter) needsSDR() bool { return flt.sensorName != "" }

func (flt *selFilter) keep(e selEntry) bool {
	r := e.Rec
	if flt.severities != nil && !flt.severities[r.Severity()] {
		return false
	}
	if !flt.since.IsZero() {
		t, ok := r.Time()
		if !ok || t.Before(flt.since) {
			return false
		}
	}
	if flt.sensorNum >= 0 || flt.sensorName != "" || flt.sensorType >= 0 {
		ev := r.Event
		if ev == nil {
			return false
		}
		if flt.sensorNum >= 0 && int(ev.SensorNumber) != flt.sensorNum {
			return false
		}
		if flt.sensorType >= 0 && int(ev.SensorType) != flt.sensorType {
			return false
		}
		if flt.sensorName != "" && (e.Sensor == nil || !strings.EqualFold(selSensorName(e.Sensor), flt.sensorName)) {
			return false
		}
	}
	return true
}

// selProgressMin is the listing size from which a terminal sees progress.
const selProgressMin = 500

func selListRun(f *cli.Factory, o *selListOptions) error {
	dates, err := selParseDateFormat(o.dateFormat)
	if err != nil {
		return err
	}
	flt, err := o.filter(time.Now())
	if err != nil {
		return err
	}
	c, err := f.Client()
	if err != nil {
		return err
	}
	var progress sel.Progress
	if cli.IsTerminal(f.IO.ErrOut) {
		progress = func(done, total int) {
			if total >= selProgressMin && (done%50 == 0 || done == total) {
				fmt.Fprintf(f.IO.ErrOut, "\rReading SEL: %d/%d entries", done, total)
			}
		}
	}
	recs, info, err := sel.ReadAll(f.Context(), c, progress)
	if progress != nil && info != nil && info.Entries >= selProgressMin {
		fmt.Fprint(f.IO.ErrOut, "\r\033[K")
	}
	if err != nil && len(recs) == 0 {
		return err
	}
	if info != nil && info.Entries == 0 {
		fmt.Fprintln(f.IO.ErrOut, "SEL has no entries")
		if f.Opts.Output == "json" {
			return f.Render(&selListResult{})
		}
		return nil
	}
	var repo *sdr.Repository
	if o.extended || flt.needsSDR() || f.Opts.Output == "json" {
		repo = selLoadSDR(f)
	}
	res := &selListResult{extended: o.extended, verbose: f.Opts.Verbose > 0, dates: dates}
	for _, r := range recs {
		e := selEntry{Rec: r}
		if r.Event != nil {
			e.Sensor = SensorMatch(repo, r.Event)
		}
		if flt.keep(e) {
			res.Entries = append(res.Entries, e)
		}
	}
	if o.first > 0 && len(res.Entries) > o.first {
		res.Entries = res.Entries[:o.first]
	}
	if o.last > 0 && len(res.Entries) > o.last {
		res.Entries = res.Entries[len(res.Entries)-o.last:]
	}
	if rerr := f.Render(res); rerr != nil {
		return rerr
	}
	return err
}
