package chassiscmd

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/cmd/mccmd"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/spf13/cobra"
)

// NewPowerCmd builds the top-level `power`, the same as `chassis power`.
func NewPowerCmd(f *cli.Factory) *cobra.Command {
	p := newChassisPowerCmd(f)
	p.Short = "Chassis power (same as \"chassis power\")"
	return p
}

// NewCmd builds the `chassis` command group.
func NewCmd(f *cli.Factory) *cobra.Command {
	ch := &cobra.Command{
		Use:   "chassis",
		Short: "Chassis status, power control, identify, boot device and policies",
	}
	ch.AddCommand(
		cli.Returns[*chassisStatusResult](&cobra.Command{
			Use:   "status",
			Short: "Show power state, faults and the restore policy",
			Args:  cobra.NoArgs,
			RunE: func(cmd *cobra.Command, args []string) error {
				c, err := f.Client()
				if err != nil {
					return err
				}
				st, err := c.GetChassisStatus(f.Context())
				if err != nil {
					return fmt.Errorf("Error sending Chassis Status command: %w", err)
				}
				return f.Render(newChassisStatusResult(st))
			},
		}),
		newChassisPowerCmd(f),
		newChassisIdentifyCmd(f),
		newChassisBootdevCmd(f),
		newChassisBootparamCmd(f),
		newChassisPolicyCmd(f),
		cli.Returns[chassisRestartCause](&cobra.Command{
			Use:   "restart_cause",
			Short: "Show why the system last restarted",
			Args:  cobra.NoArgs,
			RunE: func(cmd *cobra.Command, args []string) error {
				c, err := f.Client()
				if err != nil {
					return err
				}
				rc, err := c.GetSystemRestartCause(f.Context())
				if err != nil {
					return fmt.Errorf("Get Chassis Restart Cause failed: %w", err)
				}
				return f.Render(chassisRestartCause{Cause: rc.String(), Code: rc.Cause, Channel: rc.Channel})
			},
		}),
		cli.Returns[chassisPOH](&cobra.Command{
			Use:   "poh",
			Short: "Show the power-on hours counter",
			Args:  cobra.NoArgs,
			RunE: func(cmd *cobra.Command, args []string) error {
				c, err := f.Client()
				if err != nil {
					return err
				}
				p, err := c.GetPOHCounter(f.Context())
				if err != nil {
					return fmt.Errorf("Get Chassis Power-On-Hours failed: %w", err)
				}
				return f.Render(chassisPOH{MinutesPerCount: p.MinutesPerCount, Minutes: p.Minutes()})
			},
		}),
		cli.Returns[chassisSelfTest](&cobra.Command{
			Use:   "selftest",
			Short: "Show the BMC's self-test results (chassis form)",
			Args:  cobra.NoArgs,
			RunE: func(cmd *cobra.Command, args []string) error {
				c, err := f.Client()
				if err != nil {
					return err
				}
				st, err := c.GetSelfTestResults(f.Context())
				if err != nil {
					return fmt.Errorf("Error sending Get Self Test command: %w", err)
				}
				return f.Render(chassisSelfTest{mccmd.SelfTest{SelfTest: st}})
			},
		}),
	)
	return ch
}

// chassisStatusResult is the result of "chassis status".
type chassisStatusResult struct {
	*ipmi.ChassisStatus
	Policy     string   `json:"power_restore_policy"`
	LastEvents []string `json:"last_power_event"`
}

func newChassisStatusResult(s *ipmi.ChassisStatus) *chassisStatusResult {
	ev := s.LastEventNames()
	if ev == nil {
		ev = []string{}
	}
	return &chassisStatusResult{ChassisStatus: s, Policy: s.RestorePolicy.String(), LastEvents: ev}
}

