package ipmi

import "testing"

// Seeds: testdata/fuzz/FuzzDecodeDeviceID (ipmi_sim's and bmcsim's
// answers, with and without the auxiliary firmware bytes).
func FuzzDecodeDeviceID(f *testing.F) {
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := DecodeDeviceID(b)
		if err != nil {
			return
		}
		if len(b) < 11 {
			t.Fatalf("decoded %d bytes", len(b))
		}
		if d.ManufacturerID > 0xFFFFF || d.DeviceRevision > 0x0F || d.FirmwareMajor > 0x7F {
			t.Fatalf("field out of range: %+v", d)
		}
		if len(d.AuxFirmware) != 0 && len(d.AuxFirmware) != 4 {
			t.Fatalf("aux firmware %x", d.AuxFirmware)
		}
		d.IPMIVersionString()
		d.FirmwareString()
		if n := len(d.SupportList()); n > 8 {
			t.Fatalf("%d support bits from one byte", n)
		}
	})
}

// Seeds: testdata/fuzz/FuzzDecodeChassisStatus (ipmi_sim's answer, every
// bit set, with and without the front panel byte).
func FuzzDecodeChassisStatus(f *testing.F) {
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := DecodeChassisStatus(b)
		if err != nil {
			return
		}
		if len(b) < 3 {
			t.Fatalf("decoded %d bytes", len(b))
		}
		if (s.FrontPanel != nil) != (len(b) > 3) {
			t.Fatalf("front panel byte %v from %d bytes", s.FrontPanel, len(b))
		}
		_ = s.RestorePolicy.String()
		if n := len(s.LastEventNames()); n > 5 {
			t.Fatalf("%d last events from 5 bits", n)
		}
	})
}
