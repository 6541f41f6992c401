package sdrcmd

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/sdr"
	"github.com/spf13/cobra"
)

// sdrFilters maps `sdr list` arguments to the record types they select;
// nil means every record that prints.
var sdrFilters = map[string][]sdr.RecordType{
	"":        {sdr.TypeFull, sdr.TypeCompact},
	"all":     nil,
	"full":    {sdr.TypeFull},
	"compact": {sdr.TypeCompact},
	"event":   {sdr.TypeEventOnly},
	"mcloc":   {sdr.TypeMCLocator},
	"fru":     {sdr.TypeFRULocator},
	"generic": {sdr.TypeGenericLocator},
}

// NewCmd builds the `sdr` command group.
func NewCmd(f *cli.Factory) *cobra.Command {
	list := func(extended bool) func(*cobra.Command, []string) error {
		return func(cmd *cobra.Command, args []string) error {
			filter := ""
			if len(args) > 0 {
				filter = args[0]
			}
			types, ok := sdrFilters[filter]
			if !ok || filter == "" && len(args) > 0 {
				return cli.UsageErrorf("Invalid SDR %s command: %s\nusage: sdr %s [all|full|compact|event|mcloc|fru|generic]", cmd.Name(), filter, cmd.Name())
			}
			return sdrRunList(f, extended, func(r *sdr.Record) bool {
				if types == nil {
					return true
				}
				for _, t := range types {
					if r.Type == t {
						return true
					}
				}
				return false
			})
		}
	}
	root := cli.ReturnsForText[sdrText](cli.Returns[*sdrListResult](&cobra.Command{
		Use:   "sdr",
		Short: "Sensor Data Repository: list sensors, readings and records",
		Args:  cobra.NoArgs,
		RunE:  list(false),
	}))
	root.AddCommand(
		cli.ReturnsForText[sdrText](cli.Returns[*sdrListResult](&cobra.Command{
			Use:   "list [all|full|compact|event|mcloc|fru|generic]",
			Short: "List records with their readings (default: full and compact sensors)",
			Args:  cobra.MaximumNArgs(1),
			RunE:  list(false),
		})),
		cli.ReturnsForText[sdrText](cli.Returns[*sdrListResult](&cobra.Command{
			Use:   "elist [all|full|compact|event|mcloc|fru|generic]",
			Short: "List records with sensor number, entity and states",
			Args:  cobra.MaximumNArgs(1),
			RunE:  list(true),
		})),
		cli.ReturnsForText[sdrText](cli.Returns[sdrTypeList](cli.Returns[*sdrListResult](&cobra.Command{
			Use:   "type [TYPE]",
			Short: "List sensors of a type (name or 0xNN); without TYPE, list the types",
			Args:  cobra.MaximumNArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				if len(args) == 0 || strings.EqualFold(args[0], "list") || strings.EqualFold(args[0], "help") {
					return f.Render(sdrTypeList{})
				}
				st, ok := sdr.SensorTypeByName(args[0])
				if !ok {
					fmt.Fprintf(f.IO.ErrOut, "Sensor Type \"%s\" not found.\n", args[0])
					return f.Render(sdrTypeList{})
				}
				return sdrRunList(f, true, func(r *sdr.Record) bool {
					t, ok := r.SensorType()
					return ok && t == st
				})
			},
		}))),
		cli.ReturnsForText[sdrText](cli.Returns[*sdrListResult](&cobra.Command{
			Use:   "entity ID[.INSTANCE]",
			Short: "List records of an entity (ID or name, optional instance)",
			Args:  cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				id, inst, err := sdrParseEntity(args[0])
				if err != nil {
					return err
				}
				return sdrRunList(f, true, func(r *sdr.Record) bool {
					eid, einst, ok := r.Entity()
					return ok && eid == id && (inst < 0 || int(einst) == inst)
				})
			},
		})),
		cli.Returns[sdrText](&cobra.Command{
			Use:   "get NAME...",
			Short: "Show every detail of the named sensors",
			Args:  cobra.MinimumNArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				return sdrRunGet(f, args)
			},
		}),
		cli.Returns[sdrInfo](&cobra.Command{
			Use:   "info",
			Short: "Show SDR repository information",
			Args:  cobra.NoArgs,
			RunE: func(cmd *cobra.Command, args []string) error {
				c, err := f.Client()
				if err != nil {
					return err
				}
				info, err := sdr.GetRepoInfo(f.Context(), c)
				if err != nil {
					return fmt.Errorf("Get SDR Repository Info command failed: %w", err)
				}
				return f.Render(sdrInfo{info})
			},
		}),
		cli.Returns[cli.TextLine](&cobra.Command{
			Use:   "dump FILE",
			Short: "Write the raw records to FILE (ipmitool's format, for -S FILE)",
			Args:  cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				s, err := Open(f)
				if err != nil {
					return err
				}
				var b bytes.Buffer
				if err := sdr.WriteDump(&b, s.Repo.Records); err != nil {
					return err
				}
				if err := f.Render(cli.TextLine(fmt.Sprintf("Dumping Sensor Data Repository to '%s'", args[0]))); err != nil {
					return err
				}
				return os.WriteFile(args[0], b.Bytes(), 0o644)
			},
		}),
	)
	return root
}

