package frucmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/cmd/sdrcmd"
	"github.com/ipmictl/ipmictl/fru"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/sdr"
	"github.com/spf13/cobra"
)

// NewCmd builds the `fru` command group.
func NewCmd(f *cli.Factory) *cobra.Command {
	cmd := cli.Returns[*fruPrintResult](&cobra.Command{
		Use:   "fru",
		Short: "FRU inventory: print, read, write and edit",
		Long: `Print the FRU inventory of the BMC and of every FRU device its SDR repository
lists (FRU device locator records), save a device to a file, write a file to
a device (validated first, read back and compared), or change one field.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return fruPrintRun(f, nil) },
	})
	cmd.AddCommand(cli.Returns[*fruPrintResult](&cobra.Command{
		Use:     "print [ID]",
		Aliases: []string{"list"},
		Short:   "Print FRU devices (all of them, or one FRU ID on the BMC)",
		Long: `Print the chassis, board and product areas like ipmitool fru print. Without an
ID: the BMC's FRU device 0 and every logical FRU device in the SDR repository.
With -v: the FRU file IDs and the multi-record area too. -o json adds the
multi-record details and any format warnings.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return fruPrintRun(f, nil)
			}
			id, err := fruParseID(args[0])
			if err != nil {
				return err
			}
			return fruPrintRun(f, &id)
		},
	}))
	cmd.AddCommand(newFruReadCmd(f), newFruWriteCmd(f), newFruEditCmd(f))
	return cmd
}

// fruParseID accepts a FRU device ID 0-254 in decimal or 0x hex.
func fruParseID(s string) (uint8, error) {
	v, err := strconv.ParseUint(s, 0, 8)
	if err != nil || v == 0xFF {
		return 0, cli.UsageErrorf("FRU ID %q: use a number from 0 to 254", s)
	}
	return uint8(v), nil
}

// Device is one device of a `fru print`.
type Device struct {
	ID          uint8
	Description string
	Header      string // the "FRU Device Description" line
	Device      fru.Device
	Unsupported bool
	Skip        bool // BMC without FRU inventory: header only, as ipmitool
	Info        fru.Info
	Image       *fru.Image
	Err         error

	// DIMM: a "DIMM Memory ID" locator, read and decoded as SPD.
	DIMM           bool
	DeviceType     uint8
	DeviceModifier uint8
	SPD            *fru.SPD
	SPDRaw         []byte
	SPDErr         error // the bytes are too few to decode
}

// fruPrintResult is what `fru print` shows.
type fruPrintResult struct {
	Devices []*Device
	single  bool // `fru print ID`: no description lines
	verbose bool
}

func (r *fruPrintResult) WriteText(w io.Writer) error {
	for _, d := range r.Devices {
		if !r.single {
			if _, err := io.WriteString(w, d.Header+"\n"); err != nil {
				return err
			}
		}
		if d.Skip {
			continue
		}
		if err := WriteDevice(w, d, r.verbose); err != nil {
			return err
		}
		if !r.single {
			if _, err := io.WriteString(w, "\n"); err != nil {
				return err
			}
		}
	}
	return nil
}

func WriteDevice(w io.Writer, d *Device, verbose bool) error {
	switch {
	case d.Unsupported && verbose:
		_, err := fmt.Fprintf(w, " Unsupported device 0x%02x type 0x%02x with modifier 0x%02x\n", d.ID, d.DeviceType, d.DeviceModifier)
		return err
	case d.Unsupported:
		_, err := io.WriteString(w, " Unsupported device\n")
		return err
	case d.DIMM:
		return fruWriteSPDDevice(w, d, verbose)
	case d.Err != nil:
		if fruDataError(d.Err) {
			return nil // reported on stderr, as ipmitool does
		}
		_, err := fmt.Fprintf(w, " Device not present (%s)\n", fruErrText(d.Err))
		return err
	}
	return WriteImageText(w, d.Image, verbose)
}

// fruDataError reports an answer the BMC gave whose content is unusable
// (ipmitool prints those on stderr, not as "Device not present").
func fruDataError(err error) bool {
	var ve *fru.VersionError
	var fe *ipmi.FormatError
	return errors.As(err, &ve) || errors.As(err, &fe)
}

// fruErrText is the reason ipmitool puts in "Device not present (...)".
func fruErrText(err error) string {
	var ce *ipmi.CompletionError
	if errors.As(err, &ce) {
		return ce.Code.String()
	}
	return "No Response"
}

// fruPrintRun reads and prints one FRU ID on the BMC, or all devices.
func fruPrintRun(f *cli.Factory, id *uint8) error {
	c, err := f.Client()
	if err != nil {
		return err
	}
	ctx := f.Context()
	fc := fru.NewClient(c)
	res := &fruPrintResult{single: id != nil, verbose: f.Opts.Verbose > 0}
	if id != nil {
		res.Devices = []*Device{{ID: *id, Device: fru.Device{ID: *id}}}
	} else {
		builtin := &Device{ID: 0, Description: "Builtin FRU Device", Header: "FRU Device Description : Builtin FRU Device (ID 0)"}
		// Like ipmitool, read device 0 only when the BMC says it is a
		// FRU inventory device (Get Device ID, additional support bit 3).
		if id, err := c.GetDeviceID(ctx); err != nil {
			fmt.Fprintf(f.IO.ErrOut, "Get Device ID command failed: %v\n", err)
		} else if id.AdditionalSupport&0x08 == 0 {
			builtin.Skip = true
		}
		res.Devices = append([]*Device{builtin}, fruLocatorDevices(f)...)
	}
	failed, tried := 0, 0
	for _, d := range res.Devices {
		if d.Unsupported || d.Skip {
			continue
		}
		tried++
		if err := Load(f, fc, d); err != nil {
			return err
		}
		if d.Err != nil {
			failed++
		}
	}
	if err := f.Render(res); err != nil {
		return err
	}
	if failed > 0 && failed == tried {
		return &cli.SilentError{Code: cli.ExitBMC}
	}
	return nil
}