func (r *chassisStatusResult) WriteText(w io.Writer) error {
	tf := func(v bool, t, f string) string {
		if v {
			return t
		}
		return f
	}
	var b strings.Builder
	fmt.Fprintf(&b, "System Power         : %s\n", tf(r.PowerOn, "on", "off"))
	fmt.Fprintf(&b, "Power Overload       : %t\n", r.PowerOverload)
	fmt.Fprintf(&b, "Power Interlock      : %s\n", tf(r.PowerInterlock, "active", "inactive"))
	fmt.Fprintf(&b, "Main Power Fault     : %t\n", r.MainPowerFault)
	fmt.Fprintf(&b, "Power Control Fault  : %t\n", r.PowerControlFault)
	fmt.Fprintf(&b, "Power Restore Policy : %s\n", r.Policy)
	// ipmitool prints each set event followed by a space, except "command".
	b.WriteString("Last Power Event     : ")
	for _, e := range r.LastEvents {
		b.WriteString(e)
		if e != "command" {
			b.WriteString(" ")
		}
	}
	b.WriteString("\n")
	fmt.Fprintf(&b, "Chassis Intrusion    : %s\n", tf(r.Intrusion, "active", "inactive"))
	fmt.Fprintf(&b, "Front-Panel Lockout  : %s\n", tf(r.FrontPanelLockout, "active", "inactive"))
	fmt.Fprintf(&b, "Drive Fault          : %t\n", r.DriveFault)
	fmt.Fprintf(&b, "Cooling/Fan Fault    : %t\n", r.CoolingFault)
	if fp := r.FrontPanel; fp != nil {
		if *fp == 0 {
			b.WriteString("Front Panel Control  : none\n")
		} else {
			buttons := []struct {
				bit  uint8
				name string
			}{{0x80, "Sleep Button Disable : %s\n"}, {0x40, "Diag Button Disable  : %s\n"},
				{0x20, "Reset Button Disable : %s\n"}, {0x10, "Power Button Disable : %s\n"}}
			for _, bt := range buttons {
				fmt.Fprintf(&b, bt.name, tf(*fp&bt.bit != 0, "allowed", "not allowed"))
			}
			disabled := []struct {
				bit  uint8
				name string
			}{{0x08, "Sleep Button Disabled: %t\n"}, {0x04, "Diag Button Disabled : %t\n"},
				{0x02, "Reset Button Disabled: %t\n"}, {0x01, "Power Button Disabled: %t\n"}}
			for _, d := range disabled {
				fmt.Fprintf(&b, d.name, *fp&d.bit != 0)
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func (r *chassisStatusResult) Columns() []string {
	return []string{"system_power", "power_overload", "power_interlock", "main_power_fault",
		"power_control_fault", "power_restore_policy", "last_power_event", "chassis_intrusion",
		"front_panel_lockout", "drive_fault", "cooling_fan_fault"}
}

func (r *chassisStatusResult) Rows() [][]string {
	power := "off"
	if r.PowerOn {
		power = "on"
	}
	return [][]string{{power, fmt.Sprint(r.PowerOverload), fmt.Sprint(r.PowerInterlock),
		fmt.Sprint(r.MainPowerFault), fmt.Sprint(r.PowerControlFault), r.Policy,
		strings.Join(r.LastEvents, " "), fmt.Sprint(r.Intrusion), fmt.Sprint(r.FrontPanelLockout),
		fmt.Sprint(r.DriveFault), fmt.Sprint(r.CoolingFault)}}
}

// chassisPowerState is the result of "chassis power status".
type chassisPowerState struct {
	PowerOn bool `json:"power_on"`
}

func (p chassisPowerState) state() string {
	if p.PowerOn {
		return "on"
	}
	return "off"
}

func (p chassisPowerState) WriteText(w io.Writer) error {
	_, err := fmt.Fprintf(w, "Chassis Power is %s\n", p.state())
	return err
}

func (p chassisPowerState) Columns() []string { return []string{"power"} }
func (p chassisPowerState) Rows() [][]string  { return [][]string{{p.state()}} }

// chassisPowerActions maps ipmitool's words (and their aliases) to actions.
var chassisPowerActions = map[string]ipmi.ChassisControl{
	"on": ipmi.ControlPowerUp, "up": ipmi.ControlPowerUp,
	"off": ipmi.ControlPowerDown, "down": ipmi.ControlPowerDown,
	"cycle": ipmi.ControlPowerCycle, "reset": ipmi.ControlHardReset,
	"diag": ipmi.ControlPulseDiag, "soft": ipmi.ControlSoftOff, "acpi": ipmi.ControlSoftOff,
}

func newChassisPowerCmd(f *cli.Factory) *cobra.Command {
	return cli.Returns[cli.TextLine](cli.Returns[chassisPowerState](&cobra.Command{
		Use:       "power status|on|off|cycle|reset|diag|soft",
		Short:     "Show or change the chassis power state",
		Args:      cobra.ExactArgs(1),
		ValidArgs: []string{"status", "on", "off", "cycle", "reset", "diag", "soft"},
		RunE: func(cmd *cobra.Command, args []string) error {
			word := strings.ToLower(args[0])
			action, ok := chassisPowerActions[word]
			if word != "status" && !ok {
				return cli.UsageErrorf("invalid chassis power command %q: use status, on, off, cycle, reset, diag or soft", args[0])
			}
			c, err := f.Client()
			if err != nil {
				return err
			}
			if word == "status" {
				st, err := c.GetChassisStatus(f.Context())
				if err != nil {
					return fmt.Errorf("Get Chassis Power Status failed: %w", err)
				}
				return f.Render(chassisPowerState{PowerOn: st.PowerOn})
			}
			if err := c.ChassisControl(f.Context(), action); err != nil {
				return fmt.Errorf("Set Chassis Power Control to %s failed: %w", action, err)
			}
			return f.Render(cli.TextLine("Chassis Power Control: " + action.String()))
		},
	}))
}

func newChassisIdentifyCmd(f *cli.Factory) *cobra.Command {
	return cli.Returns[cli.TextLine](&cobra.Command{
		Use:   "identify [SECONDS|force]",
		Short: "Blink the identify light (default 15 s; 0 turns it off; force keeps it on)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			interval, force := -1, false
			msg := "default (15 seconds)"
			if len(args) == 1 {
				if strings.HasPrefix(args[0], "force") {
					force, msg = true, "indefinite"
				} else {
					n, err := strconv.ParseUint(args[0], 0, 8)
					if err != nil {
						return cli.UsageErrorf("identify interval %q: want 0-255 seconds or force", args[0])
					}
					interval = int(n)
					msg = fmt.Sprintf("%d seconds", n)
					if n == 0 {
						msg = "off"
					}
				}
			}
			c, err := f.Client()
			if err != nil {
				return err
			}
			if err := c.ChassisIdentify(f.Context(), interval, force); err != nil {
				if force {
					return fmt.Errorf("Set Chassis Identify failed: %w (the chassis may not support Force Identify On)", err)
				}
				return fmt.Errorf("Set Chassis Identify failed: %w", err)
			}
			return f.Render(cli.TextLine("Chassis identify interval: " + msg))
		},
	})
}

// chassisBootOptions maps bootdev options= names to (byte, mask, value).
var chassisBootOptions = map[string]struct{ idx, mask, val uint8 }{
	"valid":                 {0, 0x80, 0x80},
	"persistent":            {0, 0x40, 0x40},
	"efiboot":               {0, 0x20, 0x20},
	"clear-cmos":            {1, 0x80, 0x80},
	"lockkbd":               {1, 0x40, 0x40},
	"screenblank":           {1, 0x02, 0x02},
	"lockoutreset":          {1, 0x01, 0x01},
	"lockout_power":         {2, 0x80, 0x80},
	"verbose=default":       {2, 0x60, 0x00},
	"verbose=no":            {2, 0x60, 0x20},
	"verbose=yes":           {2, 0x60, 0x40},
	"force_pet":             {2, 0x10, 0x10},
	"upw_bypass":            {2, 0x08, 0x08},
	"lockout_sleep":         {2, 0x04, 0x04},
	"cons_redirect=default": {2, 0x03, 0x00},
	"cons_redirect=skip":    {2, 0x03, 0x01},
	"cons_redirect=enable":  {2, 0x03, 0x02},
}

// chassisParseBootFlags builds boot flags from "DEVICE [clear-cmos=yes]
// [options=a,b,no-c]" as ipmitool's bootdev and bootparam set bootflag do.
func chassisParseBootFlags(args []string) (ipmi.BootFlags, error) {
	var flags ipmi.BootFlags
	dev, err := ipmi.ParseBootDevice(args[0])
	if err != nil {
		return flags, cli.UsageErrorf("%v", err)
	}
	flags.SetDevice(dev)
	for _, a := range args[1:] {
		switch {
		case a == "clear-cmos=yes":
			flags[1] |= ipmi.BootFlagClearCMOS
		case a == "clear-cmos=no":
		case strings.HasPrefix(a, "options="):
			for _, opt := range strings.Split(strings.TrimPrefix(a, "options="), ",") {
				name, negate := strings.CutPrefix(opt, "no-")
				o, ok := chassisBootOptions[name]
				if !ok {
					return flags, cli.UsageErrorf("invalid boot option %q; legal options: %s", opt, chassisBootOptionNames())
				}
				flags[o.idx] &^= o.mask
				if !negate {
					flags[o.idx] |= o.val
				}
			}
		default:
			return flags, cli.UsageErrorf("unexpected argument %q: use clear-cmos=yes or options=...", a)
		}
	}
	return flags, nil
}

func chassisBootOptionNames() string {
	names := make([]string, 0, len(chassisBootOptions))
	for n := range chassisBootOptions {
		names = append(names, n)
	}
	cli.SortStrings(names)
	return strings.Join(names, ", ")
}

func newChassisBootdevCmd(f *cli.Factory) *cobra.Command {
	return cli.Returns[cli.TextLine](&cobra.Command{
		Use:   "bootdev none|pxe|disk|safe|diag|cdrom|bios|floppy [clear-cmos=yes] [options=persistent,efiboot,...]",
		Short: "Set the boot device for the next boot (or all boots with options=persistent)",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			flags, err := chassisParseBootFlags(args)
			if err != nil {
				return err
			}
			c, err := f.Client()
			if err != nil {
				return err
			}
			if err := c.SetBootDevice(f.Context(), flags); err != nil {
				return fmt.Errorf("Set Chassis Boot Parameter 5 failed: %w", err)
			}
			return f.Render(cli.TextLine("Set Boot Device to " + args[0]))
		},
	})
}

func newChassisPolicyCmd(f *cli.Factory) *cobra.Command {
	return cli.Returns[chassisPolicies](cli.Returns[cli.TextLine](&cobra.Command{
		Use:       "policy list|always-on|always-off|previous",
		Short:     "Show or set what the server does when AC power returns",
		Args:      cobra.ExactArgs(1),
		ValidArgs: []string{"list", "always-on", "always-off", "previous"},
		RunE: func(cmd *cobra.Command, args []string) error {
			policies := map[string]ipmi.RestorePolicy{"list": ipmi.PolicyUnknown,
				"always-on": ipmi.PolicyAlwaysOn, "always-off": ipmi.PolicyAlwaysOff, "previous": ipmi.PolicyPrevious}
			p, ok := policies[args[0]]
			if !ok {
				return cli.UsageErrorf("invalid chassis policy %q: use list, always-on, always-off or previous", args[0])
			}
			c, err := f.Client()
			if err != nil {
				return err
			}
			mask, err := c.SetPowerRestorePolicy(f.Context(), p)
			if err != nil {
				return fmt.Errorf("Power Restore Policy command failed: %w", err)
			}
			if p != ipmi.PolicyUnknown {
				return f.Render(cli.TextLine("Set chassis power restore policy to " + p.String()))
			}
			return f.Render(chassisPolicies{mask: mask})
		},
	}))
}

// chassisPolicies is the result of "chassis policy list".
type chassisPolicies struct{ mask uint8 }

func (c chassisPolicies) list() []string {
	out := []string{}
	for _, p := range []ipmi.RestorePolicy{ipmi.PolicyAlwaysOff, ipmi.PolicyAlwaysOn, ipmi.PolicyPrevious} {
		if c.mask&(1<<p) != 0 {
			out = append(out, p.String())
		}
	}
	return out
}

func (c chassisPolicies) MarshalJSON() ([]byte, error) {
	return cli.JSONMarshal(map[string]any{"supported_policies": c.list()})
}

func (c chassisPolicies) WriteText(w io.Writer) error {
	s := "Supported chassis power policy:  "
	for _, p := range c.list() {
		s += p
		if p != "previous" {
			s += " "
		}
	}
	_, err := io.WriteString(w, s+"\n")
	return err
}

type chassisRestartCause struct {
	Cause   string `json:"cause"`
	Code    uint8  `json:"code"`
	Channel uint8  `json:"channel"`
}

func (r chassisRestartCause) WriteText(w io.Writer) error {
	_, err := fmt.Fprintf(w, "System restart cause: %s\n", r.Cause)
	return err
}

type chassisPOH struct {
	MinutesPerCount uint8  `json:"minutes_per_count"`
	Minutes         uint64 `json:"minutes"`
}

func (p chassisPOH) WriteText(w io.Writer) error {
	days := p.Minutes / 1440
	hours := p.Minutes % 1440 / 60
	if p.MinutesPerCount < 60 {
		_, err := fmt.Fprintf(w, "POH Counter  : %d days, %d hours, %d minutes\n", days, hours, p.Minutes%60)
		return err
	}
	_, err := fmt.Fprintf(w, "POH Counter  : %d days, %d hours\n", days, hours)
	return err
}

// chassisSelfTest prints "chassis selftest" (a different layout from mc's).
type chassisSelfTest struct{ mccmd.SelfTest }

var chassisBrokenDevices = []string{"firmware corrupted", "boot block corrupted",
	"FRU Internal Use Area corrupted", "SDR Repository empty", "IPMB not responding",
	"cannot access BMC FRU", "cannot access SDR Repository", "cannot access SEL Device"}

func (s chassisSelfTest) WriteText(w io.Writer) error {
	var b strings.Builder
	b.WriteString("Self Test Results    : ")
	switch s.Code {
	case 0x55:
		b.WriteString("passed\n")
	case 0x56:
		b.WriteString("not implemented\n")
	case 0x57:
		b.WriteString("device error\n")
		for i, name := range chassisBrokenDevices {
			if s.Detail&(1<<i) != 0 {
				fmt.Fprintf(&b, "                       [%s]\n", name)
			}
		}
	case 0x58:
		fmt.Fprintf(&b, "Fatal hardware error: %02xh\n", s.Detail)
	default:
		fmt.Fprintf(&b, "Device-specific failure %02xh:%02xh\n", s.Code, s.Detail)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Columns and Rows give chassisPOH a table form, one row per field.
func (p chassisPOH) Columns() []string { return cli.FieldColumns }
func (p chassisPOH) Rows() [][]string  { return cli.FieldRows(p) }

// WriteCSV prints the text: ipmitool -c prints this result unchanged.
func (p chassisPOH) WriteCSV(w io.Writer) error { return p.WriteText(w) }

// Columns and Rows give chassisPolicies a table form, one row per field.
func (c chassisPolicies) Columns() []string { return cli.FieldColumns }
func (c chassisPolicies) Rows() [][]string  { return cli.FieldRows(c) }

// WriteCSV prints the text: ipmitool -c prints this result unchanged.
func (c chassisPolicies) WriteCSV(w io.Writer) error { return c.WriteText(w) }

// Columns and Rows give chassisRestartCause a table form, one row per field.
func (r chassisRestartCause) Columns() []string { return cli.FieldColumns }
func (r chassisRestartCause) Rows() [][]string  { return cli.FieldRows(r) }

// WriteCSV prints the text: ipmitool -c prints this result unchanged.
func (r chassisRestartCause) WriteCSV(w io.Writer) error { return r.WriteText(w) }

// Columns and Rows give chassisSelfTest a table form, one row per field.
func (s chassisSelfTest) Columns() []string { return cli.FieldColumns }
func (s chassisSelfTest) Rows() [][]string  { return cli.FieldRows(s) }

// WriteCSV prints the text: ipmitool -c prints this result unchanged.
func (s chassisSelfTest) WriteCSV(w io.Writer) error { return s.WriteText(w) }
