package mccmd

import (
	"fmt"
	"io"
	"strings"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/spf13/cobra"
)

// mcExtraCommands are the mc subcommands beyond info/guid/selftest/reset:
// watchdog, global enables and system info parameters.
func mcExtraCommands(f *cli.Factory) []*cobra.Command {
	return []*cobra.Command{
		newMCWatchdogCmd(f),
		cli.Returns[*mcEnables](&cobra.Command{
			Use:   "getenables",
			Short: "Show the BMC global enables",
			Args:  cobra.NoArgs,
			RunE: func(cmd *cobra.Command, args []string) error {
				c, err := f.Client()
				if err != nil {
					return err
				}
				e, err := c.GetGlobalEnables(f.Context())
				if err != nil {
					return fmt.Errorf("Get Global Enables command failed: %w", err)
				}
				return f.Render(newMCEnables(e))
			},
		}),
		newMCSetEnablesCmd(f),
		newMCGetSysInfoCmd(f),
		newMCSetSysInfoCmd(f),
	}
}

// mcEnableBits are ipmitool's names for the global enable bits, in its order.
var mcEnableBits = []struct {
	name, desc string
	bit        ipmi.GlobalEnables
}{
	{"recv_msg_intr", "Receive Message Queue Interrupt", ipmi.EnableReceiveMsgInterrupt},
	{"event_msg_intr", "Event Message Buffer Full Interrupt", ipmi.EnableEventBufferInterrupt},
	{"event_msg", "Event Message Buffer", ipmi.EnableEventBuffer},
	{"system_event_log", "System Event Logging", ipmi.EnableSystemEventLogging},
	{"oem0", "OEM 0", ipmi.EnableOEM0},
	{"oem1", "OEM 1", ipmi.EnableOEM1},
	{"oem2", "OEM 2", ipmi.EnableOEM2},
}

// mcEnables is the result of "mc getenables".
type mcEnables struct {
	Raw     uint8           `json:"raw"`
	Enabled map[string]bool `json:"enabled"`
	value   ipmi.GlobalEnables
}

func newMCEnables(e ipmi.GlobalEnables) *mcEnables {
	m := &mcEnables{Raw: uint8(e), Enabled: map[string]bool{}, value: e}
	for _, b := range mcEnableBits {
		m.Enabled[b.name] = e&b.bit != 0
	}
	return m
}

func (m *mcEnables) WriteText(w io.Writer) error {
	var b strings.Builder
	for _, e := range mcEnableBits {
		state := "disabled"
		if m.value&e.bit != 0 {
			state = "enabled"
		}
		fmt.Fprintf(&b, "%-40s : %s\n", e.desc, state)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func (m *mcEnables) Columns() []string { return []string{"name", "description", "enabled"} }

func (m *mcEnables) Rows() [][]string {
	var rows [][]string
	for _, e := range mcEnableBits {
		rows = append(rows, []string{e.name, e.desc, fmt.Sprint(m.value&e.bit != 0)})
	}
	return rows
}

func newMCSetEnablesCmd(f *cli.Factory) *cobra.Command {
	var names []string
	for _, e := range mcEnableBits {
		names = append(names, fmt.Sprintf("  %-20s  %s", e.name, e.desc))
	}
	return cli.Returns[*mcSetEnables](&cobra.Command{
		Use: "setenables KEY=on|off...",
		Example: `  ipmictl mc setenables system_event_log=on event_msg=off
  ipmictl mc setenables oem0 off     # ipmitool 1.8.19's form`,
		Short: "Turn BMC global enables on or off",
		Long:  "Turn BMC global enables on or off, then show them all.\n\nKeys:\n" + strings.Join(names, "\n"),
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			type change struct {
				on   bool
				desc string
				bit  ipmi.GlobalEnables
			}
			var changes []change
			for i := 0; i < len(args); i++ {
				a := args[i]
				key, val, ok := strings.Cut(a, "=")
				// ipmitool 1.8.19 only acts on "KEY on|off" (two words).
				if !ok && i+1 < len(args) && (args[i+1] == "on" || args[i+1] == "off") {
					val, ok = args[i+1], true
					i++
				}
				var bit *change
				for _, e := range mcEnableBits {
					if e.name == key {
						bit = &change{desc: e.desc, bit: e.bit}
					}
				}
				if !ok || bit == nil || (val != "on" && val != "off") {
					return cli.UsageErrorf("mc setenables %q: want KEY=on or KEY=off, KEY one of %s", a, mcEnableNames())
				}
				bit.on = val == "on"
				changes = append(changes, *bit)
			}
			c, err := f.Client()
			if err != nil {
				return err
			}
			ctx := f.Context()
			old, err := c.GetGlobalEnables(ctx)
			if err != nil {
				return fmt.Errorf("Get Global Enables command failed: %w", err)
			}
			var out strings.Builder
			en := old
			for _, ch := range changes {
				if ch.on {
					fmt.Fprintf(&out, "Enabling %s\n", ch.desc)
					en |= ch.bit
				} else {
					fmt.Fprintf(&out, "Disabling %s\n", ch.desc)
					en &^= ch.bit
				}
			}
			if en == old {
				out.WriteString("\nNothing to change...\n")
			} else {
				if err := c.SetGlobalEnables(ctx, en); err != nil {
					io.WriteString(f.IO.Out, out.String())
					return fmt.Errorf("Set Global Enables command failed: %w", err)
				}
				out.WriteString("\nVerifying...\n")
				if en, err = c.GetGlobalEnables(ctx); err != nil {
					io.WriteString(f.IO.Out, out.String())
					return fmt.Errorf("Get Global Enables command failed: %w", err)
				}
			}
			return f.Render(&mcSetEnables{Messages: out.String(), Enables: newMCEnables(en)})
		},
	})
}

func mcEnableNames() string {
	var n []string
	for _, e := range mcEnableBits {
		n = append(n, e.name)
	}
	return strings.Join(n, ", ")
}

// mcSetEnables is the result of "mc setenables": what changed, then the
// enables read back.
type mcSetEnables struct {
	Messages string     `json:"-"`
	Enables  *mcEnables `json:"enables"`
}

func (m *mcSetEnables) WriteText(w io.Writer) error {
	if _, err := io.WriteString(w, m.Messages); err != nil {
		return err
	}
	return m.Enables.WriteText(w)
}

func (m *mcSetEnables) Columns() []string { return m.Enables.Columns() }
func (m *mcSetEnables) Rows() [][]string  { return m.Enables.Rows() }
