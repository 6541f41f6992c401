package inband

import (
	"encoding/binary"
	"fmt"

	"github.com/ipmictl/ipmictl/ipmi"
)

// InterfaceType is the kind of system interface (SMBIOS type 38 byte 4).
type InterfaceType uint8

// System interface types.
const (
	InterfaceKCS  InterfaceType = 1
	InterfaceSMIC InterfaceType = 2
	InterfaceBT   InterfaceType = 3
	InterfaceSSIF InterfaceType = 4
)

func (t InterfaceType) String() string {
	switch t {
	case InterfaceKCS:
		return "KCS"
	case InterfaceSMIC:
		return "SMIC"
	case InterfaceBT:
		return "BT"
	case InterfaceSSIF:
		return "SSIF"
	}
	return fmt.Sprintf("unknown (%d)", uint8(t))
}

// SystemInterface is one SMBIOS type 38 (IPMI Device Information) record.
type SystemInterface struct {
	Type       InterfaceType
	SpecMajor  uint8
	SpecMinor  uint8
	SlaveAddr  uint8  // the BMC's I2C/IPMB address
	NVAddr     uint8  // non-volatile storage device address, 0xff if none
	Base       uint64 // I/O port or memory address of the first register
	IOSpace    bool   // Base is an I/O port, not a memory address
	RegSpacing uint8  // bytes between registers: 1, 4 or 16
	IRQ        uint8  // 0: none (polled)
}

const (
	smbiosTypeIPMI   = 38
	smbiosTypeEnd    = 127
	smbiosIPMIMinLen = 0x10 // SMBIOS 2.x records without the modifier byte
	smbiosIPMIFull   = 0x12
)

// ParseSMBIOSIPMI returns the IPMI records of a raw SMBIOS structure table
// (/sys/firmware/dmi/tables/DMI). It stops at the end-of-table record.
func ParseSMBIOSIPMI(table []byte) ([]SystemInterface, error) {
	var out []SystemInterface
	bad := func(off int, msg string) error {
		return &ipmi.FormatError{What: "SMBIOS table", Offset: off, Msg: msg}
	}
	off := 0
	for off < len(table) {
		if len(table)-off < 4 {
			return out, bad(off, "truncated structure header")
		}
		typ, length := table[off], int(table[off+1])
		if length < 4 {
			return out, bad(off+1, fmt.Sprintf("structure length %d is below 4", length))
		}
		if len(table)-off < length {
			return out, bad(off, fmt.Sprintf("type %d structure of %d bytes runs past the end", typ, length))
		}
		next, ok := skipStrings(table, off+length)
		if !ok {
			return out, bad(off+length, "unterminated string set")
		}
		if typ == smbiosTypeIPMI {
			rec, err := decodeIPMIRecord(table[off : off+length])
			if err != nil {
				return out, bad(off, err.Error())
			}
			out = append(out, rec)
		}
		if typ == smbiosTypeEnd {
			break
		}
		off = next
	}
	return out, nil
}

// skipStrings returns the offset after the string set starting at i,
// which ends with two NULs (just two when there are no strings).
func skipStrings(b []byte, i int) (int, bool) {
	for ; i+1 < len(b); i++ {
		if b[i] == 0 && b[i+1] == 0 {
			return i + 2, true
		}
	}
	return 0, false
}

func decodeIPMIRecord(r []byte) (SystemInterface, error) {
	if len(r) < smbiosIPMIMinLen {
		return SystemInterface{}, fmt.Errorf("IPMI record of %d bytes, need %d", len(r), smbiosIPMIMinLen)
	}
	s := SystemInterface{
		Type:       InterfaceType(r[4]),
		SpecMajor:  r[5] >> 4,
		SpecMinor:  r[5] & 0x0f,
		SlaveAddr:  r[6],
		NVAddr:     r[7],
		RegSpacing: 1,
		IOSpace:    true,
	}
	raw := binary.LittleEndian.Uint64(r[8:16])
	if len(r) < smbiosIPMIFull || s.Type == InterfaceSSIF {
		// SMBIOS 2.x: bit 0 is meant to say I/O but is often wrong, and
		// all such systems use I/O (the Linux driver assumes the same).
		s.Base = raw &^ 1
		if s.Type == InterfaceSSIF {
			s.IOSpace = false
			s.Base = raw
		}
		return s, nil
	}
	mod := r[0x10]
	s.IOSpace = raw&1 == 1
	s.Base = raw&^1 | uint64(mod>>4&1) // bit 4: the address's LS-bit
	switch mod >> 6 {
	case 0:
		s.RegSpacing = 1
	case 1:
		s.RegSpacing = 4
	case 2:
		s.RegSpacing = 16
	default:
		return s, fmt.Errorf("reserved register spacing 3 in modifier 0x%02x", mod)
	}
	s.IRQ = r[0x11]
	return s, nil
}
