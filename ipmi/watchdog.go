package ipmi

import (
	"context"
	"encoding/binary"
)

// Watchdog timer commands (IPMI v2.0 section 27).
const (
	CmdResetWatchdogTimer = 0x22
	CmdSetWatchdogTimer   = 0x24
	CmdGetWatchdogTimer   = 0x25
)

// Watchdog timer uses (the low three bits of the timer use byte; also the
// bit numbers of the expiration flags).
const (
	WatchdogUseFRB2   = 1
	WatchdogUsePOST   = 2
	WatchdogUseOSLoad = 3
	WatchdogUseSMSOS  = 4
	WatchdogUseOEM    = 5
)

// Watchdog timeout actions and pre-timeout interrupts.
const (
	WatchdogActionNone      = 0
	WatchdogActionReset     = 1
	WatchdogActionPowerDown = 2
	WatchdogActionCycle     = 3

	WatchdogInterruptNone = 0
	WatchdogInterruptSMI  = 1
	WatchdogInterruptNMI  = 2
	WatchdogInterruptMsg  = 3
)

// Watchdog is the Get Watchdog Timer response. The bytes are kept as sent;
// the methods pick the fields out.
type Watchdog struct {
	UseByte         uint8  `json:"use_byte"`
	ActionByte      uint8  `json:"action_byte"`
	Pretimeout      uint8  `json:"pretimeout_seconds"`
	ExpirationFlags uint8  `json:"expiration_flags"`
	Initial         uint16 `json:"initial_countdown"` // 100 ms units
	Present         uint16 `json:"present_countdown"` // 100 ms units
	// HasPresent is false when the BMC sent six bytes instead of eight,
	// leaving out the present countdown (OpenIPMI's ipmi_sim does).
	HasPresent bool `json:"has_present_countdown"`
}

// Use is the timer use (WatchdogUse*; 0, 6 and 7 are reserved).
func (w *Watchdog) Use() uint8 { return w.UseByte & 0x07 }

// Running reports whether the timer is counting down.
func (w *Watchdog) Running() bool { return w.UseByte&0x40 != 0 }

// NoLog reports the "don't log" bit: an expiration is not logged in the SEL.
func (w *Watchdog) NoLog() bool { return w.UseByte&0x80 != 0 }

// Action is the timeout action (WatchdogAction*).
func (w *Watchdog) Action() uint8 { return w.ActionByte & 0x07 }

// Interrupt is the pre-timeout interrupt (WatchdogInterrupt*).
func (w *Watchdog) Interrupt() uint8 { return (w.ActionByte >> 4) & 0x07 }

// DecodeWatchdog decodes a Get Watchdog Timer response: six bytes are
// accepted (no present countdown), eight are the full answer.
func DecodeWatchdog(b []byte) (*Watchdog, error) {
	if err := need("Get Watchdog Timer response", b, 6); err != nil {
		return nil, err
	}
	w := &Watchdog{
		UseByte: b[0], ActionByte: b[1], Pretimeout: b[2], ExpirationFlags: b[3],
		Initial: binary.LittleEndian.Uint16(b[4:6]),
	}
	if len(b) >= 8 {
		w.Present, w.HasPresent = binary.LittleEndian.Uint16(b[6:8]), true
	}
	return w, nil
}

// GetWatchdog sends Get Watchdog Timer.
func (c *Client) GetWatchdog(ctx context.Context) (*Watchdog, error) {
	b, err := c.do(ctx, NetFnApp, CmdGetWatchdogTimer)
	if err != nil {
		return nil, err
	}
	return DecodeWatchdog(b)
}

// ResetWatchdog sends Reset Watchdog Timer: it (re)starts the countdown
// from the configured initial value. A BMC whose timer was never set
// answers 0x80.
func (c *Client) ResetWatchdog(ctx context.Context) error {
	_, err := c.do(ctx, NetFnApp, CmdResetWatchdogTimer)
	return err
}

// WatchdogConfig is what Set Watchdog Timer sets.
type WatchdogConfig struct {
	Use        uint8  // WatchdogUse*
	NoLog      bool   // don't log the expiration
	DontStop   bool   // keep a running timer running while setting
	Interrupt  uint8  // WatchdogInterrupt*
	Action     uint8  // WatchdogAction*
	Pretimeout uint8  // seconds
	Clear      uint8  // expiration flags to clear (bit n = use n)
	Countdown  uint16 // 100 ms units
}

// Encode returns the six request bytes of Set Watchdog Timer.
func (w *WatchdogConfig) Encode() []byte {
	b := make([]byte, 6)
	b[0] = w.Use & 0x07
	if w.NoLog {
		b[0] |= 0x80
	}
	if w.DontStop {
		b[0] |= 0x40
	}
	b[1] = (w.Interrupt&0x07)<<4 | w.Action&0x07
	b[2] = w.Pretimeout
	b[3] = w.Clear
	binary.LittleEndian.PutUint16(b[4:], w.Countdown)
	return b
}

// SetWatchdog sends Set Watchdog Timer.
func (c *Client) SetWatchdog(ctx context.Context, w *WatchdogConfig) error {
	_, err := c.do(ctx, NetFnApp, CmdSetWatchdogTimer, w.Encode()...)
	return err
}
