package ipmi

import (
	"bytes"
	"testing"
)

func TestMasterWriteReadRequest(t *testing.T) {
	if b := PrivateBus(1, 2); b != 0x15 {
		t.Errorf("PrivateBus(1, 2) = %02x, want 15 (ipmitool bus=2 chan=1)", uint8(b))
	}
	req, err := MasterWriteReadRequest(PrivateBus(0, 0), 0xA0, 4, []byte{0x10})
	if err != nil || req.NetFn != NetFnApp || req.Cmd != 0x52 || !bytes.Equal(req.Data, []byte{0x01, 0xA0, 4, 0x10}) {
		t.Errorf("%v %v % x", err, req, req.Data)
	}
	if _, err := MasterWriteReadRequest(PublicBus, 0xA0, I2CMaxTransfer+1, nil); err == nil {
		t.Error("65-byte read accepted")
	}
	if _, err := MasterWriteReadRequest(PublicBus, 0xA0, 1, make([]byte, I2CMaxTransfer+1)); err == nil {
		t.Error("65-byte write accepted")
	}
	ev := [7]byte{4, 1, 0x30, 1, 9, 0xff, 0xff}
	if r := PlatformEventRequest(ev, false); r.NetFn != NetFnSensorEvent || r.Cmd != 0x02 || !bytes.Equal(r.Data, ev[:]) {
		t.Errorf("LAN: % x", r.Data)
	}
	if r := PlatformEventRequest(ev, true); !bytes.Equal(r.Data, append([]byte{0x41}, ev[:]...)) {
		t.Errorf("system interface: % x", r.Data)
	}
}