// sdrRunList reads the records that match and the sensors among them (one
// Get Sensor Reading each) and prints them.
func sdrRunList(f *cli.Factory, extended bool, match func(*sdr.Record) bool) error {
	s, err := Open(f)
	if err != nil {
		return err
	}
	res := &sdrListResult{extended: extended}
	verbose := f.Opts.Verbose > 0 && !f.Opts.CSV && (f.Opts.Output == "" || f.Opts.Output == "text")
	var vb strings.Builder
	verb := map[int]*strings.Builder{} // verbose text of the rows that are not sensors
	var sensors []int                  // rows to read
	for _, r := range s.Repo.Records {
		if !match(r) {
			continue
		}
		if r.Sensor() != nil {
			sensors = append(sensors, len(res.rows))
		} else if r.EventOnly == nil && r.MCLocator == nil && r.FRULocator == nil && r.GenericLocator == nil {
			continue // ipmitool prints nothing for the other record types
		} else if verbose {
			verb[len(res.rows)] = &strings.Builder{}
			VerboseOther(verb[len(res.rows)], r)
		}
		res.rows = append(res.rows, sdrRow{rec: r})
	}
	if len(sensors) > 0 {
		c, err := s.client()
		if err != nil {
			return err
		}
		// Several sensors in flight at once, taken in row order.
		type read struct {
			val  *sdrValue
			text strings.Builder
		}
		reads, err := ipmi.Collect(s.ctx(), c, nil, len(sensors), func(ctx context.Context, c *ipmi.Client, i int) (*read, error) {
			rd := &read{}
			var err error
			if rd.val, err = sdrRead(ctx, c, res.rows[sensors[i]].rec); err != nil {
				return nil, err
			}
			if verbose {
				if err := sdrVerboseSensor(ctx, c, &rd.text, rd.val); err != nil {
					return nil, err
				}
			}
			return rd, nil
		})
		if err != nil {
			return err
		}
		for i, rd := range reads {
			res.rows[sensors[i]].val = rd.val
			verb[sensors[i]] = &rd.text
		}
	}
	if verbose {
		for i := range res.rows {
			vb.WriteString(verb[i].String())
		}
	}
	if verbose {
		// ipmitool -v prints every record in the `sdr get` form.
		return f.Render(sdrText{Text: vb.String()})
	}
	return f.Render(res)
}

// sdrParseEntity parses "ID", "ID.INSTANCE" or an entity name; instance -1
// means any.
func sdrParseEntity(s string) (uint8, int, error) {
	idStr, instStr, hasInst := strings.Cut(s, ".")
	id, err := strconv.ParseUint(idStr, 0, 8)
	if err != nil {
		if v, ok := sdr.EntityByName(s); ok {
			return v, -1, nil
		}
		return 0, 0, cli.UsageErrorf("Invalid entity: %s", s)
	}
	if !hasInst {
		return uint8(id), -1, nil
	}
	inst, err := strconv.ParseUint(instStr, 0, 8)
	if err != nil {
		return 0, 0, cli.UsageErrorf("Invalid entity: %s", s)
	}
	return uint8(id), int(inst), nil
}

// sdrTypeList is `sdr type` without arguments.
type sdrTypeList struct{}

func (sdrTypeList) WriteText(w io.Writer) error {
	var b strings.Builder
	b.WriteString("Sensor Types:\n")
	for x := 1; x < sdr.MaxSensorType; x += 2 {
		fmt.Fprintf(&b, "\t%-25s (0x%02x)   %-25s (0x%02x)\n",
			sdr.SensorTypeName(uint8(x)), x, sdr.SensorTypeName(uint8(x+1)), x+1)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func (sdrTypeList) MarshalJSON() ([]byte, error) {
	type entry struct {
		Code uint8  `json:"code"`
		Name string `json:"name"`
	}
	var out []entry
	for x := 1; x <= sdr.MaxSensorType; x++ {
		out = append(out, entry{uint8(x), sdr.SensorTypeName(uint8(x))})
	}
	return cli.JSONMarshal(out)
}

func (sdrTypeList) Columns() []string { return []string{"Code", "Name"} }

func (sdrTypeList) Rows() [][]string {
	var out [][]string
	for x := 1; x <= sdr.MaxSensorType; x++ {
		out = append(out, []string{fmt.Sprintf("0x%02x", x), sdr.SensorTypeName(uint8(x))})
	}
	return out
}
