package peers

import (
	"encoding/binary"
	"fmt"
	"time"
)

// FRU images for the simulated BMC, laid out per the Platform Management FRU
// Information Storage Definition v1.0 rev 1.3. The sizes must match the
// mc_add_fru_data lines in testdata/ipmisim/bmc.emu.

func fruChecksum(b []byte) byte {
	var s byte
	for _, c := range b {
		s += c
	}
	return -s
}

// fruText is an 8-bit ASCII type/length field (type 11b, at most 63 bytes).
func fruText(s string) []byte {
	if len(s) > 63 {
		panic("peers: FRU field too long: " + s)
	}
	return append([]byte{0xC0 | byte(len(s))}, s...)
}

// fruArea wraps an info area body: version 1, length in 8-byte units, the
// end-of-fields marker 0xC1, zero padding and the area checksum.
func fruArea(body []byte) []byte {
	a := append([]byte{0x01, 0x00}, body...)
	a = append(a, 0xC1)
	for (len(a)+1)%8 != 0 {
		a = append(a, 0)
	}
	a[1] = byte((len(a) + 1) / 8)
	return append(a, fruChecksum(a))
}

func fruFields(fields ...string) []byte {
	var b []byte
	for _, f := range fields {
		b = append(b, fruText(f)...)
	}
	return b
}

func fruChassisArea(chassisType byte, part, serial string, custom ...string) []byte {
	return fruArea(append([]byte{chassisType}, fruFields(append([]string{part, serial}, custom...)...)...))
}

// fruMfgEpoch is the FRU board manufacturing date origin.
var fruMfgEpoch = time.Date(1996, 1, 1, 0, 0, 0, 0, time.UTC)

func fruBoardArea(mfg time.Time, fields ...string) []byte {
	min := uint32(mfg.Sub(fruMfgEpoch) / time.Minute)
	body := []byte{0x00, byte(min), byte(min >> 8), byte(min >> 16)} // language 0 = English
	return fruArea(append(body, fruFields(fields...)...))
}

func fruProductArea(fields ...string) []byte {
	return fruArea(append([]byte{0x00}, fruFields(fields...)...))
}

// fruPSUInfoRecord is a Power Supply Information multirecord (type 0x00),
// the only record of the list (end-of-list bit set).
func fruPSUInfoRecord(capacityW, peakVA uint16) []byte {
	d := make([]byte, 0, 24)
	d = binary.LittleEndian.AppendUint16(d, capacityW&0x0FFF)
	d = binary.LittleEndian.AppendUint16(d, peakVA)
	d = append(d, 40, 5) // inrush current 40 A for 5 ms
	for _, v := range []uint16{9000, 14000, 18000, 26400} {
		d = binary.LittleEndian.AppendUint16(d, v) // input ranges in 10 mV
	}
	d = append(d, 47, 63, 10, 0x0E)                                // 47-63 Hz, 10 ms holdup, hot-swap+autoswitch+PFC
	d = binary.LittleEndian.AppendUint16(d, 1<<12|(capacityW+100)) // peak wattage, 1 s
	d = append(d, 0x02)                                            // combined wattage voltages 12V/5V
	d = binary.LittleEndian.AppendUint16(d, 0)
	d = append(d, 0)
	hdr := []byte{0x00, 0x82, byte(len(d)), fruChecksum(d)}
	hdr = append(hdr, fruChecksum(hdr))
	return append(hdr, d...)
}

// fruImage assembles the common header and the areas (nil = absent) and
// pads the image to size.
func fruImage(size int, chassis, board, product, multi []byte) ([]byte, error) {
	img := make([]byte, 8)
	img[0] = 0x01
	for i, a := range [][]byte{chassis, board, product, multi} {
		if a == nil {
			continue
		}
		img[2+i] = byte(len(img) / 8)
		img = append(img, a...)
		for len(img)%8 != 0 {
			img = append(img, 0)
		}
	}
	img[7] = fruChecksum(img[:7])
	if len(img) > size {
		return nil, fmt.Errorf("peers: FRU image is %d bytes, more than %d", len(img), size)
	}
	return append(img, make([]byte, size-len(img))...), nil
}

// labFRUImages returns fru0.bin (system), fru1.bin and fru2.bin (PSUs).
func labFRUImages() (map[string][]byte, error) {
	mfg := time.Date(2023, 3, 14, 9, 26, 0, 0, time.UTC)
	out := map[string][]byte{}
	sys, err := fruImage(1024,
		fruChassisArea(0x17, "CSE-SIM2U-R1K", "C0SIM0001234", "Lab Rack 4 U12"), // 0x17 rack mount
		fruBoardArea(mfg, "OpenIPMI Lab", "SIMBOARD X12", "BSN-2023-000417", "PN-SB-X12-0001", "FRU v1.2", "REV 1.02"),
		fruProductArea("OpenIPMI Lab", "SimServer 2U", "SS2U-0001-A", "1.0", "PSN-SS2U-0000815", "ASSET-0042", "FRU v1.2"),
		nil)
	if err != nil {
		return nil, err
	}
	out["fru0.bin"] = sys
	for n, serial := range []string{"PSU1-SN-77A1001", "PSU2-SN-77A1002"} {
		img, err := fruImage(256, nil,
			fruBoardArea(mfg, "SimPower Corp", "SP-1100W", serial, "SP1100-P-01", ""),
			fruProductArea("SimPower Corp", "1100W AC PSU", "SP1100-P-01", "A02", serial, "", ""),
			fruPSUInfoRecord(1100, 1300))
		if err != nil {
			return nil, err
		}
		out[fmt.Sprintf("fru%d.bin", n+1)] = img
	}
	return out, nil
}
