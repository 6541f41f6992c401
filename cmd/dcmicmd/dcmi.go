package dcmicmd

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/spf13/cobra"
)

// NewCmd builds the `dcmi` command group.
func NewCmd(f *cli.Factory) *cobra.Command {
	d := &cobra.Command{
		Use:   "dcmi",
		Short: "Data Center Manageability Interface: capabilities and power",
	}
	power := &cobra.Command{Use: "power", Short: "Power reading and power limit"}
	power.AddCommand(
		cli.Returns[dcmiReading](&cobra.Command{
			Use:   "reading",
			Short: "Show the system power statistics",
			Args:  cobra.NoArgs,
			RunE: func(cmd *cobra.Command, args []string) error {
				c, err := f.Client()
				if err != nil {
					return err
				}
				r, err := c.GetPowerReading(f.Context())
				if err != nil {
					return dcmiError(err)
				}
				return f.Render(dcmiReading{r})
			},
		}),
		cli.Returns[dcmiLimit](&cobra.Command{
			Use:   "get_limit",
			Short: "Show the power limit and what happens when it is exceeded",
			Args:  cobra.NoArgs,
			RunE: func(cmd *cobra.Command, args []string) error {
				c, err := f.Client()
				if err != nil {
					return err
				}
				l, err := c.GetPowerLimit(f.Context())
				if err != nil {
					return dcmiError(err)
				}
				return f.Render(dcmiLimit{l})
			},
		}),
	)
	d.AddCommand(cli.Returns[*dcmiDiscover](&cobra.Command{
		Use:   "discover",
		Short: "Show the DCMI version and the capabilities the BMC reports",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := f.Client()
			if err != nil {
				return err
			}
			caps, attrs, err := c.GetDCMICapabilities(f.Context())
			if caps == nil {
				return dcmiError(err)
			}
			if rerr := f.Render(&dcmiDiscover{Capabilities: caps, Attributes: attrs}); rerr != nil {
				return rerr
			}
			if err != nil {
				return dcmiError(err)
			}
			return nil
		},
	}), power)
	return d
}

// dcmiError turns "the BMC does not know the command" into a plain
// statement; other errors pass through.
func dcmiError(err error) error {
	if errors.Is(err, ipmi.ErrDCMIUnsupported) {
		return fmt.Errorf("this BMC does not support DCMI (it answers the DCMI group extension with \"Invalid command\")")
	}
	return fmt.Errorf("DCMI request failed: %w", err)
}

// dcmiDiscover is the result of "dcmi discover".
type dcmiDiscover struct {
	Capabilities *ipmi.DCMICapabilities       `json:"capabilities"`
	Attributes   *ipmi.DCMIPlatformAttributes `json:"platform_attributes,omitempty"`
}

func (d *dcmiDiscover) WriteText(w io.Writer) error {
	c := d.Capabilities
	var b bytes.Buffer
	fmt.Fprintf(&b, "    DCMI Specification %d.%d\n", c.Major, c.Minor)
	b.WriteString("    Optional Platform capabilities found:\n")
	if c.PowerManagement {
		b.WriteString("        Power management available\n")
	} else {
		b.WriteString("        Power management not available\n")
	}
	b.WriteString("    Managebility access capabilities found:\n")
	for _, m := range []struct {
		on   bool
		name string
	}{{c.InBandKCS, "In-band KCS channel available"}, {c.SerialTMode, "Serial TMODE available"},
		{c.SecondaryLAN, "Secondary LAN channel available"}, {c.PrimaryLAN, "Primary LAN channel available"},
		{c.SOL, "SOL enabled"}, {c.VLAN, "VLAN capable"}} {
		if m.on {
			fmt.Fprintf(&b, "        %s\n", m.name)
		}
	}
	if a := d.Attributes; a != nil {
		b.WriteString("    Mandatory platform attributes:\n")
		fmt.Fprintf(&b, "        SEL maximum entries: %d%s\n", a.SELEntries, cli.BoolWord(a.SELFlushOnRollover, " (flushed on rollover)", ""))
		fmt.Fprintf(&b, "        Identification: GUID %s, DHCP host name %s, asset tag %s\n",
			cli.BoolWord(a.GUID, "yes", "no"), cli.BoolWord(a.DHCPHostName, "yes", "no"), cli.BoolWord(a.AssetTag, "yes", "no"))
		fmt.Fprintf(&b, "        Temperature monitoring: inlet %s, processor %s, baseboard %s; sampled every %d s\n",
			cli.BoolWord(a.InletTemp, "yes", "no"), cli.BoolWord(a.ProcessorTemp, "yes", "no"), cli.BoolWord(a.BaseboardTemp, "yes", "no"),
			a.TempSampleSecs)
	}
	_, err := w.Write(b.Bytes())
	return err
}

