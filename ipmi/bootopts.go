package ipmi

import (
	"context"
	"fmt"
	"strings"
)

// System boot option parameters (IPMI v2.0 table 28-14).
const (
	BootParamSetInProgress = 0
	BootParamInfoAck       = 4
	BootParamBootFlags     = 5
)

// BootOption is one Get System Boot Options parameter.
type BootOption struct {
	Version uint8    `json:"version"`
	Param   uint8    `json:"parameter"`
	Locked  bool     `json:"invalid_locked"` // bit 7: parameter invalid/locked
	Data    ByteList `json:"data"`
}

// GetSystemBootOptions reads boot option param (set selector and block
// selector are 0 for most parameters).
func (c *Client) GetSystemBootOptions(ctx context.Context, param, set, block uint8) (*BootOption, error) {
	b, err := c.do(ctx, NetFnChassis, CmdGetSystemBootOptions, param&0x7f, set, block)
	if err != nil {
		return nil, err
	}
	if err := need("Get System Boot Options response", b, 2); err != nil {
		return nil, err
	}
	return &BootOption{Version: b[0] & 0x0f, Param: b[1] & 0x7f, Locked: b[1]&0x80 != 0,
		Data: append([]byte(nil), b[2:]...)}, nil
}

// SetSystemBootOptions writes boot option param.
func (c *Client) SetSystemBootOptions(ctx context.Context, param uint8, data []byte) error {
	req := &Request{NetFn: NetFnChassis, Cmd: CmdSetSystemBootOptions,
		Data: append([]byte{param & 0x7f}, data...)}
	_, err := c.Do(ctx, req)
	return err
}

// BootDevice is the boot device selector of the boot flags (data 2 bits 5:2).
type BootDevice uint8

// Boot devices, with the names ipmitool's "chassis bootdev" takes.
const (
	BootNone         BootDevice = 0x0
	BootPXE          BootDevice = 0x1
	BootDisk         BootDevice = 0x2
	BootSafe         BootDevice = 0x3
	BootDiag         BootDevice = 0x4
	BootCDROM        BootDevice = 0x5
	BootBIOS         BootDevice = 0x6
	BootRemoteFloppy BootDevice = 0x7
	BootRemoteCDROM  BootDevice = 0x8
	BootRemoteMedia  BootDevice = 0x9
	BootRemoteDisk   BootDevice = 0xB
	BootFloppy       BootDevice = 0xF
)

var bootDeviceNames = map[string]BootDevice{
	"none": BootNone, "pxe": BootPXE, "disk": BootDisk, "safe": BootSafe,
	"diag": BootDiag, "cdrom": BootCDROM, "bios": BootBIOS, "floppy": BootFloppy,
}

// BootDeviceNames lists the names ParseBootDevice accepts.
var BootDeviceNames = []string{"none", "pxe", "disk", "safe", "diag", "cdrom", "bios", "floppy"}

// ParseBootDevice accepts ipmitool's device names, with or without "force_".
func ParseBootDevice(s string) (BootDevice, error) {
	if d, ok := bootDeviceNames[strings.TrimPrefix(strings.ToLower(s), "force_")]; ok {
		return d, nil
	}
	return 0, fmt.Errorf("unknown boot device %q: use one of %s", s, strings.Join(BootDeviceNames, ", "))
}

// Description returns ipmitool's "Boot Device Selector" text.
func (d BootDevice) Description() string {
	switch d {
	case BootNone:
		return "No override"
	case BootPXE:
		return "Force PXE"
	case BootDisk:
		return "Force Boot from default Hard-Drive"
	case BootSafe:
		return "Force Boot from default Hard-Drive, request Safe-Mode"
	case BootDiag:
		return "Force Boot from Diagnostic Partition"
	case BootCDROM:
		return "Force Boot from CD/DVD"
	case BootBIOS:
		return "Force Boot into BIOS Setup"
	case BootRemoteFloppy:
		return "Force Boot from remotely connected Floppy/primary removable media"
	case BootRemoteCDROM:
		return "Force Boot from remotely connected CD/DVD"
	case BootRemoteMedia:
		return "Force Boot from primary remote media"
	case BootRemoteDisk:
		return "Force Boot from remotely connected Hard-Drive"
	case BootFloppy:
		return "Force Boot from Floppy/primary removable media"
	}
	return "Flag error"
}

// BootFlags is boot option parameter 5, five data bytes.
type BootFlags [5]byte

// Flag bits of data 1 and 2.
const (
	BootFlagValid      = 0x80 // data 1
	BootFlagPersistent = 0x40 // data 1
	BootFlagEFI        = 0x20 // data 1
	BootFlagClearCMOS  = 0x80 // data 2
)

// Device returns the boot device selector.
func (f BootFlags) Device() BootDevice { return BootDevice(f[1] >> 2 & 0x0f) }

// SetDevice sets the boot device selector.
func (f *BootFlags) SetDevice(d BootDevice) { f[1] = f[1]&^0x3c | uint8(d)<<2&0x3c }

// SetBootDevice sets the boot flags the way ipmitool's "chassis bootdev"
// does: mark set-in-progress, clear the BIOS/POST acknowledgement, write the
// flags with the valid bit, commit, and mark set-complete. BMCs that refuse
// set-in-progress (many do) still accept the flags, so its failure is
// ignored; the flag write is the one that must succeed.
func (c *Client) SetBootDevice(ctx context.Context, flags BootFlags) error {
	inProgress := c.SetSystemBootOptions(ctx, BootParamSetInProgress, []byte{1}) == nil
	// Clear BIOS/POST ack: mask 0x01, value 0x01 (1 = not yet handled).
	if err := c.SetSystemBootOptions(ctx, BootParamInfoAck, []byte{0x01, 0x01}); err != nil && ctx.Err() != nil {
		return err
	}
	flags[0] |= BootFlagValid
	err := c.SetSystemBootOptions(ctx, BootParamBootFlags, flags[:])
	if inProgress {
		if err == nil {
			_ = c.SetSystemBootOptions(ctx, BootParamSetInProgress, []byte{2}) // commit write
		}
		_ = c.SetSystemBootOptions(ctx, BootParamSetInProgress, []byte{0}) // set complete
	}
	return err
}
