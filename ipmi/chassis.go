package ipmi

import (
	"context"
	"encoding/binary"
)

// Chassis command numbers (IPMI v2.0 section 28).
const (
	CmdGetChassisCapabilities = 0x00
	CmdGetChassisStatus       = 0x01
	CmdChassisControl         = 0x02
	CmdChassisIdentify        = 0x04
	CmdSetPowerRestorePolicy  = 0x06
	CmdGetSystemRestartCause  = 0x07
	CmdSetSystemBootOptions   = 0x08
	CmdGetSystemBootOptions   = 0x09
	CmdGetPOHCounter          = 0x0F
)

// ChassisControl is the Chassis Control action byte.
type ChassisControl uint8

// Chassis Control actions.
const (
	ControlPowerDown  ChassisControl = 0x00
	ControlPowerUp    ChassisControl = 0x01
	ControlPowerCycle ChassisControl = 0x02
	ControlHardReset  ChassisControl = 0x03
	ControlPulseDiag  ChassisControl = 0x04
	ControlSoftOff    ChassisControl = 0x05
)

// String returns ipmitool's name for the action.
func (c ChassisControl) String() string {
	switch c {
	case ControlPowerDown:
		return "Down/Off"
	case ControlPowerUp:
		return "Up/On"
	case ControlPowerCycle:
		return "Cycle"
	case ControlHardReset:
		return "Reset"
	case ControlPulseDiag:
		return "Diag"
	case ControlSoftOff:
		return "Soft"
	}
	return "Unknown"
}

// RestorePolicy is the power restore policy.
type RestorePolicy uint8

// Power restore policies.
const (
	PolicyAlwaysOff RestorePolicy = 0
	PolicyPrevious  RestorePolicy = 1
	PolicyAlwaysOn  RestorePolicy = 2
	PolicyUnknown   RestorePolicy = 3 // Get Chassis Status: unknown; Set: no change
)

// String returns ipmitool's name for the policy.
func (p RestorePolicy) String() string {
	switch p {
	case PolicyAlwaysOff:
		return "always-off"
	case PolicyPrevious:
		return "previous"
	case PolicyAlwaysOn:
		return "always-on"
	}
	return "unknown"
}

// ChassisStatus is the decoded Get Chassis Status response.
type ChassisStatus struct {
	PowerOn           bool          `json:"power_on"`
	PowerOverload     bool          `json:"power_overload"`
	PowerInterlock    bool          `json:"power_interlock"`
	MainPowerFault    bool          `json:"main_power_fault"`
	PowerControlFault bool          `json:"power_control_fault"`
	RestorePolicy     RestorePolicy `json:"-"`

	LastEvent uint8 `json:"-"` // byte 2: ac-failed, overload, interlock, fault, command

	Intrusion         bool `json:"chassis_intrusion"`
	FrontPanelLockout bool `json:"front_panel_lockout"`
	DriveFault        bool `json:"drive_fault"`
	CoolingFault      bool `json:"cooling_fan_fault"`

	// FrontPanel is the optional fourth byte; nil when the BMC omits it.
	FrontPanel *uint8 `json:"-"`
}

// LastEventNames lists the set last-power-event bits by name.
func (s *ChassisStatus) LastEventNames() []string {
	names := []string{"ac-failed", "overload", "interlock", "fault", "command"}
	var out []string
	for i, n := range names {
		if s.LastEvent&(1<<i) != 0 {
			out = append(out, n)
		}
	}
	return out
}

// DecodeChassisStatus decodes a Get Chassis Status response body.
func DecodeChassisStatus(b []byte) (*ChassisStatus, error) {
	if err := need("Get Chassis Status response", b, 3); err != nil {
		return nil, err
	}
	s := &ChassisStatus{
		PowerOn:           b[0]&0x01 != 0,
		PowerOverload:     b[0]&0x02 != 0,
		PowerInterlock:    b[0]&0x04 != 0,
		MainPowerFault:    b[0]&0x08 != 0,
		PowerControlFault: b[0]&0x10 != 0,
		RestorePolicy:     RestorePolicy(b[0] >> 5 & 0x03),
		LastEvent:         b[1] & 0x1f,
		Intrusion:         b[2]&0x01 != 0,
		FrontPanelLockout: b[2]&0x02 != 0,
		DriveFault:        b[2]&0x04 != 0,
		CoolingFault:      b[2]&0x08 != 0,
	}
	if len(b) > 3 {
		fp := b[3]
		s.FrontPanel = &fp
	}
	return s, nil
}

