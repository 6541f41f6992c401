package ipmi

import (
	"context"
	"encoding/binary"
	"fmt"
)

// App command numbers used by the management-controller methods.
const (
	CmdGetDeviceID        = 0x01
	CmdColdReset          = 0x02
	CmdWarmReset          = 0x03
	CmdGetSelfTestResults = 0x04
	CmdGetDeviceGUID      = 0x08
	CmdGetSystemGUID      = 0x37
)

// DeviceID is the decoded Get Device ID response (IPMI v2.0 section 20.1).
type DeviceID struct {
	DeviceID          uint8    `json:"device_id"`
	DeviceRevision    uint8    `json:"device_revision"`
	ProvidesSDRs      bool     `json:"provides_device_sdrs"`
	FirmwareMajor     uint8    `json:"firmware_major"`
	FirmwareMinor     uint8    `json:"firmware_minor"` // BCD as sent, printed in hex
	Available         bool     `json:"device_available"`
	IPMIVersion       uint8    `json:"-"` // BCD: low nibble major, high nibble minor
	AdditionalSupport uint8    `json:"-"`
	ManufacturerID    uint32   `json:"manufacturer_id"`
	ProductID         uint16   `json:"product_id"`
	AuxFirmware       ByteList `json:"aux_firmware_revision,omitempty"` // 4 bytes when present
}

// IPMIVersionString returns the version as "2.0".
func (d *DeviceID) IPMIVersionString() string {
	return fmt.Sprintf("%x.%x", d.IPMIVersion&0x0f, d.IPMIVersion>>4)
}

// FirmwareString returns the firmware revision as ipmitool prints it.
func (d *DeviceID) FirmwareString() string {
	return fmt.Sprintf("%d.%02x", d.FirmwareMajor, d.FirmwareMinor)
}

// DeviceSupportNames are the additional-device-support bits, bit 0 first.
var DeviceSupportNames = [8]string{
	"Sensor Device", "SDR Repository Device", "SEL Device", "FRU Inventory Device",
	"IPMB Event Receiver", "IPMB Event Generator", "Bridge", "Chassis Device",
}

// SupportList lists the names of the set additional-support bits.
func (d *DeviceID) SupportList() []string {
	var out []string
	for i, name := range DeviceSupportNames {
		if d.AdditionalSupport&(1<<i) != 0 {
			out = append(out, name)
		}
	}
	return out
}

// DecodeDeviceID decodes a Get Device ID response body.
func DecodeDeviceID(b []byte) (*DeviceID, error) {
	if err := need("Get Device ID response", b, 11); err != nil {
		return nil, err
	}
	d := &DeviceID{
		DeviceID:          b[0],
		DeviceRevision:    b[1] & 0x0f,
		ProvidesSDRs:      b[1]&0x80 != 0,
		FirmwareMajor:     b[2] & 0x7f,
		Available:         b[2]&0x80 == 0,
		FirmwareMinor:     b[3],
		IPMIVersion:       b[4],
		AdditionalSupport: b[5],
		ManufacturerID:    uint32(b[6]) | uint32(b[7])<<8 | uint32(b[8]&0x0f)<<16,
		ProductID:         binary.LittleEndian.Uint16(b[9:11]),
	}
	if len(b) >= 15 {
		d.AuxFirmware = append([]byte(nil), b[11:15]...)
	}
	return d, nil
}

// GetDeviceID sends Get Device ID.
func (c *Client) GetDeviceID(ctx context.Context) (*DeviceID, error) {
	b, err := c.do(ctx, NetFnApp, CmdGetDeviceID)
	if err != nil {
		return nil, err
	}
	return DecodeDeviceID(b)
}

// SelfTest is the Get Self Test Results response.
type SelfTest struct {
	Code   uint8 `json:"code"`   // 0x55 passed, 0x56 not implemented, 0x57 device error, 0x58 fatal
	Detail uint8 `json:"detail"` // bit field for 0x57, device-specific otherwise
}

// Passed reports whether the self test passed.
func (s *SelfTest) Passed() bool { return s.Code == 0x55 }

// GetSelfTestResults sends Get Self Test Results.
func (c *Client) GetSelfTestResults(ctx context.Context) (*SelfTest, error) {
	b, err := c.do(ctx, NetFnApp, CmdGetSelfTestResults)
	if err != nil {
		return nil, err
	}
	if err := need("Get Self Test Results response", b, 2); err != nil {
		return nil, err
	}
	return &SelfTest{Code: b[0], Detail: b[1]}, nil
}

// ColdReset asks the BMC to reboot; WarmReset to reinitialise without a reboot.
func (c *Client) ColdReset(ctx context.Context) error {
	_, err := c.do(ctx, NetFnApp, CmdColdReset)
	return err
}

// WarmReset asks the BMC to reset its state without rebooting.
func (c *Client) WarmReset(ctx context.Context) error {
	_, err := c.do(ctx, NetFnApp, CmdWarmReset)
	return err
}

// GUID is a 16-byte GUID in the byte order the BMC sent it.
type GUID [16]byte

// GetSystemGUID sends Get System GUID.
func (c *Client) GetSystemGUID(ctx context.Context) (GUID, error) {
	return c.guid(ctx, CmdGetSystemGUID)
}

// GetDeviceGUID sends Get Device GUID.
func (c *Client) GetDeviceGUID(ctx context.Context) (GUID, error) {
	return c.guid(ctx, CmdGetDeviceGUID)
}

func (c *Client) guid(ctx context.Context, cmd uint8) (GUID, error) {
	var g GUID
	b, err := c.do(ctx, NetFnApp, cmd)
	if err != nil {
		return g, err
	}
	if err := need("GUID response", b, 16); err != nil {
		return g, err
	}
	copy(g[:], b)
	return g, nil
}

// String formats the GUID as ipmitool's "mc guid" does for IPMI encoding:
// the bytes are stored least-significant first (IPMI v2.0 appendix 20.8),
// so each field is printed reversed.
func (g GUID) String() string {
	return fmt.Sprintf("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		g[15], g[14], g[13], g[12], g[11], g[10], g[9], g[8],
		g[7], g[6], g[5], g[4], g[3], g[2], g[1], g[0])
}

// Version returns the RFC 4122 version field of the IPMI-encoded GUID.
func (g GUID) Version() uint8 { return g[9] >> 4 }
