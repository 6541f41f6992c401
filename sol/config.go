package sol

import (
	"context"
	"encoding/binary"
	"fmt"

	"github.com/ipmictl/ipmictl/ipmi"
)

// Transport commands for the SOL configuration (IPMI v2.0 section 26).
const (
	cmdSetSOLConfig = 0x21
	cmdGetSOLConfig = 0x22
)

// Param selects a SOL configuration parameter (IPMI v2.0 table 26-5).
type Param uint8

// SOL configuration parameters.
const (
	ParamSetInProgress      Param = 0
	ParamEnable             Param = 1
	ParamAuthentication     Param = 2
	ParamCharacterInterval  Param = 3
	ParamRetry              Param = 4
	ParamNonVolatileBitRate Param = 5
	ParamVolatileBitRate    Param = 6
	ParamPayloadChannel     Param = 7
	ParamPayloadPort        Param = 8
)

var paramNames = [...]string{
	"Set In Progress", "Enable", "Authentication", "Character Interval", "Retry",
	"Nonvolatile Bitrate", "Volatile Bitrate", "Payload Channel", "Payload Port",
}

// String is ipmitool's name, e.g. "Retry (4)".
func (p Param) String() string {
	if int(p) < len(paramNames) {
		return fmt.Sprintf("%s (%d)", paramNames[p], p)
	}
	return fmt.Sprintf("Parameter (%d)", p)
}

// GetConfigRequest builds Get SOL Configuration Parameters.
func GetConfigRequest(channel uint8, p Param) *ipmi.Request {
	return &ipmi.Request{NetFn: ipmi.NetFnTransport, Cmd: cmdGetSOLConfig,
		Data: []byte{channel & 0x0F, uint8(p), 0, 0}}
}

// DecodeConfigResponse strips the parameter revision byte and returns the
// parameter data.
func DecodeConfigResponse(b []byte) ([]byte, error) {
	if err := needBytes("Get SOL Configuration Parameters response", b, 1); err != nil {
		return nil, err
	}
	return b[1:], nil
}

// GetConfig reads one parameter's raw data (without the revision byte).
// A parameter the BMC lacks is a *ipmi.CompletionError with code 0x80.
func GetConfig(ctx context.Context, c *ipmi.Client, channel uint8, p Param) ([]byte, error) {
	data, err := c.Do(ctx, GetConfigRequest(channel, p))
	if err != nil {
		return nil, err
	}
	return DecodeConfigResponse(data)
}

// SetConfigRequest builds Set SOL Configuration Parameters.
func SetConfigRequest(channel uint8, p Param, value ...byte) *ipmi.Request {
	return &ipmi.Request{NetFn: ipmi.NetFnTransport, Cmd: cmdSetSOLConfig,
		Data: append([]byte{channel & 0x0F, uint8(p)}, value...)}
}

// SetConfig writes one parameter.
func SetConfig(ctx context.Context, c *ipmi.Client, channel uint8, p Param, value ...byte) error {
	_, err := c.Do(ctx, SetConfigRequest(channel, p, value...))
	return err
}

func paramErr(p Param, b []byte, n int) error {
	return needBytes(fmt.Sprintf("SOL parameter %s", p), b, n)
}

// SetInProgress is parameter 0.
type SetInProgress uint8

// Set-in-progress states.
const (
	SetComplete    SetInProgress = 0
	SetInProgressS SetInProgress = 1
	CommitWrite    SetInProgress = 2
)

// String is ipmitool's name.
func (s SetInProgress) String() string {
	return [...]string{"set-complete", "set-in-progress", "commit-write", "reserved"}[s&3]
}

// DecodeSetInProgress decodes parameter 0.
func DecodeSetInProgress(b []byte) (SetInProgress, error) {
	if err := paramErr(ParamSetInProgress, b, 1); err != nil {
		return 0, err
	}
	return SetInProgress(b[0] & 0x03), nil
}

// DecodeEnable decodes parameter 1 (SOL enabled).
func DecodeEnable(b []byte) (bool, error) {
	if err := paramErr(ParamEnable, b, 1); err != nil {
		return false, err
	}
	return b[0]&0x01 != 0, nil
}

