package lancmd

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/spf13/cobra"
)

// lan alert: the LAN channel's alert destinations (LAN parameters 17-19),
// printed and edited as ipmitool 1.8.19 does.

func newLanAlertCmd(f *cli.Factory) *cobra.Command {
	a := &cobra.Command{Use: "alert", Short: "Show and change the LAN alert destinations (PET traps)"}
	a.AddCommand(newLanAlertPrintCmd(f), newLanAlertSetCmd(f))
	return a
}

// lanAlertPrint is the result of "lan alert print".
type lanAlertPrint struct {
	Channel      uint8          `json:"channel"`
	Destinations []lanAlertDest `json:"destinations"`
}

type lanAlertDest struct {
	*ipmi.LANAlertDestination
	TypeName string `json:"type_name"`
}

func lanAlertTypeName(t uint8) string {
	switch t {
	case ipmi.AlertDestPETTrap:
		return "PET Trap"
	case ipmi.AlertDestOEM1:
		return "OEM 1"
	case ipmi.AlertDestOEM2:
		return "OEM 2"
	}
	return "Unknown"
}

func (p *lanAlertPrint) WriteText(w io.Writer) error {
	var b bytes.Buffer
	line := func(label, format string, a ...any) {
		fmt.Fprintf(&b, "%-24s: "+format+"\n", append([]any{label}, a...)...)
	}
	for _, d := range p.Destinations {
		line("Alert Destination", "%d", d.Destination)
		line("Alert Acknowledge", "%s", cli.BoolWord(d.Acknowledge, "Acknowledged", "Unacknowledged"))
		line("Destination Type", "%s", d.TypeName)
		line(cli.BoolWord(d.Acknowledge, "Acknowledge Timeout", "Retry Interval"), "%d", d.Timeout)
		line("Number of Retries", "%d", d.Retries)
		if d.IP != nil && d.MAC != nil {
			line("Alert Gateway", "%s", cli.BoolWord(d.BackupGateway, "Backup", "Default"))
			line("Alert IP Address", "%s", d.IP)
			line("Alert MAC Address", "%s", d.MAC)
		}
		b.WriteByte('\n')
	}
	_, err := w.Write(b.Bytes())
	return err
}

// WriteCSV: ipmitool prints lan alert print the same way with -c.
func (p *lanAlertPrint) WriteCSV(w io.Writer) error { return p.WriteText(w) }

// lanAlertUnsupported: the completion codes ipmitool takes to mean the
// BMC lacks a LAN parameter.
func lanAlertUnsupported(err error) bool {
	return ipmi.IsCompletion(err, ipmi.CodeParameterNotSupported) ||
		ipmi.IsCompletion(err, ipmi.CodeParameterOutOfRange) || ipmi.IsCompletion(err, ipmi.CodeInvalidDataField)
}

// lanParseDest parses an alert destination number.
func lanParseDest(s string) (uint8, error) {
	n, err := strconv.ParseUint(s, 0, 8)
	if err != nil {
		return 0, cli.UsageErrorf("Invalid alert: %s", s)
	}
	return uint8(n), nil
}

// lanAlertCheckDest fails unless dest is 0..count (parameter 17).
func lanAlertCheckDest(f *cli.Factory, c *ipmi.Client, ch, dest uint8) error {
	n, err := c.GetLANDestinationCount(f.Context(), ch)
	if err != nil {
		return fmt.Errorf("Alert %d is not a valid destination: Get LAN Parameter 17 failed%s: %w", dest, lanCodeHint(err), err)
	}
	if dest > n {
		return fmt.Errorf("Alert %d is not a valid destination (channel %d has destinations 0-%d)", dest, ch, n)
	}
	return nil
}

func newLanAlertPrintCmd(f *cli.Factory) *cobra.Command {
	return cli.Returns[*lanAlertPrint](&cobra.Command{
		Use:   "print [CHANNEL [DESTINATION]]",
		Short: "Print the alert destinations (default: all of the first LAN channel)",
		Long: "Print each alert destination's type, acknowledgement, timeout, retries, gateway and\n" +
			"addresses (LAN parameters 18 and 19). Destinations the BMC does not support are\n" +
			"left out, as ipmitool does.",
		Args: cobra.MaximumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := ParseChannelArg(args, 0); err != nil {
				return err
			}
			var one *uint8
			if len(args) == 2 {
				d, err := lanParseDest(args[1])
				if err != nil {
					return err
				}
				one = &d
			}
			c, err := f.Client()
			if err != nil {
				return err
			}
			ch, err := Channel(f, c, args, 0)
			if err != nil {
				return err
			}
			if one != nil {
				return lanAlertPrintOne(f, c, ch, *one)
			}
			return lanAlertPrintAll(f, c, ch)
		},
	})
}

