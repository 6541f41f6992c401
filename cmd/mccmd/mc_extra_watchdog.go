package mccmd

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/spf13/cobra"
)

// ipmitool's names for timer uses, interrupts and actions: the first is
// what "watchdog get" prints, the second what "watchdog set" accepts.
var (
	mcWdtUse       = [8][2]string{{"Reserved", "none"}, {"BIOS FRB2", "frb2"}, {"BIOS/POST", "post"}, {"OS Load", "osload"}, {"SMS/OS", "sms"}, {"OEM", "oem"}, {"Reserved", ""}, {"Reserved", ""}}
	mcWdtInterrupt = [8][2]string{{"None", "none"}, {"SMI", "smi"}, {"NMI/Diagnostic", "nmi"}, {"Messaging", "msg"}, {"Reserved", ""}, {"Reserved", ""}, {"Reserved", ""}, {"Reserved", ""}}
	mcWdtAction    = [8][2]string{{"No action", "none"}, {"Hard Reset", "reset"}, {"Power Down", "poweroff"}, {"Power Cycle", "cycle"}, {"Reserved", ""}, {"Reserved", ""}, {"Reserved", ""}, {"Reserved", ""}}
)

func newMCWatchdogCmd(f *cli.Factory) *cobra.Command {
	wd := &cobra.Command{
		Use:   "watchdog",
		Short: "Show, restart, stop or configure the BMC watchdog timer",
	}
	wd.AddCommand(
		cli.Returns[*mcWatchdog](&cobra.Command{
			Use:   "get",
			Short: "Show the watchdog timer settings and countdown",
			Args:  cobra.NoArgs,
			RunE: func(cmd *cobra.Command, args []string) error {
				c, err := f.Client()
				if err != nil {
					return err
				}
				w, err := c.GetWatchdog(f.Context())
				if err != nil {
					return fmt.Errorf("Get Watchdog Timer command failed: %w", err)
				}
				return f.Render(newMCWatchdog(w))
			},
		}),
		cli.Returns[cli.TextLine](&cobra.Command{
			Use:   "reset",
			Short: "Restart the countdown from the configured value",
			Args:  cobra.NoArgs,
			RunE: func(cmd *cobra.Command, args []string) error {
				c, err := f.Client()
				if err != nil {
					return err
				}
				if err := c.ResetWatchdog(f.Context()); err != nil {
					var ce *ipmi.CompletionError
					if errors.As(err, &ce) && ce.Code == 0x80 {
						return fmt.Errorf("Reset Watchdog Timer command failed: Attempt to reset uninitialized watchdog: %w", err)
					}
					return fmt.Errorf("Reset Watchdog Timer command failed: %w", err)
				}
				return f.Render(cli.TextLine("IPMI Watchdog Timer Reset -  countdown restarted!"))
			},
		}),
		cli.Returns[cli.TextLine](&cobra.Command{
			Use:   "off",
			Short: "Stop a running watchdog timer",
			Args:  cobra.NoArgs,
			RunE: func(cmd *cobra.Command, args []string) error {
				c, err := f.Client()
				if err != nil {
					return err
				}
				// ipmitool's shut-off: SMS/OS use, no action, clear the
				// SMS/OS expiration flag, 5 minutes countdown, not started.
				off := &ipmi.WatchdogConfig{Use: ipmi.WatchdogUseSMSOS, Clear: 1 << ipmi.WatchdogUseSMSOS, Countdown: 3000}
				if err := c.SetWatchdog(f.Context(), off); err != nil {
					return fmt.Errorf("Watchdog Timer Shutoff command failed! %w", err)
				}
				return f.Render(cli.TextLine("Watchdog Timer Shutoff successful -- timer stopped"))
			},
		}),
		cli.Returns[cli.Done](&cobra.Command{
			Use:   "set OPTION[=VALUE]...",
			Short: "Configure the watchdog timer (it starts on the next reset)",
			Long: `Configure the watchdog timer, as ipmitool's "mc watchdog set":

  timeout=<1-6553>                    initial countdown, seconds
  pretimeout=<1-255>                  pre-timeout interval, seconds
  int=<smi|nmi|msg|none>              pre-timeout interrupt
  use=<frb2|post|osload|sms|oem>      timer use (default sms)
  clear=<frb2|post|osload|sms|oem>    clear that expiration flag (repeatable)
  action=<reset|poweroff|cycle|none>  timeout action (default none)
  nolog                               do not log the expiration
  dontstop                            keep a running timer running`,
			Args: cobra.MinimumNArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				w, err := mcParseWatchdogSet(args)
				if err != nil {
					return err
				}
				c, err := f.Client()
				if err != nil {
					return err
				}
				if err := c.SetWatchdog(f.Context(), w); err != nil {
					return fmt.Errorf("Set Watchdog Timer command failed: %w", err)
				}
				// ipmitool says this on stderr; stdout stays empty.
				fmt.Fprintln(f.IO.ErrOut, "Watchdog Timer was successfully configured")
				return f.Render(cli.Done("set watchdog timer"))
			},
		}),
	)
	return wd
}

