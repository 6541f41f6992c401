package selcmd

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/sdr"
	"github.com/ipmictl/ipmictl/sel"
	"github.com/spf13/cobra"
)

// selTextResult is output already laid out as ipmitool prints it, with a
// JSON form beside it.
type selTextResult struct {
	text string
	json any
}

func (r *selTextResult) WriteText(w io.Writer) error {
	_, err := io.WriteString(w, r.text)
	return err
}

func (r *selTextResult) MarshalJSON() ([]byte, error) { return cli.JSONMarshal(r.json) }

func newSelGetCmd(f *cli.Factory) *cobra.Command {
	return cli.Returns[*selTextResult](&cobra.Command{
		Use:   "get ID...",
		Short: "Show SEL entries in detail",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ids := make([]uint16, len(args))
			for i, a := range args {
				id, err := selParseID(a)
				if err != nil {
					return err
				}
				ids[i] = id
			}
			return selRunGet(f, ids)
		},
	})
}

func newSelClearCmd(f *cli.Factory) *cobra.Command {
	var noWait bool
	cmd := cli.Returns[cli.TextLine](&cobra.Command{
		Use:   "clear",
		Short: "Erase the SEL (reserving it first) and wait until erasure completes",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := f.Client()
			if err != nil {
				return err
			}
			if err := sel.Clear(f.Context(), c, !noWait); err != nil {
				return fmt.Errorf("Unable to clear SEL: %w", err)
			}
			return f.Render(cli.TextLine("Clearing SEL.  Please allow a few seconds to erase."))
		},
	})
	cmd.Flags().BoolVar(&noWait, "no-wait", false, "start erasure and return without polling for completion")
	return cmd
}

func newSelDeleteCmd(f *cli.Factory) *cobra.Command {
	return cli.Returns[*selTextResult](&cobra.Command{
		Use:   "delete ID...",
		Short: "Delete SEL entries (under a reservation)",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ids := make([]uint16, len(args))
			for i, a := range args {
				id, err := selParseID(a)
				if err != nil {
					return err
				}
				ids[i] = id
			}
			c, err := f.Client()
			if err != nil {
				return err
			}
			ctx := f.Context()
			res, err := sel.Reserve(ctx, c)
			if err != nil {
				return fmt.Errorf("Unable to reserve SEL: %w", err)
			}
			var text strings.Builder
			var deleted []int
			failed := 0
			// ipmitool deletes from the last argument to the first.
			for i := len(ids) - 1; i >= 0; i-- {
				id := ids[i]
				_, err := sel.DeleteEntry(ctx, c, res, id)
				if ipmi.IsCompletion(err, ipmi.CodeReservationCancelled) {
					if res, err = sel.Reserve(ctx, c); err == nil {
						_, err = sel.DeleteEntry(ctx, c, res, id)
					}
				}
				if err != nil {
					fmt.Fprintf(f.IO.ErrOut, "Unable to delete entry %d: %s\n", id, cli.ErrText(err))
					failed++
					continue
				}
				fmt.Fprintf(&text, "Deleted entry %d\n", id)
				deleted = append(deleted, int(id))
			}
			if err := f.Render(&selTextResult{text: text.String(), json: map[string]any{"deleted": deleted}}); err != nil {
				return err
			}
			if failed > 0 {
				return &cli.SilentError{Code: cli.ExitBMC}
			}
			return nil
		},
	})
}

