package bmcsim

import "github.com/ipmictl/ipmictl/ipmi"

// I2CEEPROMBus and I2CEEPROMAddr locate the one device on the simulated
// BMC's I2C buses: a read-only 256-byte EEPROM on private bus 0. A write
// of one byte sets the offset the read starts at; the read wraps at 256.
const (
	I2CEEPROMBus  = 0x01 // Master Write-Read bus byte: channel 0, private bus 0
	I2CEEPROMAddr = 0xA0
)

// I2CEEPROMByte is the EEPROM's content at offset, unless WithI2CEEPROM
// gave it another.
func I2CEEPROMByte(offset uint8) uint8 { return offset*7 + 0x11 }

// WithI2CEEPROM fills the I2C EEPROM with image (its first 256 bytes;
// shorter images read 0xFF past their end, as an erased EEPROM does): a
// DIMM's SPD, say, for `spd`.
func WithI2CEEPROM(image []byte) Option {
	rom := make([]byte, 256)
	for i := range rom {
		rom[i] = 0xFF
	}
	copy(rom, image)
	return func(c *config) { c.eeprom = rom }
}

// masterWriteRead answers Master Write-Read (App 52h): request bus,
// address, read count, then the bytes to write.
func (b *BMC) masterWriteRead(_ *SessionInfo, data []byte) *ipmi.Response {
	if len(data) < 3 {
		return fail(ipmi.CodeRequestLengthInvalid)
	}
	bus, addr, count, write := data[0], data[1]&0xFE, data[2], data[3:]
	if bus != I2CEEPROMBus || addr != I2CEEPROMAddr {
		return fail(ipmi.CodeI2CNAKOnWrite) // nobody acknowledged the address: NAK on write
	}
	if len(write) > 1 {
		return fail(ipmi.CodeI2CNAKOnWrite) // read-only: the data bytes are not acknowledged
	}
	if count > ipmi.I2CMaxTransfer {
		return fail(ipmi.CodeCannotReturnBytes)
	}
	var off uint8
	if len(write) == 1 {
		off = write[0]
	}
	out := make([]byte, count)
	for i := range out {
		if rom := b.cfg.eeprom; rom != nil {
			out[i] = rom[off+uint8(i)]
		} else {
			out[i] = I2CEEPROMByte(off + uint8(i))
		}
	}
	return ok(out...)
}
