package bmcsim

import (
	"encoding/binary"
	"time"

	"github.com/ipmictl/ipmictl/ipmi"
)

type watchdogState struct {
	configured bool
	use        uint8 // timer use byte as set (bit 6 "don't stop" is ours to report)
	actions    uint8
	pretimeout uint8
	expired    uint8  // timer use expiration flags
	initial    uint16 // countdown in 100 ms units
	running    bool
	deadline   time.Time
}

func newWatchdogState() watchdogState { return watchdogState{use: 0x04, initial: 0} }

func (b *BMC) setWatchdog(s *SessionInfo, data []byte) *ipmi.Response {
	if len(data) != 6 {
		return fail(ipmi.CodeRequestLengthInvalid)
	}
	w := &b.watchdog
	use := data[0] & 0x07
	if use == 0 || use > 5 {
		return fail(ipmi.CodeInvalidDataField)
	}
	w.configured = true
	w.use = data[0] & 0x87
	w.actions = data[1] & 0x77
	w.pretimeout = data[2]
	w.expired &^= data[3] & 0x3E
	w.initial = binary.LittleEndian.Uint16(data[4:])
	// "Don't stop" keeps a running timer running with the new countdown.
	if data[0]&0x40 != 0 && w.running {
		w.deadline = b.now().Add(time.Duration(w.initial) * 100 * time.Millisecond)
	} else {
		w.running = false
	}
	return ok()
}

func (b *BMC) resetWatchdog(s *SessionInfo, data []byte) *ipmi.Response {
	w := &b.watchdog
	if !w.configured {
		return fail(0x80) // attempt to start an un-initialized watchdog
	}
	w.running = true
	w.deadline = b.now().Add(time.Duration(w.initial) * 100 * time.Millisecond)
	return ok()
}

func (b *BMC) getWatchdog(s *SessionInfo, data []byte) *ipmi.Response {
	w := &b.watchdog
	use := w.use
	present := uint16(0)
	if w.running {
		use |= 0x40
		left := w.deadline.Sub(b.now()) / (100 * time.Millisecond)
		present = uint16(max(left, 0))
	}
	out := []byte{use, w.actions, w.pretimeout, w.expired, 0, 0, 0, 0}
	binary.LittleEndian.PutUint16(out[4:], w.initial)
	binary.LittleEndian.PutUint16(out[6:], present)
	return ok(out...)
}

// checkWatchdog fires an expired watchdog: it takes the configured action
// and logs it on the watchdog sensor (call with b.mu held).
func (b *BMC) checkWatchdog() {
	w := &b.watchdog
	if !w.running || b.now().Before(w.deadline) {
		return
	}
	w.running = false
	w.expired |= 1 << (w.use & 0x07)
	action := w.actions & 0x07
	switch action {
	case 1:
		b.chassis.restartCause = 0x04 // watchdog expiration
	case 2:
		b.chassis.setPower(false, b.now())
	case 3:
		b.chassis.cycle(b.now(), b.cfg.powerCycleDelay())
		b.chassis.restartCause = 0x04
	}
	if w.use&0x80 == 0 && action <= 3 {
		b.logEvent(watchdogSensorNum, 0x23, 0x6F, false, action, 0xFF, 0xFF)
	}
}