// Load reads and decodes one device (FRU inventory or DIMM SPD) into
// d, reporting on stderr what ipmitool reports there. Only cancellation
// is returned; the device's own failure is in d.Err.
func Load(f *cli.Factory, fc *fru.Client, d *Device) error {
	if d.DIMM {
		if !fruReadSPDReport(f, fc, d) && errors.Is(d.Err, context.Canceled) {
			return d.Err
		}
		return nil
	}
	d.Image, d.Info, d.Err = fc.ReadImage(f.Context(), d.Device)
	if errors.Is(d.Err, context.Canceled) {
		return d.Err
	}
	if d.Err != nil {
		var ve *fru.VersionError
		switch {
		case errors.As(d.Err, &ve):
			fmt.Fprintf(f.IO.ErrOut, " Unknown FRU header version 0x%02x\n", ve.Version)
		default:
			if _, ok := d.Err.(*ipmi.CompletionError); !ok {
				fmt.Fprintf(f.IO.ErrOut, "FRU ID %d: %v\n", d.ID, d.Err)
			}
		}
		return nil
	}
	for _, wn := range d.Image.Warnings {
		fmt.Fprintf(f.IO.ErrOut, "FRU ID %d: warning: %s\n", d.ID, wn)
	}
	return nil
}

// fruLocatorDevices lists, in SDR order, the devices ipmitool prints:
// logical FRU devices of type 10h or EEPROMs (08h-0Fh) holding IPMI FRU
// inventory (but not the BMC's device 0, printed first), and FRU device 0
// of every other management controller that has FRU inventory.
func fruLocatorDevices(f *cli.Factory) []*Device {
	s, err := sdrcmd.Open(f)
	if err != nil {
		fmt.Fprintf(f.IO.ErrOut, "fru: cannot list FRU locators: %v\n", err)
		return nil
	}
	var out []*Device
	for _, r := range s.Repo.Records {
		if m := r.MCLocator; m != nil {
			// A satellite controller holding FRU inventory: its device 0.
			if m.Capabilities&0x08 != 0 && m.SlaveAddr != ipmi.BMCSlaveAddr {
				out = append(out, &Device{Description: m.RawName,
					Header: fmt.Sprintf("FRU Device Description : %-16s", m.RawName),
					Device: fru.Device{Target: &ipmi.Address{Channel: m.Channel, Addr: m.SlaveAddr}}})
			}
			continue
		}
		l := r.FRULocator
		if l == nil || !l.Logical || !LocatorPrinted(l) {
			continue
		}
		out = append(out, LocatorEntry(l))
	}
	return out
}

// LocatorPrinted: ipmitool's ipmi_fru_print prints logical FRU
// devices (type 10h) and EEPROMs (08h-0Fh) holding IPMI FRU inventory,
// but not the BMC's device 0 (printed as the builtin device).
func LocatorPrinted(l *sdr.FRULocator) bool {
	if l.DeviceType != 0x10 && (l.DeviceModifier != 0x02 || l.DeviceType < 0x08 || l.DeviceType > 0x0F) {
		return false
	}
	return l.AccessAddr != ipmi.BMCSlaveAddr || l.DeviceID != 0
}

// LocatorEntry is the device a FRU locator names, as ipmitool's
// ipmi_fru_print treats it: IPMI FRU inventory, a DIMM's SPD (read from
// the BMC itself, not bridged), or a format it does not know.
func LocatorEntry(l *sdr.FRULocator) *Device {
	d := &Device{ID: l.DeviceID, Description: l.RawName, Device: fruLocatorDevice(l),
		DeviceType: l.DeviceType, DeviceModifier: l.DeviceModifier,
		Header: fmt.Sprintf("FRU Device Description : %s (ID %d)", l.RawName, l.DeviceID)}
	switch l.DeviceModifier {
	case 0x00, 0x02:
	case fruSPDModifier:
		d.DIMM = true
		d.Device = fru.Device{ID: l.DeviceID}
	default:
		d.Unsupported = true // vendor formats
	}
	return d
}

// fruLocatorDevice addresses a locator's device, bridging to the
// controller that holds it when that is not the BMC.
func fruLocatorDevice(l *sdr.FRULocator) fru.Device {
	d := fru.Device{ID: l.DeviceID, LUN: l.LUN}
	if l.AccessAddr != ipmi.BMCSlaveAddr {
		d.Target = &ipmi.Address{Channel: l.Channel, Addr: l.AccessAddr}
	}
	return d
}

// Columns and Rows give fruPrintResult a table form, one row per field.
func (r *fruPrintResult) Columns() []string { return cli.FieldColumns }
func (r *fruPrintResult) Rows() [][]string  { return cli.FieldRows(r) }

// WriteCSV prints the text: ipmitool -c prints this result unchanged.
func (r *fruPrintResult) WriteCSV(w io.Writer) error { return r.WriteText(w) }
