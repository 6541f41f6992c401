package bmcsim

import (
	"encoding/binary"
	"time"

	"github.com/ipmictl/ipmictl/ipmi"
)

// Power restore policies (Get Chassis Status byte 1 bits 6:5).
const (
	PolicyAlwaysOff = 0
	PolicyPrevious  = 1
	PolicyAlwaysOn  = 2
)

// System restart causes (Get System Restart Cause).
const (
	restartUnknown    = 0x00
	restartChassisCmd = 0x01
	restartPowerUp    = 0x03 // power-up via the power button
)

type chassisState struct {
	on            bool
	poweredSince  time.Time     // when power last came on
	pohBase       time.Duration // power-on time accumulated before poweredSince
	pendingAt     time.Time     // zero when no transition is pending
	pendingOn     bool
	lastEvent     uint8
	policy        uint8
	restartCause  uint8
	identifyUntil time.Time
	identifyForce bool
	acpiSystem    uint8
	acpiDevice    uint8
	controls      int // count of Chassis Control commands (for tests)
	boot          map[uint8][]byte
}

func newChassisState(boot time.Time) chassisState {
	return chassisState{
		on:           true,
		poweredSince: boot,
		pohBase:      12345 * time.Hour,
		policy:       PolicyPrevious,
		restartCause: restartPowerUp,
		acpiSystem:   0x00, // S0/G0 working
		boot:         newBootParams(),
	}
}

func (c *chassisState) powerOn() bool { return c.on }

func (c *chassisState) setPower(on bool, now time.Time) {
	if on == c.on {
		return
	}
	if on {
		c.poweredSince = now
		c.resetBootFlags()
	} else {
		c.pohBase += now.Sub(c.poweredSince)
	}
	c.on = on
	c.pendingAt = time.Time{}
}

// cycle powers off now and schedules power on after delay.
func (c *chassisState) cycle(now time.Time, delay time.Duration) {
	c.setPower(false, now)
	c.pendingAt, c.pendingOn = now.Add(delay), true
}

// settle applies a pending power transition whose time has come.
func (c *chassisState) settle(now time.Time) {
	if !c.pendingAt.IsZero() && !now.Before(c.pendingAt) {
		c.setPower(c.pendingOn, c.pendingAt)
		c.pendingAt = time.Time{}
	}
}

func (c *chassisState) poh(now time.Time) time.Duration {
	d := c.pohBase
	if c.on {
		d += now.Sub(c.poweredSince)
	}
	return d
}

// PowerOn reports whether the simulated host is powered (tests).
func (b *BMC) PowerOn() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.advance()
	return b.chassis.on
}

// ChassisControls counts the Chassis Control commands accepted so far.
func (b *BMC) ChassisControls() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.chassis.controls
}

func (b *BMC) getChassisCapabilities(s *SessionInfo, data []byte) *ipmi.Response {
	// Intrusion sensor, front panel lockout; FRU, SDR, SEL and system
	// management devices are all the BMC at 20h.
	return ok(0x03, 0x20, 0x20, 0x20, 0x20)
}

func (b *BMC) getChassisStatus(s *SessionInfo, data []byte) *ipmi.Response {
	c := &b.chassis
	now := b.now()
	var power uint8
	if c.on {
		power |= 0x01
	}
	power |= (c.policy & 0x03) << 5
	misc := uint8(0x40) // identify command supported
	if b.intrusion() {
		misc |= 0x01
	}
	switch {
	case c.identifyForce:
		misc |= 0x20
	case now.Before(c.identifyUntil):
		misc |= 0x10
	}
	return ok(power, c.lastEvent, misc, 0x00)
}

func (b *BMC) chassisControl(s *SessionInfo, data []byte) *ipmi.Response {
	if len(data) != 1 {
		return fail(ipmi.CodeRequestLengthInvalid)
	}
	c := &b.chassis
	now := b.now()
	switch data[0] & 0x0F {
	case 0: // power down
		c.setPower(false, now)
	case 1: // power up
		c.setPower(true, now)
		c.lastEvent = 0x10 // last power on by IPMI command
		c.restartCause = restartChassisCmd
	case 2: // power cycle; the spec lets the BMC ignore it when off
		if !c.on {
			return fail(ipmi.CodeNotSupportedInState)
		}
		c.cycle(now, b.cfg.powerCycleDelay())
		c.lastEvent = 0x10
		c.restartCause = restartChassisCmd
	case 3: // hard reset
		if !c.on {
			return fail(ipmi.CodeNotSupportedInState)
		}
		c.resetBootFlags()
		c.restartCause = restartChassisCmd
	case 4: // pulse diagnostic interrupt
		if !c.on {
			return fail(ipmi.CodeNotSupportedInState)
		}
	case 5: // soft shutdown through ACPI: the "OS" takes a moment
		if c.on {
			c.pendingAt, c.pendingOn = now.Add(b.cfg.softOffDelay()), false
		}
	default:
		return fail(ipmi.CodeInvalidDataField)
	}
	c.controls++
	return ok()
}

func (b *BMC) chassisIdentify(s *SessionInfo, data []byte) *ipmi.Response {
	if len(data) > 2 {
		return fail(ipmi.CodeRequestLengthInvalid)
	}
	c := &b.chassis
	interval := 15
	if len(data) >= 1 {
		interval = int(data[0])
	}
	c.identifyForce = len(data) == 2 && data[1]&0x01 != 0
	c.identifyUntil = b.now().Add(time.Duration(interval) * time.Second)
	return ok()
}

func (b *BMC) setPowerRestorePolicy(s *SessionInfo, data []byte) *ipmi.Response {
	if len(data) != 1 {
		return fail(ipmi.CodeRequestLengthInvalid)
	}
	p := data[0] & 0x07
	switch {
	case p <= 2:
		b.chassis.policy = p
	case p == 3: // no change: just report what is supported
	default:
		return fail(ipmi.CodeInvalidDataField)
	}
	return ok(0x07) // always-off, previous and always-on supported
}

func (b *BMC) getRestartCause(s *SessionInfo, data []byte) *ipmi.Response {
	return ok(b.chassis.restartCause, s.Channel)
}

func (b *BMC) getPOHCounter(s *SessionInfo, data []byte) *ipmi.Response {
	hours := uint32(b.chassis.poh(b.now()) / time.Hour)
	out := []byte{60, 0, 0, 0, 0} // 60 minutes per count
	binary.LittleEndian.PutUint32(out[1:], hours)
	return ok(out...)
}