func lanAlertPrintOne(f *cli.Factory, c *ipmi.Client, ch, dest uint8) error {
	if err := lanAlertCheckDest(f, c, ch, dest); err != nil {
		return err
	}
	d, err := c.ReadLANAlertDestination(f.Context(), ch, dest)
	if err != nil {
		return fmt.Errorf("Alert destination %d: %w%s", dest, err, lanCodeHint(err))
	}
	return f.Render(&lanAlertPrint{Channel: ch, Destinations: []lanAlertDest{{d, lanAlertTypeName(d.Type)}}})
}

// lanAlertPrintAll prints destinations 0..count. Like ipmitool it
// leaves out one it cannot read and goes on; a failure other than "not
// supported" still makes the exit status 1, after the rest is printed.
func lanAlertPrintAll(f *cli.Factory, c *ipmi.Client, ch uint8) error {
	ctx := f.Context()
	n, err := c.GetLANDestinationCount(ctx, ch)
	if err != nil {
		return fmt.Errorf("Get LAN Parameter 17 (number of destinations) failed%s: %w", lanCodeHint(err), err)
	}
	res := &lanAlertPrint{Channel: ch, Destinations: []lanAlertDest{}}
	var failed error
	for dest := uint8(0); dest <= n; dest++ {
		d, err := c.ReadLANAlertDestination(ctx, ch, dest)
		switch {
		case err == nil:
			res.Destinations = append(res.Destinations, lanAlertDest{d, lanAlertTypeName(d.Type)})
		case ctx.Err() != nil:
			return ctx.Err()
		case lanAlertUnsupported(err):
			if f.Opts.Verbose > 0 {
				fmt.Fprintf(f.IO.ErrOut, "ipmictl: alert destination %d: %v%s\n", dest, err, lanCodeHint(err))
			}
		default:
			var fe *ipmi.FormatError
			if !errors.As(err, &fe) && failed == nil {
				failed = fmt.Errorf("alert destination %d: %w", dest, err)
			}
			fmt.Fprintf(f.IO.ErrOut, "ipmictl: warning: alert destination %d left out: %v\n", dest, err)
		}
	}
	if err := f.Render(res); err != nil {
		return err
	}
	return failed
}

const lanAlertSetUsage = `lan alert set CHANNEL DESTINATION COMMAND VALUE
  ipaddr X.X.X.X               alert IP address
  macaddr XX:XX:XX:XX:XX:XX    alert MAC address
  gateway default|backup       gateway used for alerts
  ack on|off                   alert acknowledge on or off
  type pet|oem1|oem2           destination type: PET trap or OEM
  time SECONDS                 acknowledge timeout, or retry interval without ack (0-255)
  retry N                      number of alert retries (0-7)`

func newLanAlertSetCmd(f *cli.Factory) *cobra.Command {
	return cli.Returns[*lanSetResult](cli.Returns[*lanAlertPrint](&cobra.Command{
		Use:   "set CHANNEL DESTINATION COMMAND VALUE",
		Short: "Change one field of an alert destination",
		Long: "Reads the destination's parameter, changes the field and writes it back inside the\n" +
			"set-in-progress protocol. DESTINATION is 0 (volatile) to the count the BMC reports.\n\n" + lanAlertSetUsage,
		Args: cobra.ExactArgs(4),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := ParseChannelArg(args, 0); err != nil {
				return err
			}
			dest, err := lanParseDest(args[1])
			if err != nil {
				return err
			}
			change, msg, err := lanAlertPlan(dest, args[2], args[3])
			if err != nil {
				return err
			}
			c, err := f.Client()
			if err != nil {
				return err
			}
			ch, err := Channel(f, c, args, 0)
			if err != nil {
				return err
			}
			if err := lanAlertCheckDest(f, c, ch, dest); err != nil {
				return err
			}
			return lanAlertWrite(f, c, ch, dest, change, &lanSetResult{
				Parameter: "alert " + args[1] + " " + strings.ToLower(args[2]), Value: args[3], Message: msg})
		},
	}))
}