func newSelTimeCmd(f *cli.Factory) *cobra.Command {
	cmd := &cobra.Command{Use: "time", Short: "Get or set the SEL clock"}
	show := func() error {
		c, err := f.Client()
		if err != nil {
			return err
		}
		t, err := sel.GetTime(f.Context(), c)
		if err != nil {
			return fmt.Errorf("Get SEL Time command failed: %w", err)
		}
		j := map[string]any{"timestamp": t}
		if t >= sel.PreInitLimit && t != sel.TimestampUnspecified {
			j["time"] = time.Unix(int64(t), 0).UTC().Format(time.RFC3339)
		}
		return f.Render(&selTextResult{text: selNumericTime(t) + "\n", json: j})
	}
	cmd.AddCommand(cli.Returns[*selTextResult](&cobra.Command{
		Use:   "get",
		Short: "Print the SEL clock",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, args []string) error { return show() },
	}))
	cmd.AddCommand(cli.Returns[*selTextResult](&cobra.Command{
		Use:   `set "MM/DD/YY HH:MM:SS"|now`,
		Short: "Set the SEL clock (local time; MM/DD/YYYY and RFC 3339 work too)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			t, err := selParseSetTime(args[0], time.Now())
			if err != nil {
				return err
			}
			c, err := f.Client()
			if err != nil {
				return err
			}
			if err := sel.SetTime(f.Context(), c, uint32(t.Unix())); err != nil {
				return fmt.Errorf("Set SEL Time command failed: %w", err)
			}
			return show()
		},
	}))
	return cmd
}

// selParseSetTime reads `sel time set`'s argument: "now", ipmitool's C
// locale form MM/DD/YY HH:MM:SS (local time), MM/DD/YYYY, or RFC 3339.
func selParseSetTime(s string, now time.Time) (time.Time, error) {
	if strings.EqualFold(s, "now") {
		return now, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"01/02/06 15:04:05", "01/02/2006 15:04:05"} {
		if t, err := time.ParseInLocation(layout, s, time.Local); err == nil {
			if t.Unix() < 0 || t.Unix() > 0xFFFFFFFE {
				break
			}
			return t, nil
		}
	}
	return time.Time{}, cli.UsageErrorf("Specified time could not be parsed: %q (use \"MM/DD/YY HH:MM:SS\", RFC 3339 or now)", s)
}

// selParseAddLine reads one `sel add` line: seven bytes (EvM revision,
// sensor type, sensor number, event type with direction in bit 7, event
// data 1-3), decimal or 0x hex, with an optional # comment.
func selParseAddLine(line string) (*sel.Record, bool, error) {
	if i := strings.IndexByte(line, '#'); i >= 0 {
		line = line[:i]
	}
	fields := strings.Fields(line)
	if len(fields) == 0 {
		return nil, false, nil
	}
	var b [7]uint8
	if len(fields) < 7 {
		return nil, true, fmt.Errorf("Invalid Event: %q: need 7 bytes", line)
	}
	for i := range b {
		v, err := strconv.ParseUint(fields[i], 0, 8)
		if err != nil {
			return nil, true, fmt.Errorf("Invalid Event: %q: %q is not a byte", line, fields[i])
		}
		b[i] = uint8(v)
	}
	// Generator 41h: software ID 20h ("system management software").
	return sel.NewSystemEvent(0, sel.SystemEvent{GeneratorID: 0x41, EvMRev: b[0], SensorType: b[1], SensorNumber: b[2],
		EventType: b[3] & 0x7F, Deassertion: b[3]&0x80 != 0, Data: [3]uint8{b[4], b[5], b[6]}}), true, nil
}

func newSelAddCmd(f *cli.Factory) *cobra.Command {
	return cli.Returns[*selTextResult](&cobra.Command{
		Use:   "add FILE",
		Short: "Add events from FILE (7 bytes a line, as ipmitool's sel add)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			data, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			c, err := f.Client()
			if err != nil {
				return err
			}
			var text strings.Builder
			var added []int
			bad := 0
			sc := bufio.NewScanner(bytes.NewReader(data))
			for sc.Scan() {
				rec, ok, err := selParseAddLine(sc.Text())
				if err != nil {
					fmt.Fprintln(f.IO.ErrOut, err)
					bad++
					continue
				}
				if !ok {
					continue
				}
				text.WriteString(Line(rec, nil, Dates1819, false) + "\n")
				id, err := sel.AddEntry(f.Context(), c, rec)
				if err != nil {
					f.Render(&selTextResult{text: text.String()})
					return fmt.Errorf("Add SEL Entry failed: %w", err)
				}
				added = append(added, int(id))
			}
			if err := f.Render(&selTextResult{text: text.String(), json: map[string]any{"added": added}}); err != nil {
				return err
			}
			if bad > 0 {
				return &cli.SilentError{Code: cli.ExitBMC}
			}
			return nil
		},
	})
}

