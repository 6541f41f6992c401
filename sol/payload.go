package sol

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/ipmictl/ipmictl/ipmi"
)

// PayloadTypeSOL is the RMCP+ payload type of SOL packets.
const PayloadTypeSOL = 1

// App commands for payloads (IPMI v2.0 table G-1).
const (
	cmdActivatePayload         = 0x48
	cmdDeactivatePayload       = 0x49
	cmdGetPayloadActivation    = 0x4A
	cmdGetPayloadInstanceInfo  = 0x4B
	cmdSetUserPayloadAccess    = 0x4C
	cmdGetUserPayloadAccess    = 0x4D
	maxInstance                = 15
	activateAuxEncrypt         = 0x80
	activateAuxAuthenticate    = 0x40
	activateAuxAlertsDeferred  = 0x04 // serial alerts wait until SOL ends
	activateAuxHandshakeOnData = 0x02 // BMC asserts CTS/DCD after our first packet
)

// Activation completion codes (IPMI v2.0 section 24.1).
const (
	codeAlreadyActive      ipmi.CompletionCode = 0x80
	codePayloadDisabled    ipmi.CompletionCode = 0x81
	codeActivationLimit    ipmi.CompletionCode = 0x82
	codeCannotEncrypt      ipmi.CompletionCode = 0x83
	codeEncryptionRequired ipmi.CompletionCode = 0x84
)

// Sentinel errors a caller can test with errors.Is.
var (
	// ErrAlreadyActive: the payload instance is active on another session.
	ErrAlreadyActive = errors.New("SOL payload already active on another session")
	// ErrAlreadyDeactivated: Deactivate found no active instance.
	ErrAlreadyDeactivated = errors.New("SOL payload already de-activated")
	// ErrPayloadDisabled: SOL is disabled on the BMC (sol set enabled true).
	ErrPayloadDisabled = errors.New("SOL payload disabled")
	// ErrDeactivated: the BMC ended the SOL session.
	ErrDeactivated = errors.New("SOL payload deactivated by the BMC")
)

// ActivationError is a refused Activate or Deactivate Payload. It wraps
// the completion error and matches the sentinels above with errors.Is.
type ActivationError struct {
	Code ipmi.CompletionCode
	Err  error // the *ipmi.CompletionError
	op   string
}

func (e *ActivationError) Error() string {
	switch {
	case e.op == "deactivate" && e.Code == codeAlreadyActive:
		return ErrAlreadyDeactivated.Error()
	case e.Code == codeAlreadyActive:
		return ErrAlreadyActive.Error()
	case e.Code == codePayloadDisabled:
		return ErrPayloadDisabled.Error()
	case e.Code == codeActivationLimit:
		return "SOL payload activation limit reached"
	case e.Code == codeCannotEncrypt:
		return "cannot activate SOL payload with encryption"
	case e.Code == codeEncryptionRequired:
		return "cannot activate SOL payload without encryption (the BMC forces SOL encryption: use a cipher suite with confidentiality, e.g. 3 or 17)"
	}
	return fmt.Sprintf("error %s SOL payload: %v", map[string]string{"activate": "activating", "deactivate": "de-activating"}[e.op], e.Err)
}

func (e *ActivationError) Unwrap() error { return e.Err }

// Is matches the sentinel errors.
func (e *ActivationError) Is(target error) bool {
	switch target {
	case ErrAlreadyActive:
		return e.op == "activate" && e.Code == codeAlreadyActive
	case ErrAlreadyDeactivated:
		return e.op == "deactivate" && e.Code == codeAlreadyActive
	case ErrPayloadDisabled:
		return e.Code == codePayloadDisabled
	}
	return false
}

func activationError(op string, err error) error {
	var ce *ipmi.CompletionError
	if errors.As(err, &ce) {
		return &ActivationError{Code: ce.Code, Err: err, op: op}
	}
	return err
}

// ActivateOptions are the auxiliary data of Activate Payload.
type ActivateOptions struct {
	Instance     uint8 // 1-15; 0 means 1
	Encrypt      bool  // payload encryption (needs a suite with confidentiality)
	Authenticate bool  // payload authentication (integrity)
	// HandshakeOnData asks the BMC to assert CTS and DCD/DSR only after the
	// first SOL packet from us, instead of at activation.
	HandshakeOnData bool
}

