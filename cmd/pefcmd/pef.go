package pefcmd

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/spf13/cobra"
)

// NewCmd builds the `pef` command group.
func NewCmd(f *cli.Factory) *cobra.Command {
	p := &cobra.Command{
		Use:   "pef",
		Short: "Platform Event Filtering: capabilities, status, alert policies and event filters",
	}
	policy := cli.Returns[*pefPolicyResult](&cobra.Command{
		Use:   "policy [list]",
		Short: "List the alert policy table",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 && args[0] != "list" {
				return cli.UsageErrorf("pef policy: %q: use list", args[0])
			}
			return pefPolicies(f)
		},
	})
	filter := &cobra.Command{Use: "filter", Short: "The event filter table"}
	filter.AddCommand(cli.Returns[*pefFilterResult](&cobra.Command{
		Use:   "list",
		Short: "List the event filter table",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, args []string) error { return pefFilters(f) },
	}))
	p.AddCommand(
		cli.Returns[*pefInfoResult](&cobra.Command{
			Use:   "info",
			Short: "Show PEF version, table sizes, system GUID and supported actions",
			Args:  cobra.NoArgs,
			RunE:  func(cmd *cobra.Command, args []string) error { return pefInfo(f) },
		}),
		cli.Returns[*pefStatusResult](&cobra.Command{
			Use:   "status",
			Short: "Show PEF control settings and the last processed SEL entries",
			Args:  cobra.NoArgs,
			RunE:  func(cmd *cobra.Command, args []string) error { return pefStatus(f) },
		}),
		cli.Returns[*pefPolicyResult](&cobra.Command{
			Use:   "list",
			Short: "List the alert policies (same as \"pef policy list\")",
			Args:  cobra.NoArgs,
			RunE:  func(cmd *cobra.Command, args []string) error { return pefPolicies(f) },
		}),
		policy, filter,
	)
	return p
}

// pefActions names the set action bits, comma separated.
func pefActions(bits uint8) string {
	var names []string
	for i, n := range ipmi.PEFActionNames {
		if bits&(1<<i) != 0 {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return "None"
	}
	return strings.Join(names, ",")
}

// pefInfoResult is the result of "pef info".
type pefInfoResult struct {
	Version     string `json:"version"`
	FilterCount uint8  `json:"event_filter_count"`
	PolicyCount *uint8 `json:"alert_policy_table_size,omitempty"`
	SystemGUID  string `json:"system_guid,omitempty"`
	Actions     string `json:"actions"`
	verbose     bool
}

func (r *pefInfoResult) WriteText(w io.Writer) error {
	var b bytes.Buffer
	if r.verbose {
		fmt.Fprintf(&b, "%-24s : %s\n", "Version", r.Version)
		fmt.Fprintf(&b, "%-24s : %d\n", "PEF Event Filter count", r.FilterCount)
		if r.PolicyCount != nil {
			fmt.Fprintf(&b, "%-24s : %d\n", "PEF Alert Policy Table size", *r.PolicyCount)
		}
		if r.SystemGUID != "" {
			fmt.Fprintf(&b, "%-24s : %s\n", "System GUID", r.SystemGUID)
		}
		fmt.Fprintf(&b, "%-24s : %s\n", "Actions", r.Actions)
	} else {
		fmt.Fprintf(&b, " %s | %d", r.Version, r.FilterCount)
		if r.PolicyCount != nil {
			fmt.Fprintf(&b, " | %d", *r.PolicyCount)
		}
		if r.SystemGUID != "" {
			fmt.Fprintf(&b, " | %s", r.SystemGUID)
		}
		fmt.Fprintf(&b, " | %s\n", r.Actions)
	}
	_, err := w.Write(b.Bytes())
	return err
}

func pefInfo(f *cli.Factory) error {
	c, err := f.Client()
	if err != nil {
		return err
	}
	ctx := f.Context()
	caps, err := c.GetPEFCapabilities(ctx)
	if err != nil {
		return fmt.Errorf("Get PEF Capabilities failed: %w", err)
	}
	res := &pefInfoResult{Version: fmt.Sprintf("0x%02x", caps.Version), FilterCount: caps.FilterCount,
		Actions: pefActions(caps.Actions), verbose: f.Opts.Verbose > 0}
	if b, err := c.GetPEFConfig(ctx, ipmi.PEFPolicyCount, 0, 0); err == nil {
		if n, err := ipmi.PEFTableSize(b); err == nil {
			res.PolicyCount = &n
		}
	}
	if g, err := c.GetSystemGUID(ctx); err == nil {
		res.SystemGUID = fmt.Sprintf("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
			g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7], g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15])
	}
	return f.Render(res)
}