// selWalkAndPrint reads the whole SEL for save and writeraw: it prints
// the entries as `sel list` does and hands each to keep.
func selWalkAndPrint(f *cli.Factory, keep func(*sel.Record) error) error {
	c, err := f.Client()
	if err != nil {
		return err
	}
	recs, info, err := sel.ReadAll(f.Context(), c, nil)
	if err != nil && len(recs) == 0 {
		return err
	}
	if info != nil && info.Entries == 0 {
		fmt.Fprintln(f.IO.ErrOut, "SEL has no entries")
		return nil
	}
	res := &selListResult{dates: Dates1819}
	for _, r := range recs {
		res.Entries = append(res.Entries, selEntry{Rec: r})
		if kerr := keep(r); kerr != nil {
			return kerr
		}
	}
	if rerr := f.Render(res); rerr != nil {
		return rerr
	}
	return err
}

// selSaveLine is one line of ipmitool's `sel save` file: the seven event
// bytes and a comment. OEM records are read as if they were events, as
// ipmitool does.
func selSaveLine(r *sel.Record) string {
	b := r.EventBody()
	desc := sdr.EventTextData(b[3]&0x7F, b[1], b[4]&0x0F, b[5], b[4]&0xC0 != 0)
	if et := b[3] & 0x7F; et >= 0x70 && et < 0x7F || desc == "" {
		desc = "Unknown"
	}
	return fmt.Sprintf("0x%02x 0x%02x 0x%02x 0x%02x 0x%02x 0x%02x 0x%02x # %s #0x%02x %s\n",
		b[0], b[1], b[2], b[3], b[4], b[5], b[6], sdr.SensorTypeName(b[1]), b[2], desc)
}

func newSelSaveCmd(f *cli.Factory) *cobra.Command {
	return cli.Returns[*selListResult](&cobra.Command{
		Use:   "save FILE",
		Short: "Save the SEL as text that sel add can read back",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var out strings.Builder
			if err := selWalkAndPrint(f, func(r *sel.Record) error { out.WriteString(selSaveLine(r)); return nil }); err != nil {
				return err
			}
			return os.WriteFile(args[0], []byte(out.String()), 0o644)
		},
	})
}

func newSelWriteRawCmd(f *cli.Factory) *cobra.Command {
	return cli.Returns[*selListResult](&cobra.Command{
		Use:   "writeraw FILE",
		Short: "Save the SEL as raw 16-byte records (ipmitool's writeraw format)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var out bytes.Buffer
			if err := selWalkAndPrint(f, func(r *sel.Record) error { b := r.IpmitoolRaw(); out.Write(b[:]); return nil }); err != nil {
				return err
			}
			return os.WriteFile(args[0], out.Bytes(), 0o644)
		},
	})
}

// errSelIncomplete reports a raw file whose length is not a multiple of 16.
var errSelIncomplete = errors.New("incomplete record found in file")

func newSelReadRawCmd(f *cli.Factory) *cobra.Command {
	return cli.Returns[*selListResult](&cobra.Command{
		Use:   "readraw FILE",
		Short: "Decode a raw SEL file (ipmitool's writeraw format) without a BMC",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			data, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			res := &selListResult{dates: Dates1819}
			for len(data) >= sel.RecordLen {
				r, err := sel.DecodeIpmitoolRaw(data[:sel.RecordLen])
				if err != nil {
					return err
				}
				res.Entries = append(res.Entries, selEntry{Rec: r})
				data = data[sel.RecordLen:]
			}
			if err := f.Render(res); err != nil {
				return err
			}
			if len(data) != 0 {
				return fmt.Errorf("%s: %w", args[0], errSelIncomplete)
			}
			return nil
		},
	})
}
