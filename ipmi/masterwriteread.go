package ipmi

import (
	"context"
	"fmt"
)

// CmdMasterWriteRead is Master Write-Read (App netfn): an I2C/SMBus
// transaction the BMC runs on one of its buses.
const CmdMasterWriteRead = 0x52

// I2CMaxTransfer is the most bytes ipmitool reads or writes in one Master
// Write-Read; it keeps the request and response inside one IPMB message.
const I2CMaxTransfer = 64

// Master Write-Read completion codes (IPMI v2.0 table 22-10).
const (
	CodeI2CLostArbitration CompletionCode = 0x81
	CodeI2CBusError        CompletionCode = 0x82
	CodeI2CNAKOnWrite      CompletionCode = 0x83
	CodeI2CTruncatedRead   CompletionCode = 0x84
)

// I2CBus is request byte 1 of Master Write-Read: channel number (bits
// 7:4), bus ID (3:1) and bus type (0: public IPMB, 1: private bus).
type I2CBus uint8

// PublicBus is the public (IPMB) bus of channel 0.
const PublicBus I2CBus = 0

// PrivateBus names private bus id (0-7) behind channel (0-15).
func PrivateBus(channel, id uint8) I2CBus {
	return I2CBus((channel&0x0F)<<4 | (id&7)<<1 | 1)
}

// MasterWriteReadRequest builds the request: write the bytes in write to
// the device at addr (8-bit form, bit 0 zero), then read count bytes.
func MasterWriteReadRequest(bus I2CBus, addr, count uint8, write []byte) (*Request, error) {
	if count > I2CMaxTransfer {
		return nil, fmt.Errorf("Master Write-Read: Too many bytes (%d) to read", count)
	}
	if len(write) > I2CMaxTransfer {
		return nil, fmt.Errorf("Master Write-Read: Too many bytes (%d) to write", len(write))
	}
	data := append([]byte{byte(bus), addr, count}, write...)
	return &Request{NetFn: NetFnApp, Cmd: CmdMasterWriteRead, Data: data}, nil
}

// MasterWriteRead runs one I2C write-read transaction and returns the
// bytes read, as many as the BMC sent (a short read is the caller's to
// judge: ipmitool prints what came and fails).
func (c *Client) MasterWriteRead(ctx context.Context, bus I2CBus, addr, count uint8, write []byte) ([]byte, error) {
	req, err := MasterWriteReadRequest(bus, addr, count, write)
	if err != nil {
		return nil, err
	}
	b, err := c.Do(ctx, req)
	if err != nil {
		return nil, err
	}
	return append([]byte(nil), b...), nil
}