// lanAlertPlan parses "COMMAND VALUE" into the change and ipmitool's
// message for it.
func lanAlertPlan(dest uint8, what, value string) (ipmi.LANAlertChange, string, error) {
	var none ipmi.LANAlertChange
	bad := func() (ipmi.LANAlertChange, string, error) {
		return none, "", cli.UsageErrorf("lan alert set %s: invalid value %q\n%s", what, value, lanAlertSetUsage)
	}
	v := strings.ToLower(value)
	switch strings.ToLower(what) {
	case "ipaddr":
		ip, err := lanParseIPv4(value)
		if err != nil {
			return none, "", cli.UsageErrorf("Invalid IP address: %s", value)
		}
		return ipmi.AlertSetIP([4]byte(ip)), fmt.Sprintf("Setting LAN Alert %d IP Address to %s", dest, lanIPString(ip)), nil
	case "macaddr":
		m, err := lanParseMAC(value)
		if err != nil {
			return none, "", cli.UsageErrorf("Invalid MAC address: %s", value)
		}
		return ipmi.AlertSetMAC(m), fmt.Sprintf("Setting LAN Alert %d MAC Address to %s", dest, m), nil
	case "gateway":
		switch v {
		case "def", "default":
			return ipmi.AlertSetGateway(false), fmt.Sprintf("Setting LAN Alert %d to use Default Gateway", dest), nil
		case "bak", "backup":
			return ipmi.AlertSetGateway(true), fmt.Sprintf("Setting LAN Alert %d to use Backup Gateway", dest), nil
		}
		return bad()
	case "ack":
		switch v {
		case "on", "yes":
			return ipmi.AlertSetAcknowledge(true), fmt.Sprintf("Setting LAN Alert %d to Acknowledged", dest), nil
		case "off", "no":
			return ipmi.AlertSetAcknowledge(false), fmt.Sprintf("Setting LAN Alert %d to Unacknowledged", dest), nil
		}
		return bad()
	case "type":
		t, ok := map[string]uint8{"pet": ipmi.AlertDestPETTrap, "oem1": ipmi.AlertDestOEM1, "oem2": ipmi.AlertDestOEM2}[v]
		if !ok {
			return bad()
		}
		return ipmi.AlertSetType(t), fmt.Sprintf("Setting LAN Alert %d destination to %s", dest, lanAlertTypeName(t)), nil
	case "time":
		n, err := strconv.ParseUint(value, 0, 8)
		if err != nil {
			return none, "", cli.UsageErrorf("Invalid time: %s (0-255 seconds)", value)
		}
		return ipmi.AlertSetTimeout(uint8(n)), fmt.Sprintf("Setting LAN Alert %d timeout/retry to %d seconds", dest, n), nil
	case "retry":
		// ipmitool keeps the low 3 bits of any byte (9 becomes 1); a
		// count the field cannot hold is refused here instead.
		n, err := strconv.ParseUint(value, 0, 8)
		if err != nil || n > 7 {
			return none, "", cli.UsageErrorf("Invalid retry: %s (0-7)", value)
		}
		return ipmi.AlertSetRetries(uint8(n)), fmt.Sprintf("Setting LAN Alert %d number of retries to %d", dest, n), nil
	}
	return none, "", cli.UsageErrorf("unknown lan alert set command %q\n%s", what, lanAlertSetUsage)
}

// lanAlertWrite reads the parameter the change edits, writes the edited
// data and reads it back (with the destination's set selector).
func lanAlertWrite(f *cli.Factory, c *ipmi.Client, ch, dest uint8, change ipmi.LANAlertChange, res *lanSetResult) error {
	ctx := f.Context()
	cur, err := c.GetLANConfig(ctx, ch, change.Param, dest, 0)
	if err != nil {
		return fmt.Errorf("Get LAN Parameter %d (destination %d) failed%s: %w", change.Param, dest, lanCodeHint(err), err)
	}
	data, err := ipmi.PrepareLANAlertChange(change, dest, cur)
	if err != nil {
		return err
	}
	if err := c.SetLANConfigCommitted(ctx, ch, change.Param, data); err != nil {
		return fmt.Errorf("Set LAN Parameter %d (destination %d) failed%s: %w", change.Param, dest, lanCodeHint(err), err)
	}
	if got, err := c.GetLANConfig(ctx, ch, change.Param, dest, 0); err == nil && !bytes.Equal(got, data) {
		fmt.Fprintf(f.IO.ErrOut, "ipmictl: warning: LAN parameter %d of destination %d reads back as % x after writing % x; the BMC may not have applied it\n",
			change.Param, dest, got, data)
	}
	res.Channel = ch
	return f.Render(res)
}

// Columns and Rows give lanAlertPrint a table form, one row per field.
func (p *lanAlertPrint) Columns() []string { return cli.FieldColumns }
func (p *lanAlertPrint) Rows() [][]string  { return cli.FieldRows(p) }