// pefStatusResult is the result of "pef status".
type pefStatusResult struct {
	LastProcessed *ipmi.LastProcessedEvent `json:"last_processed,omitempty"`
	PEFEnabled    *bool                    `json:"pef_enabled,omitempty"`
	EventMessages *bool                    `json:"pef_event_messages,omitempty"`
	StartupDelay  *bool                    `json:"pef_startup_delay,omitempty"`
	AlertDelay    *bool                    `json:"alert_startup_delay,omitempty"`
	Actions       *string                  `json:"enabled_actions,omitempty"`
}

func (r *pefStatusResult) WriteText(w io.Writer) error {
	var b bytes.Buffer
	if l := r.LastProcessed; l != nil {
		if l.LastAddition == 0xFFFFFFFF {
			fmt.Fprintf(&b, "%-24s : %s\n", "Last SEL addition", "none")
		} else {
			fmt.Fprintf(&b, "%-24s : %d\n", "Last SEL addition", l.LastAddition)
		}
		fmt.Fprintf(&b, "%-24s : 0x%04x\n", "Last SEL record ID", l.LastRecordID)
		fmt.Fprintf(&b, "%-24s : 0x%04x\n", "Last S/W processed ID", l.LastSWID)
		fmt.Fprintf(&b, "%-24s : 0x%04x\n", "Last BMC processed ID", l.LastBMCID)
	}
	for _, fl := range []struct {
		name string
		v    *bool
	}{{"PEF", r.PEFEnabled}, {"PEF event messages", r.EventMessages}, {"PEF startup delay", r.StartupDelay},
		{"Alert startup delay", r.AlertDelay}} {
		if fl.v != nil {
			fmt.Fprintf(&b, "%-24s : %sabled\n", fl.name, cli.BoolWord(*fl.v, "en", "dis"))
		}
	}
	if r.Actions != nil {
		fmt.Fprintf(&b, "%-24s : %s\n", "Enabled actions", *r.Actions)
	}
	_, err := w.Write(b.Bytes())
	return err
}

func pefStatus(f *cli.Factory) error {
	c, err := f.Client()
	if err != nil {
		return err
	}
	ctx := f.Context()
	res := &pefStatusResult{}
	var firstErr error
	if l, err := c.GetLastProcessedEvent(ctx); err == nil {
		res.LastProcessed = l
	} else {
		fmt.Fprintf(f.IO.ErrOut, "ipmictl: Get Last Processed Event ID: %v\n", err)
		firstErr = err
	}
	if b, err := c.GetPEFConfig(ctx, ipmi.PEFControl, 0, 0); err == nil && len(b) >= 1 {
		bit := func(m uint8) *bool { v := b[0]&m != 0; return &v }
		res.PEFEnabled, res.EventMessages, res.StartupDelay, res.AlertDelay = bit(1), bit(2), bit(4), bit(8)
	} else if firstErr == nil {
		firstErr = err
	}
	if b, err := c.GetPEFConfig(ctx, ipmi.PEFActionControl, 0, 0); err == nil && len(b) >= 1 {
		a := pefActions(b[0])
		res.Actions = &a
	}
	if res.LastProcessed == nil && res.PEFEnabled == nil {
		return fmt.Errorf("PEF status unavailable: %w", firstErr)
	}
	return f.Render(res)
}

var pefPolicyNames = []string{"Match-always", "Try-next-entry", "Try-next-set", "Try-next-channel", "Try-next-destination"}

// pefPolicyRow is one alert policy with its channel's medium.
type pefPolicyRow struct {
	ipmi.AlertPolicy
	PolicyName string `json:"policy_name"`
	Medium     string `json:"medium"`
}

// pefPolicyResult is the result of "pef policy list".
type pefPolicyResult struct {
	Policies []pefPolicyRow `json:"policies"`
}

func (r *pefPolicyResult) WriteText(w io.Writer) error {
	var b bytes.Buffer
	for _, p := range r.Policies {
		fmt.Fprintf(&b, " %d | %d | %s | %s | %d | %s | %d\n", p.ID, p.Number, cli.BoolWord(p.Enabled, "enabled", "disabled"),
			p.PolicyName, p.Channel, p.Medium, p.Destination)
	}
	_, err := w.Write(b.Bytes())
	return err
}

func pefPolicies(f *cli.Factory) error {
	c, err := f.Client()
	if err != nil {
		return err
	}
	ctx := f.Context()
	pols, err := c.GetAlertPolicies(ctx)
	res := &pefPolicyResult{Policies: []pefPolicyRow{}}
	media := map[uint8]string{}
	for _, p := range pols {
		name := fmt.Sprintf("Unknown (0x%02X)", p.Policy)
		if int(p.Policy) < len(pefPolicyNames) {
			name = pefPolicyNames[p.Policy]
		}
		m, ok := media[p.Channel]
		if !ok {
			m = "unknown"
			if info, err := c.GetChannelInfo(ctx, p.Channel); err == nil {
				m = info.Medium.String()
			}
			media[p.Channel] = m
		}
		res.Policies = append(res.Policies, pefPolicyRow{AlertPolicy: p, PolicyName: name, Medium: m})
	}
	if rerr := f.Render(res); rerr != nil {
		return rerr
	}
	if err != nil {
		return fmt.Errorf("Get PEF alert policy table failed: %w", err)
	}
	return nil
}

