package ipmi

import "context"

// BMC Global Enables commands (IPMI v2.0 section 22.1-22.2).
const (
	CmdSetBMCGlobalEnables = 0x2E
	CmdGetBMCGlobalEnables = 0x2F
)

// GlobalEnables is the BMC Global Enables byte.
type GlobalEnables uint8

// The global enable bits (bit 4 is reserved).
const (
	EnableReceiveMsgInterrupt  GlobalEnables = 1 << 0
	EnableEventBufferInterrupt GlobalEnables = 1 << 1
	EnableEventBuffer          GlobalEnables = 1 << 2
	EnableSystemEventLogging   GlobalEnables = 1 << 3
	EnableOEM0                 GlobalEnables = 1 << 5
	EnableOEM1                 GlobalEnables = 1 << 6
	EnableOEM2                 GlobalEnables = 1 << 7
)

// DecodeGlobalEnables decodes a Get BMC Global Enables response.
func DecodeGlobalEnables(b []byte) (GlobalEnables, error) {
	if err := need("Get BMC Global Enables response", b, 1); err != nil {
		return 0, err
	}
	return GlobalEnables(b[0]), nil
}

// GetGlobalEnables sends Get BMC Global Enables.
func (c *Client) GetGlobalEnables(ctx context.Context) (GlobalEnables, error) {
	b, err := c.do(ctx, NetFnApp, CmdGetBMCGlobalEnables)
	if err != nil {
		return 0, err
	}
	return DecodeGlobalEnables(b)
}

// SetGlobalEnables sends Set BMC Global Enables.
func (c *Client) SetGlobalEnables(ctx context.Context, e GlobalEnables) error {
	_, err := c.do(ctx, NetFnApp, CmdSetBMCGlobalEnables, uint8(e))
	return err
}