// Activation is the BMC's answer to Activate Payload.
type Activation struct {
	Aux          [4]byte
	InboundSize  uint16 // largest SOL payload (header included) the BMC accepts from us
	OutboundSize uint16 // largest SOL payload the BMC says it sends
	Port         uint16 // UDP port for the payload (0 when not reported)
	VLAN         uint16 // 0xFFFF: no VLAN
}

func checkInstance(i uint8) (uint8, error) {
	if i == 0 {
		return 1, nil
	}
	if i > maxInstance {
		return 0, fmt.Errorf("SOL instance %d out of range: must be 1 to 15", i)
	}
	return i, nil
}

// ActivatePayloadRequest builds Activate Payload for SOL.
func ActivatePayloadRequest(o ActivateOptions) (*ipmi.Request, error) {
	inst, err := checkInstance(o.Instance)
	if err != nil {
		return nil, err
	}
	aux := uint8(activateAuxAlertsDeferred)
	if o.Encrypt {
		aux |= activateAuxEncrypt
	}
	if o.Authenticate {
		aux |= activateAuxAuthenticate
	}
	if o.HandshakeOnData {
		aux |= activateAuxHandshakeOnData
	}
	return &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: cmdActivatePayload,
		Data: []byte{PayloadTypeSOL, inst, aux, 0, 0, 0}}, nil
}

// DecodeActivation decodes the Activate Payload response data. The payload
// sizes are 0 when the BMC omits them; Console clamps them.
func DecodeActivation(b []byte) (*Activation, error) {
	const what = "Activate Payload response"
	if err := needBytes(what, b, 8); err != nil {
		return nil, err
	}
	a := &Activation{VLAN: 0xFFFF}
	copy(a.Aux[:], b[:4])
	a.InboundSize = binary.LittleEndian.Uint16(b[4:])
	a.OutboundSize = binary.LittleEndian.Uint16(b[6:])
	if len(b) >= 10 {
		a.Port = binary.LittleEndian.Uint16(b[8:])
	}
	if len(b) >= 12 {
		a.VLAN = binary.LittleEndian.Uint16(b[10:])
	}
	return a, nil
}

// Activate activates the SOL payload on the client's session.
func Activate(ctx context.Context, c *ipmi.Client, o ActivateOptions) (*Activation, error) {
	req, err := ActivatePayloadRequest(o)
	if err != nil {
		return nil, err
	}
	data, err := c.Do(ctx, req)
	if err != nil {
		return nil, activationError("activate", err)
	}
	return DecodeActivation(data)
}

// DeactivatePayloadRequest builds Deactivate Payload for SOL instance.
func DeactivatePayloadRequest(instance uint8) (*ipmi.Request, error) {
	inst, err := checkInstance(instance)
	if err != nil {
		return nil, err
	}
	return &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: cmdDeactivatePayload,
		Data: []byte{PayloadTypeSOL, inst, 0, 0, 0, 0}}, nil
}

// Deactivate deactivates SOL instance (whichever session holds it).
// errors.Is(err, ErrAlreadyDeactivated) when it was not active.
func Deactivate(ctx context.Context, c *ipmi.Client, instance uint8) error {
	req, err := DeactivatePayloadRequest(instance)
	if err != nil {
		return err
	}
	if _, err := c.Do(ctx, req); err != nil {
		return activationError("deactivate", err)
	}
	return nil
}

// ActivationStatus is the answer to Get Payload Activation Status.
type ActivationStatus struct {
	Capacity uint8  // instances the BMC supports (1-15)
	Active   uint16 // bit i-1 set: instance i active
}

// IsActive reports whether instance (1-16) is active.
func (s *ActivationStatus) IsActive(instance uint8) bool {
	return instance >= 1 && instance <= 16 && s.Active&(1<<(instance-1)) != 0
}

