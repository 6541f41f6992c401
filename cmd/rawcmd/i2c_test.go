package rawcmd

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/ipmi"
)

// The golden i2c_*.txt files are ipmitool 1.8.19's output for the same
// command lines against bmcsim's EEPROM (private bus 0, A0h), whose bytes
// the fake BMC answers here.
func i2cFake(data ...byte) *clitest.FakeBMC {
	return clitest.NewFakeBMC().On(ipmi.NetFnApp, 0x52, 0, data...)
}

var i2cEEPROM20 = []byte{0x11, 0x18, 0x1f, 0x26, 0x2d, 0x34, 0x3b, 0x42, 0x49, 0x50, 0x57, 0x5e, 0x65, 0x6c, 0x73, 0x7a, 0x81, 0x88, 0x8f, 0x96}

func TestI2CMatchesIpmitool(t *testing.T) {
	for _, c := range []struct {
		args   []string
		reply  []byte
		golden string
		req    []byte
	}{
		{[]string{"i2c", "bus=0", "0xa0", "20"}, i2cEEPROM20, "i2c_read20.txt", []byte{0x01, 0xa0, 20}},
		{[]string{"i2c", "bus=0", "0xa0", "3", "0"}, i2cEEPROM20[:3], "i2c_read3_write1.txt", []byte{0x01, 0xa0, 3, 0}},
		{[]string{"-v", "i2c", "bus=0", "0xa0", "3", "0"}, i2cEEPROM20[:3], "i2c_v_read3_write1.txt", []byte{0x01, 0xa0, 3, 0}},
		{[]string{"i2c", "bus=0", "0xa0", "0", "5"}, nil, "i2c_write1.txt", []byte{0x01, 0xa0, 0, 5}},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			b := i2cFake(c.reply...)
			out, errOut, code := clitest.Run(t, b, c.args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if want := clitest.Golden(t, c.golden); out != want {
				t.Errorf("output differs from ipmitool's\n got: %q\nwant: %q", out, want)
			}
			if len(b.Sent) != 1 || !bytes.Equal(b.Sent[0].Data, c.req) {
				t.Errorf("request % x, want % x", b.Sent[0].Data, c.req)
			}
		})
	}
}

func TestI2CBusBytes(t *testing.T) {
	for _, c := range []struct {
		args []string
		bus  byte
	}{
		{[]string{"0xa0", "1"}, 0x00},
		{[]string{"bus=public", "0xa0", "1"}, 0x00},
		{[]string{"bus=public", "chan=2", "0xa0", "1"}, 0x20},
		{[]string{"bus=2", "chan=1", "0xa0", "1"}, 0x15},
		{[]string{"bus=7", "chan=15", "0xa0", "1"}, 0xff},
	} {
		b := i2cFake(0xAA)
		if _, errOut, code := clitest.Run(t, b, append([]string{"i2c"}, c.args...)...); code != 0 {
			t.Fatalf("%q: exit %d %s", c.args, code, errOut)
		}
		if got := b.Sent[0].Data[0]; got != c.bus {
			t.Errorf("%q: bus byte %02x, want %02x", c.args, got, c.bus)
		}
	}
}

func TestI2CArgumentErrorsNeverConnect(t *testing.T) {
	many := make([]string, 65)
	for i := range many {
		many[i] = "1"
	}
	for _, c := range []struct {
		args []string
		err  string
	}{
		{[]string{"0", "4"}, "Invalid I2C address 0"},
		{[]string{"0xa0", "65"}, "Master Write-Read: Too many bytes (65) to read"},
		{[]string{"0xa0", "zz"}, `Given read size "zz" is invalid.`},
		{[]string{"0x1a0", "1"}, `Given i2caddr "0x1a0" is invalid.`},
		{[]string{"0xa0", "1", "256"}, `Given parameter "256" is invalid.`},
		{[]string{"0xa0"}, "need an I2C address and a read count"},
		{[]string{"bus=private", "0xa0", "1"}, `Given bus "private" is invalid`},
		{[]string{"bus=8", "0xa0", "1"}, `Given bus "8" is invalid`},
		{[]string{"bus=1", "chan=16", "0xa0", "1"}, `Given chan "16" is invalid`},
		{[]string{"chan=1", "0xa0", "1"}, "bus= must be specified to use chan="},
		{append([]string{"0xa0", "1"}, many...), "Raw command input limit (64 bytes) exceeded"},
	} {
		_, errOut, code := clitest.Run(t, nil, append([]string{"i2c"}, c.args...)...)
		if code != cli.ExitUsage || !strings.Contains(errOut, c.err) {
			t.Errorf("%q: exit %d, stderr %q", c.args, code, errOut)
		}
	}
	if out, _, code := clitest.Run(t, nil, "i2c", "help"); code != 0 || !strings.Contains(out, "usage: i2c [bus=public|# [chan=#]") {
		t.Errorf("help: exit %d %q", code, out)
	}
}

func TestI2CFailuresNameTheCode(t *testing.T) {
	for code, text := range map[ipmi.CompletionCode]string{
		0x81: "Lost Arbitration", 0x82: "Bus Error", 0x83: "NAK on Write", 0x84: "Truncated Read",
		ipmi.CodeInvalidCommand: "Invalid command",
	} {
		b := clitest.NewFakeBMC().On(ipmi.NetFnApp, 0x52, code)
		out, errOut, exit := clitest.Run(t, b, "i2c", "0xa0", "2")
		if exit != cli.ExitBMC || out != "" || !strings.Contains(errOut, "I2C Master Write-Read command failed: "+text+"\n") {
			t.Errorf("cc %02x: exit %d %q %q", uint8(code), exit, out, errOut)
		}
	}
	// A short read prints the count and fails without the bytes.
	out, _, exit := clitest.Run(t, i2cFake(1, 2), "i2c", "0xa0", "4")
	if exit != cli.ExitBMC || out != "Read 2 bytes from I2C device A0h\n" {
		t.Errorf("short read: exit %d %q", exit, out)
	}
}

func TestI2CJSONHasBytesAsNumbers(t *testing.T) {
	out, errOut, code := clitest.Run(t, i2cFake(0x11, 0xff), "-o", "json", "i2c", "bus=0", "0xa0", "2", "0x10")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got struct {
		Bus, Address, Wrote, Requested int
		Read                           []int
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if got.Bus != 1 || got.Address != 0xa0 || got.Wrote != 1 || got.Requested != 2 || fmt.Sprint(got.Read) != "[17 255]" {
		t.Errorf("%+v\n%s", got, out)
	}
}

func TestI2CCSVIsTheText(t *testing.T) {
	out, _, code := clitest.Run(t, i2cFake(i2cEEPROM20...), "-c", "i2c", "bus=0", "0xa0", "20")
	if code != 0 || out != clitest.Golden(t, "i2c_read20.txt") {
		t.Errorf("exit %d %q", code, out)
	}
}