// mcParseWatchdogSet parses ipmitool's watchdog set options. Unlike
// ipmitool, which looks at the first letter only, names are matched by
// prefix and an unknown option is an error, not a warning.
func mcParseWatchdogSet(args []string) (*ipmi.WatchdogConfig, error) {
	w := &ipmi.WatchdogConfig{Use: ipmi.WatchdogUseSMSOS}
	pick := func(table *[8][2]string, opt, v string) (uint8, error) {
		for i, e := range table {
			if e[1] != "" && e[1] == v {
				return uint8(i), nil
			}
		}
		var ok []string
		for _, e := range table {
			if e[1] != "" {
				ok = append(ok, e[1])
			}
		}
		return 0, cli.UsageErrorf("mc watchdog set %s=%q: want one of %s", opt, v, strings.Join(ok, ", "))
	}
	for _, a := range args {
		name, val, hasVal := strings.Cut(a, "=")
		opt := ""
		for _, o := range []string{"timeout", "pretimeout", "int", "use", "clear", "action", "nolog", "dontstop"} {
			if name != "" && strings.HasPrefix(o, name) {
				opt = o
				break
			}
		}
		needVal := opt != "nolog" && opt != "dontstop"
		if opt == "" || needVal != hasVal {
			return nil, cli.UsageErrorf("mc watchdog set: bad option %q (see mc watchdog set --help)", a)
		}
		var err error
		var v uint8
		switch opt {
		case "timeout":
			n, perr := strconv.Atoi(val)
			if perr != nil || n < 1 || n > 6553 {
				return nil, cli.UsageErrorf("Timeout value %s is out of range (1-6553)", val)
			}
			w.Countdown = uint16(n * 10)
		case "pretimeout":
			n, perr := strconv.Atoi(val)
			if perr != nil || n < 1 || n > 255 {
				return nil, cli.UsageErrorf("Pretimeout value %s is out of range (1-255)", val)
			}
			w.Pretimeout = uint8(n)
		case "int":
			v, err = pick(&mcWdtInterrupt, opt, val)
			w.Interrupt = v
		case "use":
			v, err = pick(&mcWdtUse, opt, val)
			w.Use = v
		case "clear":
			v, err = pick(&mcWdtUse, opt, val)
			w.Clear |= 1 << v
		case "action":
			v, err = pick(&mcWdtAction, opt, val)
			w.Action = v
		case "nolog":
			w.NoLog = true
		case "dontstop":
			w.DontStop = true
		}
		if err != nil {
			return nil, err
		}
	}
	if w.Use == 0 {
		return nil, cli.UsageErrorf("mc watchdog set use=none: the timer use 0 is reserved")
	}
	return w, nil
}

