package chassiscmd

import (
	"encoding/binary"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/spf13/cobra"
)

func newChassisBootparamCmd(f *cli.Factory) *cobra.Command {
	bp := &cobra.Command{
		Use:   "bootparam",
		Short: "Read or set raw system boot option parameters",
	}
	bp.AddCommand(cli.Returns[chassisBootParam](&cobra.Command{
		Use:   "get PARAM [SET]",
		Short: "Show boot option parameter PARAM (0-7), decoded",
		Args:  cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			param, err := strconv.ParseUint(args[0], 0, 7)
			if err != nil {
				return cli.UsageErrorf("invalid parameter %q given instead of bootparam", args[0])
			}
			var set uint64
			if len(args) == 2 {
				if set, err = strconv.ParseUint(args[1], 0, 8); err != nil {
					return cli.UsageErrorf("invalid set selector %q", args[1])
				}
			}
			c, err := f.Client()
			if err != nil {
				return err
			}
			opt, err := c.GetSystemBootOptions(f.Context(), uint8(param), uint8(set), 0)
			if err != nil {
				return fmt.Errorf("Get Chassis Boot Parameter %d failed: %w", param, err)
			}
			return f.Render(chassisBootParam{opt})
		},
	}), cli.Returns[cli.Done](&cobra.Command{
		Use:   "set bootflag DEVICE [options=...]",
		Short: "Set the boot flags (as bootdev, without the device echo)",
		Args:  cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if args[0] != "bootflag" {
				return cli.UsageErrorf("bootparam set %q: only bootflag can be set this way", args[0])
			}
			flags, err := chassisParseBootFlags(args[1:])
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
			return f.Render(cli.Done("set boot flags to " + strings.Join(args[1:], " ")))
		},
	}))
	return bp
}

// chassisBootParam prints one boot option parameter as ipmitool does.
type chassisBootParam struct{ *ipmi.BootOption }