// pefFilterResult is the result of "pef filter list".
type pefFilterResult struct {
	Filters []ipmi.EventFilter `json:"filters"`
	verbose bool
}

func (r *pefFilterResult) WriteText(w io.Writer) error {
	var b bytes.Buffer
	for _, fl := range r.Filters {
		state := cli.BoolWord(fl.Enabled, "enabled", "disabled") + ", " + cli.BoolWord(fl.Preconfigured, "pre-configured", "configurable")
		if r.verbose {
			fmt.Fprintf(&b, "%-24s : %d\n%-24s : %s\n", "PEF Filter Table entry", fl.ID, "Status", state)
			if fl.Enabled {
				fmt.Fprintf(&b, "%-24s : 0x%02x\n%-24s : %d\n%-24s : %s\n", "Sensor type", fl.SensorType,
					"Alert policy number", fl.PolicyNumber, "Actions", pefActions(fl.Actions))
			}
			b.WriteString("\n")
			continue
		}
		fmt.Fprintf(&b, " %d | %s", fl.ID, state)
		if fl.Enabled {
			fmt.Fprintf(&b, " | 0x%02x | %d | %s", fl.SensorType, fl.PolicyNumber, pefActions(fl.Actions))
		}
		b.WriteString("\n")
	}
	_, err := w.Write(b.Bytes())
	return err
}

func pefFilters(f *cli.Factory) error {
	c, err := f.Client()
	if err != nil {
		return err
	}
	filters, err := c.GetEventFilters(f.Context())
	if filters == nil {
		filters = []ipmi.EventFilter{}
	}
	if rerr := f.Render(&pefFilterResult{Filters: filters, verbose: f.Opts.Verbose > 0}); rerr != nil {
		return rerr
	}
	if err != nil {
		return fmt.Errorf("Get PEF event filter table failed: %w", err)
	}
	return nil
}

// pefActionList turns pefActions' text into a JSON array ("None" → []).
func pefActionList(s string) []string {
	if s == "" || s == "None" {
		return []string{}
	}
	return strings.Split(s, ",")
}

// MarshalJSON gives the version as "1.5" (like mc info's ipmi_version)
// and the actions as an array.
func (r *pefInfoResult) MarshalJSON() ([]byte, error) {
	version := r.Version
	if v, err := strconv.ParseUint(strings.TrimPrefix(r.Version, "0x"), 16, 8); err == nil {
		version = fmt.Sprintf("%x.%x", v&0x0f, v>>4)
	}
	type plain pefInfoResult
	return json.Marshal(struct {
		*plain
		Version string   `json:"version"`
		Actions []string `json:"actions"`
	}{(*plain)(r), version, pefActionList(r.Actions)})
}

// MarshalJSON gives the enabled actions as an array.
func (r *pefStatusResult) MarshalJSON() ([]byte, error) {
	type plain pefStatusResult
	var actions *[]string // absent when not read, [] when none enabled
	if r.Actions != nil {
		list := pefActionList(*r.Actions)
		actions = &list
	}
	return json.Marshal(struct {
		*plain
		Actions *[]string `json:"enabled_actions,omitempty"`
	}{(*plain)(r), actions})
}

// Columns and Rows give pefInfoResult a table form, one row per field.
func (r *pefInfoResult) Columns() []string { return cli.FieldColumns }
func (r *pefInfoResult) Rows() [][]string  { return cli.FieldRows(r) }

// WriteCSV prints the text: ipmitool -c prints this result unchanged.
func (r *pefInfoResult) WriteCSV(w io.Writer) error { return r.WriteText(w) }

// Columns and Rows give pefStatusResult a table form, one row per field.
func (r *pefStatusResult) Columns() []string { return cli.FieldColumns }
func (r *pefStatusResult) Rows() [][]string  { return cli.FieldRows(r) }

// WriteCSV prints the text: ipmitool -c prints this result unchanged.
func (r *pefStatusResult) WriteCSV(w io.Writer) error { return r.WriteText(w) }

// Columns and Rows give pefPolicyResult a table form, one row per field.
func (r *pefPolicyResult) Columns() []string { return cli.FieldColumns }
func (r *pefPolicyResult) Rows() [][]string  { return cli.FieldRows(r) }

// WriteCSV prints the text: ipmitool -c prints this result unchanged.
func (r *pefPolicyResult) WriteCSV(w io.Writer) error { return r.WriteText(w) }

// Columns and Rows give pefFilterResult a table form, one row per field.
func (r *pefFilterResult) Columns() []string { return cli.FieldColumns }
func (r *pefFilterResult) Rows() [][]string  { return cli.FieldRows(r) }

// WriteCSV prints the text: ipmitool -c prints this result unchanged.
func (r *pefFilterResult) WriteCSV(w io.Writer) error { return r.WriteText(w) }