// mcWatchdog is the result of "mc watchdog get".
type mcWatchdog struct {
	Use              string   `json:"timer_use"`
	Running          bool     `json:"running"`
	Logging          bool     `json:"logging"`
	Action           string   `json:"action"`
	Interrupt        string   `json:"pretimeout_interrupt"`
	Pretimeout       uint8    `json:"pretimeout_seconds"`
	Expired          []string `json:"expiration_flags"`
	InitialSeconds   float64  `json:"initial_countdown_seconds"`
	PresentSeconds   *float64 `json:"present_countdown_seconds"` // null: the BMC did not say
	*ipmi.Watchdog   `json:"raw"`
	expiredFlagsByte uint8
}

func newMCWatchdog(w *ipmi.Watchdog) *mcWatchdog {
	m := &mcWatchdog{
		Use: mcWdtUse[w.Use()][0], Running: w.Running(), Logging: !w.NoLog(),
		Action: mcWdtAction[w.Action()][0], Interrupt: mcWdtInterrupt[w.Interrupt()][0],
		Pretimeout: w.Pretimeout, Expired: []string{}, InitialSeconds: float64(w.Initial) / 10,
		Watchdog: w, expiredFlagsByte: w.ExpirationFlags,
	}
	for i := 0; i < 8; i++ {
		if w.ExpirationFlags&(1<<i) != 0 {
			m.Expired = append(m.Expired, mcWdtUse[i][0])
		}
	}
	if w.HasPresent {
		p := float64(w.Present) / 10
		m.PresentSeconds = &p
	}
	return m
}

// WriteText prints ipmitool's layout. A BMC that leaves out the present
// countdown (ipmi_sim) gets "unknown" where ipmitool prints whatever
// bytes its buffer held.
func (m *mcWatchdog) WriteText(w io.Writer) error {
	var b strings.Builder
	state := "Stopped"
	if m.Running {
		state = "Started/Running"
	}
	logging := "On"
	if !m.Logging {
		logging = "Off"
	}
	fmt.Fprintf(&b, "Watchdog Timer Use:     %s (0x%02x)\n", m.Use, m.UseByte)
	fmt.Fprintf(&b, "Watchdog Timer Is:      %s\n", state)
	fmt.Fprintf(&b, "Watchdog Timer Logging: %s\n", logging)
	fmt.Fprintf(&b, "Watchdog Timer Action:  %s (0x%02x)\n", m.Action, m.ActionByte)
	fmt.Fprintf(&b, "Pre-timeout interrupt:  %s\n", m.Interrupt)
	fmt.Fprintf(&b, "Pre-timeout interval:   %d seconds\n", m.Pretimeout)
	none := ""
	if m.expiredFlagsByte == 0 {
		none = "None "
	}
	fmt.Fprintf(&b, "Timer Expiration Flags: %s(0x%02x)\n", none, m.expiredFlagsByte)
	for _, e := range m.Expired {
		fmt.Fprintf(&b, "                        * %s\n", e)
	}
	fmt.Fprintf(&b, "Initial Countdown:      %0.1f sec\n", m.InitialSeconds)
	if m.PresentSeconds != nil {
		fmt.Fprintf(&b, "Present Countdown:      %0.1f sec\n", *m.PresentSeconds)
	} else {
		b.WriteString("Present Countdown:      unknown (not in the BMC's reply)\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func (m *mcWatchdog) Columns() []string {
	return []string{"timer_use", "running", "logging", "action", "pretimeout_interrupt", "pretimeout_seconds",
		"expiration_flags", "initial_countdown_seconds", "present_countdown_seconds"}
}

func (m *mcWatchdog) Rows() [][]string {
	present := ""
	if m.PresentSeconds != nil {
		present = fmt.Sprintf("%.1f", *m.PresentSeconds)
	}
	return [][]string{{m.Use, fmt.Sprint(m.Running), fmt.Sprint(m.Logging), m.Action, m.Interrupt,
		fmt.Sprint(m.Pretimeout), strings.Join(m.Expired, ";"), fmt.Sprintf("%.1f", m.InitialSeconds), present}}
}