func (p chassisBootParam) WriteText(w io.Writer) error {
	var b strings.Builder
	d := p.Data
	at := func(i int) uint8 {
		if i < len(d) {
			return d[i]
		}
		return 0
	}
	fmt.Fprintf(&b, "Boot parameter version: %d\n", p.Version)
	state := "valid/unlocked"
	if p.Locked {
		state = "invalid/locked"
	}
	fmt.Fprintf(&b, "Boot parameter %d is %s\n", p.Param, state)
	fmt.Fprintf(&b, "Boot parameter data: %x\n", d)
	switch p.Param {
	case 0:
		b.WriteString(" Set In Progress : ")
		b.WriteString([]string{"set complete", "set in progress", "commit write", "error, reserved bit"}[at(0)&3] + "\n")
	case 1:
		if at(0) == 0 {
			b.WriteString(" Service Partition Selector : unspecified\n")
		} else {
			fmt.Fprintf(&b, " Service Partition Selector : %d\n", at(0))
		}
	case 2:
		b.WriteString(" Service Partition Scan :\n")
		if at(0)&3 == 0 {
			b.WriteString("     No flag set\n")
		}
		if at(0)&1 != 0 {
			b.WriteString("     - Request BIOS to scan\n")
		}
		if at(0)&2 != 0 {
			b.WriteString("     - Service Partition Discovered\n")
		}
	case 3:
		b.WriteString(" BMC boot flag valid bit clearing :\n")
		texts := []struct {
			bit  uint8
			text string
		}{
			{0x10, "Don't clear valid bit on reset/power cycle cause by PEF"},
			{0x08, "Don't automatically clear boot flag valid bit on timeout"},
			{0x04, "Don't clear valid bit on reset/power cycle cause by watchdog"},
			{0x02, "Don't clear valid bit on push button reset // soft reset"},
			{0x01, "Don't clear valid bit on power up via power push button or wake event"},
		}
		if at(0)&0x1f == 0 {
			b.WriteString("     No flag set\n")
		}
		for _, t := range texts {
			if at(0)&t.bit != 0 {
				b.WriteString("     - " + t.text + "\n")
			}
		}
	case 4:
		b.WriteString(" Boot Info Acknowledge :\n")
		texts := []struct {
			bit  uint8
			text string
		}{
			{0x10, "OEM has handled boot info"}, {0x08, "SMS has handled boot info"},
			{0x04, "OS // service partition has handled boot info"},
			{0x02, "OS Loader has handled boot info"}, {0x01, "BIOS/POST has handled boot info"},
		}
		if at(1)&0x1f == 0 {
			b.WriteString("     No flag set\n")
		}
		for _, t := range texts {
			if at(1)&t.bit != 0 {
				b.WriteString("    - " + t.text + "\n")
			}
		}
	case 5:
		chassisWriteBootFlags(&b, at)
	case 6:
		fmt.Fprintf(&b, " Boot Initiator Info :\n    Channel Number : %d\n", at(0)&0x0f)
		var sid, ts uint32
		if len(d) >= 9 {
			sid = binary.LittleEndian.Uint32(d[1:5])
			ts = binary.LittleEndian.Uint32(d[5:9])
		}
		fmt.Fprintf(&b, "    Session Id     : %08Xh\n", sid)
		fmt.Fprintf(&b, "    Timestamp      : %s\n", time.Unix(int64(ts), 0).UTC().Format("01/02/06 15:04:05"))
	default:
		fmt.Fprintf(&b, " Unsupported parameter %d\n", p.Param)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func chassisWriteBootFlags(b *strings.Builder, at func(int) uint8) {
	d0, d1, d2, d3 := at(0), at(1), at(2), at(3)
	pick := func(v bool, t, f string) string {
		if v {
			return t
		}
		return f
	}
	b.WriteString(" Boot Flags :\n")
	b.WriteString(pick(d0&0x80 != 0, "   - Boot Flag Valid\n", "   - Boot Flag Invalid\n"))
	b.WriteString(pick(d0&0x40 != 0, "   - Options apply to all future boots\n", "   - Options apply to only next boot\n"))
	b.WriteString(pick(d0&0x20 != 0, "   - BIOS EFI boot \n", "   - BIOS PC Compatible (legacy) boot \n"))
	if d1&0x80 != 0 {
		b.WriteString("   - CMOS Clear\n")
	}
	if d1&0x40 != 0 {
		b.WriteString("   - Lock Keyboard\n")
	}
	dev := ipmi.BootFlags{d0, d1}.Device()
	b.WriteString("   - Boot Device Selector : " + dev.Description() + "\n")
	if d1&0x02 != 0 {
		b.WriteString("   - Screen blank\n")
	}
	if d1&0x01 != 0 {
		b.WriteString("   - Lock out Reset buttons\n")
	}
	if d2&0x80 != 0 {
		b.WriteString("   - Lock out (power off/sleep request) via Power Button\n")
	}
	b.WriteString("   - BIOS verbosity : ")
	b.WriteString([]string{"System Default", "Request Quiet Display", "Request Verbose Display", "Flag error"}[d2>>5&3] + "\n")
	if d2&0x10 != 0 {
		b.WriteString("   - Force progress event traps\n")
	}
	if d2&0x08 != 0 {
		b.WriteString("   - User password bypass\n")
	}
	if d2&0x04 != 0 {
		b.WriteString("   - Lock Out Sleep Button\n")
	}
	b.WriteString("   - Console Redirection control : ")
	b.WriteString([]string{"Console redirection occurs per BIOS configuration setting (default)",
		"Suppress (skip) console redirection if enabled", "Request console redirection be enabled",
		"Flag error"}[d2&3] + "\n")
	if d3&0x08 != 0 {
		b.WriteString("   - BIOS Shared Mode Override\n")
	}
	b.WriteString("   - BIOS Mux Control Override : ")
	switch d3 & 7 {
	case 0:
		b.WriteString("BIOS uses recommended setting of the mux at the end of POST\n")
	case 1:
		b.WriteString("Requests BIOS to force mux to BMC at conclusion of POST/start of OS boot\n")
	case 2:
		b.WriteString("Requests BIOS to force mux to system at conclusion of POST/start of OS boot\n")
	default:
		b.WriteString("Flag error\n")
	}
}

// Columns and Rows give chassisBootParam a table form, one row per field.
func (p chassisBootParam) Columns() []string { return cli.FieldColumns }
func (p chassisBootParam) Rows() [][]string  { return cli.FieldRows(p) }

// WriteCSV prints the text: ipmitool -c prints this result unchanged.
func (p chassisBootParam) WriteCSV(w io.Writer) error { return p.WriteText(w) }