// Authentication is parameter 2.
type Authentication struct {
	ForceEncryption     bool           `json:"force_encryption"`
	ForceAuthentication bool           `json:"force_authentication"`
	Privilege           ipmi.Privilege `json:"privilege_level"`
}

// Encode returns the parameter byte.
func (a Authentication) Encode() byte {
	b := uint8(a.Privilege) & 0x0F
	if a.ForceEncryption {
		b |= 0x80
	}
	if a.ForceAuthentication {
		b |= 0x40
	}
	return b
}

// DecodeAuthentication decodes parameter 2.
func DecodeAuthentication(b []byte) (Authentication, error) {
	if err := paramErr(ParamAuthentication, b, 1); err != nil {
		return Authentication{}, err
	}
	return Authentication{ForceEncryption: b[0]&0x80 != 0, ForceAuthentication: b[0]&0x40 != 0,
		Privilege: ipmi.Privilege(b[0] & 0x0F)}, nil
}

// CharacterInterval is parameter 3.
type CharacterInterval struct {
	Accumulate    uint8 `json:"accumulate_5ms"` // in 5 ms units
	SendThreshold uint8 `json:"send_threshold"`
}

// DecodeCharacterInterval decodes parameter 3.
func DecodeCharacterInterval(b []byte) (CharacterInterval, error) {
	if err := paramErr(ParamCharacterInterval, b, 2); err != nil {
		return CharacterInterval{}, err
	}
	return CharacterInterval{Accumulate: b[0], SendThreshold: b[1]}, nil
}

// Retry is parameter 4.
type Retry struct {
	Count    uint8 `json:"count"`         // 0-7
	Interval uint8 `json:"interval_10ms"` // in 10 ms units
}

// DecodeRetry decodes parameter 4.
func DecodeRetry(b []byte) (Retry, error) {
	if err := paramErr(ParamRetry, b, 2); err != nil {
		return Retry{}, err
	}
	return Retry{Count: b[0] & 0x07, Interval: b[1]}, nil
}

// BitRate is parameters 5 and 6.
type BitRate uint8

// String is ipmitool's name (kbps).
func (r BitRate) String() string {
	switch r {
	case 0:
		return "IPMI-Over-Serial-Setting"
	case 6:
		return "9.6"
	case 7:
		return "19.2"
	case 8:
		return "38.4"
	case 9:
		return "57.6"
	case 10:
		return "115.2"
	}
	return fmt.Sprintf("Unknown (0x%02X)", uint8(r))
}

// Kbps is the rate in kbit/s, or false for 0 ("use the IPMI-over-serial
// setting") and reserved values.
func (r BitRate) Kbps() (float64, bool) {
	switch r {
	case 6:
		return 9.6, true
	case 7:
		return 19.2, true
	case 8:
		return 38.4, true
	case 9:
		return 57.6, true
	case 10:
		return 115.2, true
	}
	return 0, false
}

// ParseBitRate accepts ipmitool's words: serial, 9.6, 19.2, 38.4, 57.6, 115.2.
func ParseBitRate(s string) (BitRate, bool) {
	for _, r := range []BitRate{6, 7, 8, 9, 10} {
		if r.String() == s {
			return r, true
		}
	}
	return 0, s == "serial"
}

// DecodeBitRate decodes parameter 5 or 6.
func DecodeBitRate(b []byte) (BitRate, error) {
	if err := paramErr(ParamVolatileBitRate, b, 1); err != nil {
		return 0, err
	}
	return BitRate(b[0] & 0x0F), nil
}

// DecodePayloadChannel decodes parameter 7.
func DecodePayloadChannel(b []byte) (uint8, error) {
	if err := paramErr(ParamPayloadChannel, b, 1); err != nil {
		return 0, err
	}
	return b[0] & 0x0F, nil
}

// DecodePayloadPort decodes parameter 8.
func DecodePayloadPort(b []byte) (uint16, error) {
	if err := paramErr(ParamPayloadPort, b, 2); err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint16(b), nil
}
