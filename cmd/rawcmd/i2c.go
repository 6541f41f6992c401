package rawcmd

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

const i2cUsage = `usage: i2c [bus=public|# [chan=#] <i2caddr> <read bytes> [write data]
            bus=public is default
            chan=0 is default, bus= must be specified to use chan=
`

// NewI2CCmd builds `i2c`.
func NewI2CCmd(f *cli.Factory) *cobra.Command {
	cmd := cli.Returns[*I2CResult](&cobra.Command{
		Use:   "i2c [bus=public|N [chan=N]] I2CADDR READCOUNT [WRITEDATA...]",
		Short: "I2C Master Write-Read through the BMC (as ipmitool's i2c)",
		Long: "Write WRITEDATA to the I2C device at I2CADDR (8-bit address) and read READCOUNT bytes back,\n" +
			"through the BMC's Master Write-Read command. At most 64 bytes each way.\n\n" + i2cUsage,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 || strings.HasPrefix(args[0], "help") {
				return cmd.Help()
			}
			o, err := i2cParseArgs(args)
			if err != nil {
				return err
			}
			return i2cRun(f, o)
		},
	})
	return cmd
}

// i2cOptions is one parsed i2c command line.
type i2cOptions struct {
	bus   ipmi.I2CBus
	addr  uint8
	count uint8
	write []byte
}

// i2cParseArgs reads ipmitool's i2c arguments. Unlike ipmitool, a bus= or
// chan= it cannot read, or one out of range, is an error rather than the
// public bus (or a masked number).
func i2cParseArgs(args []string) (*i2cOptions, error) {
	o := &i2cOptions{bus: ipmi.PublicBus}
	i := 0
	if strings.HasPrefix(args[0], "bus=") {
		i = 1
		v := strings.TrimPrefix(args[0], "bus=")
		var id, ch uint64
		if v != "public" {
			n, err := strconv.ParseUint(v, 10, 8)
			if err != nil || n > 7 {
				return nil, cli.UsageErrorf("Given bus %q is invalid: use bus=public or bus=N for private bus N (0-7)", v)
			}
			id = n
		}
		if len(args) > 1 && strings.HasPrefix(args[1], "chan=") {
			i = 2
			n, err := strconv.ParseUint(strings.TrimPrefix(args[1], "chan="), 10, 8)
			if err != nil || n > 15 {
				return nil, cli.UsageErrorf("Given chan %q is invalid: use chan=N (0-15)", strings.TrimPrefix(args[1], "chan="))
			}
			ch = n
		}
		if v != "public" {
			o.bus = ipmi.PrivateBus(uint8(ch), uint8(id))
		} else {
			o.bus = ipmi.I2CBus(ch << 4)
		}
	} else if strings.HasPrefix(args[0], "chan=") {
		return nil, cli.UsageErrorf("bus= must be specified to use chan=\n%s", strings.TrimSuffix(i2cUsage, "\n"))
	}
	rest := args[i:]
	if len(rest) < 2 {
		return nil, cli.UsageErrorf("need an I2C address and a read count\n%s", strings.TrimSuffix(i2cUsage, "\n"))
	}
	if len(rest)-2 > ipmi.I2CMaxTransfer {
		return nil, cli.UsageErrorf("Raw command input limit (%d bytes) exceeded", ipmi.I2CMaxTransfer)
	}
	var ok bool
	if o.addr, ok = cli.ParseByte(rest[0]); !ok {
		return nil, cli.UsageErrorf("Given i2caddr %q is invalid.", rest[0])
	}
	if o.count, ok = cli.ParseByte(rest[1]); !ok {
		return nil, cli.UsageErrorf("Given read size %q is invalid.", rest[1])
	}
	if o.addr == 0 {
		return nil, cli.UsageErrorf("Invalid I2C address 0\n%s", strings.TrimSuffix(i2cUsage, "\n"))
	}
	if o.count > ipmi.I2CMaxTransfer {
		return nil, cli.UsageErrorf("Master Write-Read: Too many bytes (%d) to read", o.count)
	}
	for _, a := range rest[2:] {
		v, ok := cli.ParseByte(a)
		if !ok {
			return nil, cli.UsageErrorf("Given parameter %q is invalid.", a)
		}
		o.write = append(o.write, v)
	}
	return o, nil
}

func i2cRun(f *cli.Factory, o *i2cOptions) error {
	c, err := f.Client()
	if err != nil {
		return err
	}
	data, err := c.MasterWriteRead(f.Context(), o.bus, o.addr, o.count, o.write)
	if err != nil {
		var ce *ipmi.CompletionError
		if errors.As(err, &ce) {
			return &cli.I2CError{Err: err}
		}
		return fmt.Errorf("I2C Master Write-Read command failed: %w", err)
	}
	res := &I2CResult{Bus: uint8(o.bus), Address: o.addr, Wrote: len(o.write), Requested: int(o.count),
		Read: cli.IntsOf(data), verbose: f.Opts.Verbose > 0}
	if err := f.Render(res); err != nil {
		return err
	}
	if int(o.count) > len(data) {
		return fmt.Errorf("short read: %d of %d bytes", len(data), o.count)
	}
	return nil
}

// I2CResult is one Master Write-Read: what was written and read.
type I2CResult struct {
	Bus       uint8 `json:"bus"`
	Address   uint8 `json:"address"`
	Wrote     int   `json:"wrote"`
	Requested int   `json:"requested"`
	Read      []int `json:"read"`

	verbose bool
}

// WriteCSV: ipmitool prints the same with -c.
func (r *I2CResult) WriteCSV(w io.Writer) error { return r.WriteText(w) }

// WriteText prints as ipmitool's ipmi_rawi2c_main: the Wrote/Read lines
// (only when the other direction is empty, or with -v), the bytes read 16
// to a line, and for up to 4 bytes their bits.
func (r *I2CResult) WriteText(w io.Writer) error {
	var b strings.Builder
	if r.Wrote > 0 && (r.verbose || r.Requested == 0) {
		fmt.Fprintf(&b, "Wrote %d bytes to I2C device %02Xh\n", r.Wrote, r.Address)
	}
	if r.Requested > 0 {
		if r.verbose || r.Wrote == 0 {
			fmt.Fprintf(&b, "Read %d bytes from I2C device %02Xh\n", len(r.Read), r.Address)
		}
		if len(r.Read) >= r.Requested {
			for i, v := range r.Read {
				if i != 0 && i%16 == 0 {
					b.WriteString("\n")
				}
				fmt.Fprintf(&b, " %02x", v)
			}
			b.WriteString("\n")
			if len(r.Read) <= 4 {
				for _, v := range r.Read {
					fmt.Fprintf(&b, "%08b ", v)
				}
				b.WriteString("\n")
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Columns and Rows give I2CResult a table form, one row per field.
func (r *I2CResult) Columns() []string { return cli.FieldColumns }
func (r *I2CResult) Rows() [][]string  { return cli.FieldRows(r) }