// dcmiReading is the result of "dcmi power reading".
type dcmiReading struct{ *ipmi.PowerReading }

func (r dcmiReading) WriteText(w io.Writer) error {
	p := r.PowerReading
	var b bytes.Buffer
	b.WriteString("\n")
	fmt.Fprintf(&b, "    Instantaneous power reading:              %8d Watts\n", p.Current)
	fmt.Fprintf(&b, "    Minimum during sampling period:           %8d Watts\n", p.Minimum)
	fmt.Fprintf(&b, "    Maximum during sampling period:           %8d Watts\n", p.Maximum)
	fmt.Fprintf(&b, "    Average power reading over sample period: %8d Watts\n", p.Average)
	fmt.Fprintf(&b, "    IPMI timestamp:                           %s\n",
		time.Unix(int64(p.Timestamp), 0).UTC().Format("Mon Jan  2 15:04:05 2006"))
	fmt.Fprintf(&b, "    Sampling period:                          %08d Seconds.\n", p.PeriodMsec/1000)
	fmt.Fprintf(&b, "    Power reading state is:                   %s\n", cli.BoolWord(p.Active, "activated", "deactivated"))
	b.WriteString("\n\n")
	_, err := w.Write(b.Bytes())
	return err
}

var dcmiExceptionActions = map[uint8]string{0x00: "No Action", 0x01: "Hard Power Off & Log Event to SEL",
	0x11: "Log Event to SEL"}

// dcmiLimit is the result of "dcmi power get_limit".
type dcmiLimit struct{ *ipmi.PowerLimit }

func (l dcmiLimit) WriteText(w io.Writer) error {
	p := l.PowerLimit
	act, ok := dcmiExceptionActions[p.ExceptionAction]
	if !ok {
		act = fmt.Sprintf("OEM action 0x%02x", p.ExceptionAction)
	}
	var b bytes.Buffer
	b.WriteString("\n")
	fmt.Fprintf(&b, "    Current Limit State: %s\n", cli.BoolWord(p.Active, "Power Limit Active", "No Active Power Limit"))
	fmt.Fprintf(&b, "    Exception actions:   %s\n", act)
	fmt.Fprintf(&b, "    Power Limit:         %d   Watts\n", p.LimitWatts)
	fmt.Fprintf(&b, "    Correction time:     %d milliseconds\n", p.CorrectionMsec)
	fmt.Fprintf(&b, "    Sampling period:     %d seconds\n", p.SamplingSecs)
	b.WriteString("\n")
	_, err := w.Write(b.Bytes())
	return err
}

// Columns and Rows give dcmiDiscover a table form, one row per field.
func (d *dcmiDiscover) Columns() []string { return cli.FieldColumns }
func (d *dcmiDiscover) Rows() [][]string  { return cli.FieldRows(d) }

// WriteCSV prints the text: ipmitool -c prints this result unchanged.
func (d *dcmiDiscover) WriteCSV(w io.Writer) error { return d.WriteText(w) }

// Columns and Rows give dcmiLimit a table form, one row per field.
func (l dcmiLimit) Columns() []string { return cli.FieldColumns }
func (l dcmiLimit) Rows() [][]string  { return cli.FieldRows(l) }

// WriteCSV prints the text: ipmitool -c prints this result unchanged.
func (l dcmiLimit) WriteCSV(w io.Writer) error { return l.WriteText(w) }

// Columns and Rows give dcmiReading a table form, one row per field.
func (r dcmiReading) Columns() []string { return cli.FieldColumns }
func (r dcmiReading) Rows() [][]string  { return cli.FieldRows(r) }

// WriteCSV prints the text: ipmitool -c prints this result unchanged.
func (r dcmiReading) WriteCSV(w io.Writer) error { return r.WriteText(w) }
