package frucmd

import (
	"errors"
	"fmt"
	"io"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/fru"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/spf13/cobra"
)

// spdReadSize is how much of the EEPROM ipmitool's spd reads; offsets go
// out as one byte, so a 256-byte EEPROM is read twice over (the second
// half is the first again).
const spdReadSize = 512

// NewSPDCmd builds `spd`.
func NewSPDCmd(f *cli.Factory) *cobra.Command {
	return cli.Returns[*spdResult](&cobra.Command{
		Use:   "spd I2CBUS I2CADDR [CHANNEL] [MAXREAD]",
		Short: "Print a DIMM's SPD read over I2C through the BMC (as ipmitool's spd)",
		Long: `Read a memory module's Serial Presence Detect EEPROM on private I2C bus
I2CBUS (0-7) of CHANNEL (default 0) at 8-bit address I2CADDR, MAXREAD bytes
per Master Write-Read (1-64, default 64), and print it as ipmitool does:
memory type, size, banks, voltages, manufacturer, date, serial and part
number. -v also dumps the bytes on stderr; -o json gives the decoded fields.

  ipmictl spd 0 0xa0`,
		Args: cobra.RangeArgs(2, 4),
		RunE: func(cmd *cobra.Command, args []string) error {
			o, err := spdParseArgs(args)
			if err != nil {
				return err
			}
			return spdRun(f, o)
		},
	})
}

type spdOptions struct {
	bus     ipmi.I2CBus
	addr    uint8
	maxRead uint8
}

// spdParseArgs reads ipmitool's arguments (numbers in C's notations). A
// MAXREAD of 0 or over 64 is refused: ipmitool would loop forever on 0.
func spdParseArgs(args []string) (*spdOptions, error) {
	var vals [4]uint8
	vals[3] = ipmi.I2CMaxTransfer
	for i, label := range []string{"i2cbus", "i2caddr", "channel", "maxread"}[:len(args)] {
		v, ok := cli.ParseByte(args[i])
		if !ok {
			return nil, cli.UsageErrorf("Given %s %q is invalid.", label, args[i])
		}
		vals[i] = v
	}
	if vals[3] == 0 || vals[3] > ipmi.I2CMaxTransfer {
		return nil, cli.UsageErrorf("Given maxread %d is invalid: want 1-%d bytes per read", vals[3], ipmi.I2CMaxTransfer)
	}
	return &spdOptions{bus: ipmi.PrivateBus(vals[2], vals[0]), addr: vals[1], maxRead: vals[3]}, nil
}

func spdRun(f *cli.Factory, o *spdOptions) error {
	c, err := f.Client()
	if err != nil {
		return err
	}
	raw := make([]byte, 0, spdReadSize)
	for off := 0; off < spdReadSize; off += int(o.maxRead) {
		n := min(int(o.maxRead), spdReadSize-off)
		data, err := c.MasterWriteRead(f.Context(), o.bus, o.addr, uint8(n), []byte{uint8(off)})
		if err != nil {
			var ce *ipmi.CompletionError
			if errors.As(err, &ce) {
				err = &cli.I2CError{Err: err}
			}
			return fmt.Errorf("%w\nUnable to perform I2C Master Write-Read", err)
		}
		// ipmitool copies MAXREAD bytes whatever came back; a short
		// answer is an error here rather than stale memory.
		if len(data) < n {
			return fmt.Errorf("I2C device %02Xh returned %d of %d bytes at offset %d", o.addr, len(data), n, off)
		}
		raw = append(raw, data[:n]...)
	}
	spd, err := fru.ParseSPD(raw)
	if err != nil {
		return fmt.Errorf("SPD at %02Xh: %w", o.addr, err)
	}
	if f.Opts.Verbose > 0 && !spd.Truncated {
		fruSPDDump(f.IO.ErrOut, raw)
	}
	return f.Render(&spdResult{SPD: spd, verbose: f.Opts.Verbose > 0})
}

// spdResult prints like ipmitool's ipmi_spd_print; JSON is the decoding.
type spdResult struct {
	*fru.SPD
	verbose bool
}

func (r *spdResult) WriteText(w io.Writer) error {
	fw := &fruWriter{w: w}
	fruWriteSPD(fw, r.SPD)
	if r.verbose && !r.Truncated {
		fw.printf("\n")
	}
	return fw.err
}