// GetChassisStatus sends Get Chassis Status.
func (c *Client) GetChassisStatus(ctx context.Context) (*ChassisStatus, error) {
	b, err := c.do(ctx, NetFnChassis, CmdGetChassisStatus)
	if err != nil {
		return nil, err
	}
	return DecodeChassisStatus(b)
}

// ChassisControl sends Chassis Control with the given action.
func (c *Client) ChassisControl(ctx context.Context, action ChassisControl) error {
	_, err := c.do(ctx, NetFnChassis, CmdChassisControl, uint8(action))
	return err
}

// ChassisIdentify turns the identify light on for interval seconds (0 =
// off). force keeps it on until turned off. A negative interval sends no
// data, which means the BMC's default (15 s).
func (c *Client) ChassisIdentify(ctx context.Context, interval int, force bool) error {
	var data []byte
	switch {
	case force:
		data = []byte{0, 1}
	case interval >= 0:
		data = []byte{uint8(interval)}
	}
	_, err := c.Do(ctx, &Request{NetFn: NetFnChassis, Cmd: CmdChassisIdentify, Data: data})
	return err
}

// SetPowerRestorePolicy sets the policy and returns the bit mask of the
// policies the BMC supports (bit n set = RestorePolicy(n) supported).
// PolicyUnknown changes nothing and only asks for the mask.
func (c *Client) SetPowerRestorePolicy(ctx context.Context, p RestorePolicy) (uint8, error) {
	b, err := c.do(ctx, NetFnChassis, CmdSetPowerRestorePolicy, uint8(p))
	if err != nil {
		return 0, err
	}
	if err := need("Set Power Restore Policy response", b, 1); err != nil {
		return 0, err
	}
	return b[0], nil
}

// RestartCause is the Get System Restart Cause response.
type RestartCause struct {
	Cause   uint8 `json:"cause"`
	Channel uint8 `json:"channel"`
}

var restartCauses = [...]string{
	"unknown", "chassis power control command", "reset via pushbutton",
	"power-up via pushbutton", "watchdog expired", "OEM",
	"power-up due to always-restore power policy",
	"power-up due to restore-previous power policy",
	"reset via PEF", "power-cycle via PEF",
}

// String returns ipmitool's text for the cause.
func (r *RestartCause) String() string {
	if int(r.Cause) < len(restartCauses) {
		return restartCauses[r.Cause]
	}
	return "invalid"
}

// GetSystemRestartCause sends Get System Restart Cause.
func (c *Client) GetSystemRestartCause(ctx context.Context) (*RestartCause, error) {
	b, err := c.do(ctx, NetFnChassis, CmdGetSystemRestartCause)
	if err != nil {
		return nil, err
	}
	if err := need("Get System Restart Cause response", b, 1); err != nil {
		return nil, err
	}
	r := &RestartCause{Cause: b[0] & 0x0f}
	if len(b) > 1 {
		r.Channel = b[1] & 0x0f
	}
	return r, nil
}

// POHCounter is the Get POH Counter response.
type POHCounter struct {
	MinutesPerCount uint8  `json:"minutes_per_count"`
	Count           uint32 `json:"count"`
}

// Minutes returns the total powered-on minutes.
func (p *POHCounter) Minutes() uint64 { return uint64(p.Count) * uint64(p.MinutesPerCount) }

// GetPOHCounter sends Get POH Counter.
func (c *Client) GetPOHCounter(ctx context.Context) (*POHCounter, error) {
	b, err := c.do(ctx, NetFnChassis, CmdGetPOHCounter)
	if err != nil {
		return nil, err
	}
	if err := need("Get POH Counter response", b, 5); err != nil {
		return nil, err
	}
	return &POHCounter{MinutesPerCount: b[0], Count: binary.LittleEndian.Uint32(b[1:5])}, nil
}
