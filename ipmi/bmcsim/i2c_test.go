package bmcsim

import (
	"bytes"
	"testing"

	"github.com/ipmictl/ipmictl/ipmi"
)

func TestMasterWriteReadEEPROM(t *testing.T) {
	b, _ := newTestBMC(t)
	op := b.Transport("operator", ipmi.PrivilegeOperator)
	defer op.Close()
	r := send(t, op, ipmi.NetFnApp, ipmi.CmdMasterWriteRead, I2CEEPROMBus, I2CEEPROMAddr, 3, 0xFE)
	want := []byte{I2CEEPROMByte(0xFE), I2CEEPROMByte(0xFF), I2CEEPROMByte(0x00)}
	if r.Code != ipmi.CodeOK || !bytes.Equal(r.Data, want) {
		t.Errorf("read at FEh: %v % x, want % x", r.Code, r.Data, want)
	}
	for _, c := range []struct {
		data []byte
		code ipmi.CompletionCode
	}{
		{[]byte{I2CEEPROMBus, I2CEEPROMAddr}, ipmi.CodeRequestLengthInvalid},
		{[]byte{0x00, I2CEEPROMAddr, 1}, ipmi.CodeI2CNAKOnWrite},               // public bus: nobody there
		{[]byte{I2CEEPROMBus, 0xA2, 1}, ipmi.CodeI2CNAKOnWrite},                // another address
		{[]byte{I2CEEPROMBus, I2CEEPROMAddr, 0, 1, 2}, ipmi.CodeI2CNAKOnWrite}, // read-only
		{[]byte{I2CEEPROMBus, I2CEEPROMAddr, 65}, ipmi.CodeCannotReturnBytes},
	} {
		if r := send(t, op, ipmi.NetFnApp, ipmi.CmdMasterWriteRead, c.data...); r.Code != c.code {
			t.Errorf("% x: %v, want %v", c.data, r.Code, c.code)
		}
	}
	user := b.Transport("user", ipmi.PrivilegeUser)
	defer user.Close()
	if r := send(t, user, ipmi.NetFnApp, ipmi.CmdMasterWriteRead, I2CEEPROMBus, I2CEEPROMAddr, 1); r.Code != ipmi.CodeInsufficientPrivilege {
		t.Errorf("USER session: %v, want insufficient privilege (operator command)", r.Code)
	}
}
