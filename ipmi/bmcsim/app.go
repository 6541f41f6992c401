package bmcsim

import (
	"github.com/ipmictl/ipmictl/ipmi"
)

// Identity of the simulated controller. Manufacturer 49871 (OpenBMC
// Project) triggers no OEM code path in ipmitool 1.8.19 or FreeIPMI 1.6.
const (
	ManufacturerID = 49871
	ProductID      = 0x0101
	FirmwareMajor  = 1
	FirmwareMinor  = 0x23 // BCD: 1.23
)

func (b *BMC) getDeviceID(s *SessionInfo, data []byte) *ipmi.Response {
	return ok(
		0x20,          // device ID
		0x01,          // device revision; no device SDRs
		FirmwareMajor, // device available, firmware major
		FirmwareMinor, // firmware minor (BCD)
		0x02,          // IPMI version 2.0
		0x9F,          // chassis, IPMB event receiver, FRU, SEL, SDR repository, sensor
		ManufacturerID&0xFF, ManufacturerID>>8&0xFF, ManufacturerID>>16,
		ProductID&0xFF, ProductID>>8,
		0x00, 0x00, 0x00, 0x00, // auxiliary firmware revision
	)
}

func (b *BMC) coldReset(s *SessionInfo, data []byte) *ipmi.Response {
	b.reboot()
	return ok()
}

func (b *BMC) warmReset(s *SessionInfo, data []byte) *ipmi.Response {
	b.sdr.reservation++
	b.sel.reservation++
	return ok()
}

func (b *BMC) getSelfTest(s *SessionInfo, data []byte) *ipmi.Response {
	return ok(0x55, 0x00) // no error
}

func (b *BMC) setACPIPowerState(s *SessionInfo, data []byte) *ipmi.Response {
	if len(data) != 2 {
		return fail(ipmi.CodeRequestLengthInvalid)
	}
	if data[0]&0x80 != 0 {
		b.chassis.acpiSystem = data[0] & 0x7F
	}
	if data[1]&0x80 != 0 {
		b.chassis.acpiDevice = data[1] & 0x7F
	}
	return ok()
}

func (b *BMC) getACPIPowerState(s *SessionInfo, data []byte) *ipmi.Response {
	sys := b.chassis.acpiSystem
	if !b.chassis.powerOn() {
		sys = 0x05 // S5/G2 soft-off
	}
	return ok(sys, b.chassis.acpiDevice)
}

func (b *BMC) getDeviceGUID(s *SessionInfo, data []byte) *ipmi.Response {
	return ok(b.deviceGUID[:]...)
}

func (b *BMC) getSystemGUID(s *SessionInfo, data []byte) *ipmi.Response {
	return ok(b.systemGUID[:]...)
}

// SystemGUID returns the GUID the BMC reports (RAKP uses it too).
func (b *BMC) SystemGUID() [16]byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.systemGUID
}

func (b *BMC) setGlobalEnables(s *SessionInfo, data []byte) *ipmi.Response {
	if len(data) != 1 {
		return fail(ipmi.CodeRequestLengthInvalid)
	}
	b.enables = data[0] & 0xEF // bit 4 is reserved
	return ok()
}

func (b *BMC) getGlobalEnables(s *SessionInfo, data []byte) *ipmi.Response {
	return ok(b.enables)
}