// ActiveInstances lists the active instances in ascending order.
func (s *ActivationStatus) ActiveInstances() []uint8 {
	var r []uint8
	for i := uint8(1); i <= 16; i++ {
		if s.IsActive(i) {
			r = append(r, i)
		}
	}
	return r
}

// GetActivationStatusRequest builds Get Payload Activation Status for SOL.
func GetActivationStatusRequest() *ipmi.Request {
	return &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: cmdGetPayloadActivation, Data: []byte{PayloadTypeSOL}}
}

// DecodeActivationStatus decodes the Get Payload Activation Status data.
func DecodeActivationStatus(b []byte) (*ActivationStatus, error) {
	const what = "Get Payload Activation Status response"
	if err := needBytes(what, b, 3); err != nil {
		return nil, err
	}
	return &ActivationStatus{Capacity: b[0] & 0x0F, Active: binary.LittleEndian.Uint16(b[1:])}, nil
}

// GetActivationStatus asks which SOL instances are active.
func GetActivationStatus(ctx context.Context, c *ipmi.Client) (*ActivationStatus, error) {
	data, err := c.Do(ctx, GetActivationStatusRequest())
	if err != nil {
		return nil, err
	}
	return DecodeActivationStatus(data)
}

// GetInstanceInfoRequest builds Get Payload Instance Info for SOL.
func GetInstanceInfoRequest(instance uint8) *ipmi.Request {
	return &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: cmdGetPayloadInstanceInfo, Data: []byte{PayloadTypeSOL, instance}}
}

// DecodeInstanceInfo returns the ID of the session that holds the
// instance (0: not active) from Get Payload Instance Info.
func DecodeInstanceInfo(b []byte) (uint32, error) {
	if err := needBytes("Get Payload Instance Info response", b, 4); err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint32(b), nil
}

// InstanceOwner returns the BMC session ID holding SOL instance, 0 when
// the instance is not active.
func InstanceOwner(ctx context.Context, c *ipmi.Client, instance uint8) (uint32, error) {
	inst, err := checkInstance(instance)
	if err != nil {
		return 0, err
	}
	data, err := c.Do(ctx, GetInstanceInfoRequest(inst))
	if err != nil {
		return 0, err
	}
	return DecodeInstanceInfo(data)
}

// SetUserPayloadAccessRequest enables or disables SOL for user (1-63) on
// channel (Set User Payload Access, App 0x4C).
func SetUserPayloadAccessRequest(channel, user uint8, enable bool) *ipmi.Request {
	op := uint8(0)
	if !enable {
		op = 0x40
	}
	return &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: cmdSetUserPayloadAccess,
		Data: []byte{channel & 0x0F, user&0x3F | op, 1 << PayloadTypeSOL, 0, 0, 0}}
}

// SetUserPayloadAccess enables or disables the SOL payload for a user.
func SetUserPayloadAccess(ctx context.Context, c *ipmi.Client, channel, user uint8, enable bool) error {
	_, err := c.Do(ctx, SetUserPayloadAccessRequest(channel, user, enable))
	return err
}

// GetUserPayloadAccessRequest builds Get User Payload Access (App 0x4D).
func GetUserPayloadAccessRequest(channel, user uint8) *ipmi.Request {
	return &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: cmdGetUserPayloadAccess,
		Data: []byte{channel & 0x0F, user & 0x3F}}
}

// DecodeUserPayloadAccess reports whether the SOL bit is set in a Get User
// Payload Access response (4 bytes: standard and OEM payload enables).
func DecodeUserPayloadAccess(b []byte) (bool, error) {
	if err := needBytes("Get User Payload Access response", b, 4); err != nil {
		return false, err
	}
	return b[0]&(1<<PayloadTypeSOL) != 0, nil
}

// UserPayloadAccess reports whether user may activate SOL on channel.
func UserPayloadAccess(ctx context.Context, c *ipmi.Client, channel, user uint8) (bool, error) {
	data, err := c.Do(ctx, GetUserPayloadAccessRequest(channel, user))
	if err != nil {
		return false, err
	}
	return DecodeUserPayloadAccess(data)
}

func needBytes(what string, b []byte, n int) error {
	if len(b) < n {
		return ipmi.ShortError(what, len(b), n)
	}
	return nil
}
