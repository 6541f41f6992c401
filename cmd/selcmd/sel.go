package selcmd

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/cmd/sdrcmd"
	"github.com/ipmictl/ipmictl/sdr"
	"github.com/ipmictl/ipmictl/sel"
	"github.com/spf13/cobra"
)

// NewCmd builds the `sel` command group.
func NewCmd(f *cli.Factory) *cobra.Command {
	cmd := cli.Returns[*selInfoResult](&cobra.Command{
		Use:   "sel",
		Short: "System Event Log: list, decode, clear, delete, add, save",
		Long: `Read and manage the BMC's System Event Log. Text output follows ipmitool
1.8.19 under the C locale; -o json adds each event's severity (ok, warning,
critical, or unknown, following FreeIPMI's default interpretation).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return selInfoRun(f) },
	})
	cmd.AddCommand(cli.Returns[*selInfoResult](&cobra.Command{
		Use:   "info",
		Short: "SEL version, entries, free space, times and allocation",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, args []string) error { return selInfoRun(f) },
	}))
	cmd.AddCommand(newSelListCmd(f, false), newSelListCmd(f, true), newSelGetCmd(f))
	cmd.AddCommand(newSelClearCmd(f), newSelDeleteCmd(f), newSelTimeCmd(f), newSelAddCmd(f))
	cmd.AddCommand(newSelSaveCmd(f), newSelWriteRawCmd(f), newSelReadRawCmd(f))
	return cmd
}

// selInfoResult is `sel info`.
type selInfoResult struct {
	Info  *sel.Info      `json:"info"`
	Alloc *sel.AllocInfo `json:"allocation,omitempty"`
}

// selStamp is a SEL timestamp for JSON: null when the BMC reports none
// (0 or FFFFFFFFh, which ipmitool prints as "Not Available").
func selStamp(ts uint32) *uint32 {
	if ts == 0 || ts == 0xFFFFFFFF {
		return nil
	}
	return &ts
}

// MarshalJSON prints the info with the timestamps the BMC did not set as
// null, never as 0 or 4294967295.
func (r *selInfoResult) MarshalJSON() ([]byte, error) {
	type info struct {
		Version       uint8   `json:"version"`
		Entries       uint16  `json:"entries"`
		FreeBytes     uint16  `json:"free_bytes"`
		LastAdd       *uint32 `json:"last_add_timestamp"`
		LastErase     *uint32 `json:"last_erase_timestamp"`
		Overflow      bool    `json:"overflow"`
		OpSupport     uint8   `json:"operation_support"`
		Delete        bool    `json:"supports_delete"`
		PartialAdd    bool    `json:"supports_partial_add"`
		Reserve       bool    `json:"supports_reserve"`
		GetAllocation bool    `json:"supports_get_allocation_info"`
	}
	i := r.Info
	return cli.JSONMarshal(struct {
		Info  info           `json:"info"`
		Alloc *sel.AllocInfo `json:"allocation,omitempty"`
	}{info{i.Version, i.Entries, i.FreeBytes, selStamp(i.LastAdd), selStamp(i.LastErase), i.Overflow, i.OpSupport,
		i.Delete, i.PartialAdd, i.Reserve, i.GetAllocation}, r.Alloc})
}

func (r *selInfoResult) WriteText(w io.Writer) error {
	i := r.Info
	var b strings.Builder
	b.WriteString("SEL Information\n")
	compliance := "Unknown"
	if i.Version == 0x51 || i.Version == 0x02 {
		compliance = "v1.5, v2 compliant"
	}
	fmt.Fprintf(&b, "Version          : %d.%d (%s)\n", i.Version&0x0F, i.Version>>4, compliance)
	fmt.Fprintf(&b, "Entries          : %d\n", i.Entries)
	more := ""
	if i.FreeBytes == 0xFFFF {
		more = "or more"
	}
	fmt.Fprintf(&b, "Free Space       : %d bytes %s\n", i.FreeBytes, more)
	// ipmitool multiplies in 16 bits: past 4095 entries the count wraps.
	used, free := uint32(i.Entries*16), uint32(i.FreeBytes)
	if i.Entries != 0 {
		free += used
	}
	switch {
	case free >= 65535:
		b.WriteString("Percent Used     : unknown\n")
	case i.Entries == 0:
		b.WriteString("Percent Used     : 0%\n")
	default:
		fmt.Fprintf(&b, "Percent Used     : %d%%\n", int(100*(float64(used)/float64(free))))
	}
	for _, t := range []struct {
		label string
		ts    uint32
	}{{"Last Add Time    : ", i.LastAdd}, {"Last Del Time    : ", i.LastErase}} {
		if t.ts == 0 || t.ts == 0xFFFFFFFF {
			b.WriteString(t.label + "Not Available\n")
		} else {
			b.WriteString(t.label + selNumericTime(t.ts) + "\n")
		}
	}
	fmt.Fprintf(&b, "Overflow         : %t\n", i.Overflow)
	b.WriteString("Supported Cmds   : ")
	if i.OpSupport&0x0F == 0 {
		b.WriteString("None")
	}
	for _, c := range []struct {
		on   bool
		name string
	}{{i.Delete, "'Delete' "}, {i.PartialAdd, "'Partial Add' "}, {i.Reserve, "'Reserve' "}, {i.GetAllocation, "'Get Alloc Info' "}} {
		if c.on {
			b.WriteString(c.name)
		}
	}
	b.WriteString("\n")
	if a := r.Alloc; a != nil {
		fmt.Fprintf(&b, "# of Alloc Units : %d\n", a.Units)
		fmt.Fprintf(&b, "Alloc Unit Size  : %d\n", a.UnitSize)
		fmt.Fprintf(&b, "# Free Units     : %d\n", a.FreeUnits)
		fmt.Fprintf(&b, "Largest Free Blk : %d\n", a.LargestFree)
		fmt.Fprintf(&b, "Max Record Size  : %d\n", a.MaxRecordSize)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func selInfoRun(f *cli.Factory) error {
	c, err := f.Client()
	if err != nil {
		return err
	}
	info, err := sel.GetInfo(f.Context(), c)
	if err != nil {
		return fmt.Errorf("Get SEL Info command failed: %w", err)
	}
	res := &selInfoResult{Info: info}
	if info.GetAllocation {
		if res.Alloc, err = sel.GetAllocInfo(f.Context(), c); err != nil {
			return fmt.Errorf("Get SEL Allocation Info command failed: %w", err)
		}
	}
	return f.Render(res)
}

// selParseID accepts a record ID in decimal or 0x hex, as ipmitool does.
func selParseID(s string) (uint16, error) {
	v, err := strconv.ParseUint(s, 0, 16)
	if err != nil {
		return 0, cli.UsageErrorf("SEL ID %q: use a number from 0 to 65535 (0x prefix for hex)", s)
	}
	return uint16(v), nil
}

// selLoadSDR reads the SDRs for sensor names, through the SDR cache. A
// failure is reported and the entries print without names.
func selLoadSDR(f *cli.Factory) *sdr.Repository {
	s, err := sdrcmd.Open(f)
	if err != nil {
		fmt.Fprintf(f.IO.ErrOut, "Unable to open SDR for reading: %v\n", err)
		return nil
	}
	return s.Repo
}

// Columns and Rows give selInfoResult a table form, one row per field.
func (r *selInfoResult) Columns() []string { return cli.FieldColumns }
func (r *selInfoResult) Rows() [][]string  { return cli.FieldRows(r) }

// WriteCSV prints the text: ipmitool -c prints this result unchanged.
func (r *selInfoResult) WriteCSV(w io.Writer) error { return r.WriteText(w) }
