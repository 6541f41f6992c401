package frucmd

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/fru"
	"github.com/ipmictl/ipmictl/ipmi"
)

func TestFruPrintGoldenAgainstIpmitool(t *testing.T) {
	clitest.UTC(t)
	tests := []struct {
		args   []string
		golden string
	}{
		{[]string{"fru", "print"}, "fru_print.txt"},
		{[]string{"fru"}, "fru_print.txt"},
		{[]string{"fru", "print", "2"}, "fru_print_2.txt"},
		{[]string{"-v", "fru", "print", "2"}, "fru_print_v2.txt"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			out, errOut, code := clitest.Run(t, clitest.NewSelFakeBMC(t), append([]string{"--sdr-cache", "off"}, tt.args...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if want := string(clitest.SelTestdata(t, tt.golden)); out != want {
				t.Errorf("output differs from ipmitool\n got:\n%s\nwant:\n%s", out, want)
			}
		})
	}
}

// Hand-made images with every field encoding, 1-character fields, bad
// checksums and all the multi-record types ipmitool prints, served as
// FRU 1; the goldens are ipmitool's `[-v] fru print 1` of them.
func TestFruPrintVariantsAgainstIpmitool(t *testing.T) {
	clitest.UTC(t)
	for _, v := range []string{"A", "B", "C"} {
		for _, verbose := range []bool{false, true} {
			bmc := clitest.NewSelFakeBMC(t)
			bmc.Frus[1] = clitest.SelTestdata(t, "variant"+v+".bin")
			args := []string{"fru", "print", "1"}
			golden := "variant" + v + ".print.txt"
			if verbose {
				args = append([]string{"-v"}, args...)
				golden = "variant" + v + ".print-v.txt"
			}
			out, errOut, code := clitest.Run(t, bmc, args...)
			if code != 0 {
				t.Fatalf("%s: exit %d: %s", v, code, errOut)
			}
			if want := string(clitest.SelTestdata(t, golden)); out != want {
				t.Errorf("variant %s (verbose %v) differs from ipmitool\n got:\n%q\nwant:\n%q", v, verbose, out, want)
			}
			if v == "C" && !strings.Contains(errOut, "bad checksum") {
				t.Errorf("variant C: no checksum warning on stderr: %q", errOut)
			}
		}
	}
}

func TestFruPrintRoundTripsAndHostileReplies(t *testing.T) {
	clitest.UTC(t)
	bmc := clitest.NewSelFakeBMC(t)
	bmc.Extra = 50 // more bytes than asked for in every Read FRU Data answer
	out, errOut, code := clitest.Run(t, bmc, "--sdr-cache", "off", "fru", "print")
	if code != 0 || out != string(clitest.SelTestdata(t, "fru_print.txt")) {
		t.Fatalf("exit %d %s\n%s", code, errOut, out)
	}
	// ipmitool: 3 Get FRU Inventory Area Info and 28 Read FRU Data.
	info, reads := bmc.Count(ipmi.NetFnStorage, fru.CmdGetInventoryAreaInfo), bmc.Count(ipmi.NetFnStorage, fru.CmdReadData)
	if info != 3 || reads > 20 {
		t.Errorf("%d info and %d read requests", info, reads)
	}
	t.Logf("fru print: %d FRU info + %d FRU reads, %d requests in all", info, reads, bmc.Total)
}

func TestFruPrintMissingDevice(t *testing.T) {
	out, _, code := clitest.Run(t, clitest.NewSelFakeBMC(t), "fru", "print", "9")
	if code != cli.ExitBMC || out != " Device not present (Requested sensor, data, or record not found)\n" {
		t.Errorf("exit %d %q", code, out)
	}
	if _, _, code := clitest.Run(t, clitest.NewSelFakeBMC(t), "fru", "print", "300"); code != cli.ExitUsage {
		t.Errorf("bad ID: exit %d", code)
	}
}

func TestFruPrintJSON(t *testing.T) {
	out, errOut, code := clitest.Run(t, clitest.NewSelFakeBMC(t), "--sdr-cache", "off", "-o", "json", "fru", "print")
	if code != 0 {
		t.Fatal(errOut)
	}
	var got struct {
		Devices []struct {
			ID          int    `json:"id"`
			Description string `json:"description"`
			Size        int    `json:"size"`
			Board       struct {
				MfgDate string `json:"mfg_date"`
				Serial  string `json:"serial_number"`
			} `json:"board"`
			Product struct {
				Name string `json:"name"`
			} `json:"product"`
			Records []struct {
				TypeName string         `json:"type_name"`
				Decoded  map[string]any `json:"decoded"`
			} `json:"multi_records"`
		} `json:"devices"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(got.Devices) != 3 || got.Devices[0].Product.Name != "SimServer 2U" || got.Devices[0].Size != 1024 ||
		got.Devices[0].Board.MfgDate != "2023-03-14T09:26:00Z" || got.Devices[2].Description != "PSU2 FRU" {
		t.Fatalf("devices %+v", got.Devices)
	}
	ps := got.Devices[1].Records
	if len(ps) != 1 || ps[0].TypeName != "Power Supply Information" || ps[0].Decoded["capacity_w"] != 1100.0 {
		t.Errorf("PSU record %+v", ps)
	}
}

func TestFruReadWriteEdit(t *testing.T) {
	dir := t.TempDir()
	bmc := clitest.NewSelFakeBMC(t)
	file := filepath.Join(dir, "fru1.bin")
	out, _, code := clitest.Run(t, bmc, "fru", "read", "1", file)
	if code != 0 || out != "Fru Size         : 256 bytes\nDone\n" {
		t.Fatalf("read: %d %q", code, out)
	}
	b, _ := os.ReadFile(file)
	if string(b) != string(clitest.SelTestdata(t, "fru1.bin")) {
		t.Fatal("read file differs from the device")
	}
	// Writing it to FRU 2 changes the serial numbers only.
	out, errOut, code := clitest.Run(t, bmc, "fru", "write", "2", file)
	if code != 0 || !strings.Contains(out, "verified") || string(bmc.Frus[2]) != string(b) {
		t.Fatalf("write: %d %q %q", code, out, errOut)
	}
	// A corrupt image is refused unless forced.
	bad := append([]byte(nil), b...)
	bad[12] ^= 0x40
	os.WriteFile(file, bad, 0o644)
	if _, errOut, code := clitest.Run(t, bmc, "fru", "write", "2", file); code == 0 || !strings.Contains(errOut, "bad checksum") {
		t.Errorf("corrupt image written: %d %q", code, errOut)
	}
	os.WriteFile(file, []byte("not a fru"), 0o644)
	if _, errOut, code := clitest.Run(t, bmc, "fru", "write", "2", file); code == 0 || !strings.Contains(errOut, "not a FRU image") {
		t.Errorf("garbage written: %d %q", code, errOut)
	}
	// A longer product name re-packs the image.
	name := "A Much Longer Product Name Than Before"
	out, errOut, code = clitest.Run(t, bmc, "fru", "edit", "2", "field", "p", "1", name)
	if code != 0 {
		t.Fatalf("edit: %d %s", code, errOut)
	}
	img, err := fru.Parse(bmc.Frus[2])
	if err != nil || len(img.Warnings) != 0 || img.Product.Name.String() != name || len(img.MultiRecords) != 1 {
		t.Fatalf("after edit: %v %+v", err, img)
	}
	out, _, _ = clitest.Run(t, bmc, "fru", "print", "2")
	if !strings.Contains(out, " Product Name          : "+name+"\n") {
		t.Errorf("printed after edit:\n%s", out)
	}
	for _, args := range [][]string{{"fru", "edit", "2", "oem", "p", "1", "x"}, {"fru", "edit", "2", "field", "x", "1", "x"}, {"fru", "edit", "2", "field", "p", "-1", "x"}} {
		if _, _, code := clitest.Run(t, bmc, args...); code != cli.ExitUsage {
			t.Errorf("%v: exit %d", args, code)
		}
	}
	if _, _, code := clitest.Run(t, bmc, "fru", "edit", "2", "field", "p", "20", "x"); code != cli.ExitBMC {
		t.Errorf("index out of range: exit %d", code)
	}
}

func TestFruIpmitoolField(t *testing.T) {
	tests := []struct {
		f    fru.Field
		want string
	}{
		{fru.Field{Type: fru.Field6BitASCII, Data: []byte{0x29, 0xdc, 0xa6}}, "IPMI"},
		{fru.Field{Type: fru.Field6BitASCII, Data: []byte{0x29, 0xdc}}, ""}, // ipmitool gives up below 3 bytes
		{fru.Field{Type: fru.FieldText, Data: []byte("ab\x00cd")}, "ab"},
		{fru.Field{Type: fru.FieldBCDPlus, Data: []byte{0x9a}}, "9 "},
		{fru.Field{Type: fru.FieldBinary}, ""},
	}
	for _, tt := range tests {
		if got := string(fruIpmitoolField(tt.f)); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.f, got, tt.want)
		}
	}
}

// An unprogrammed device (all FFh) prints as ipmitool prints it: the
// description line, nothing else on stdout, the version on stderr.
func TestFruPrintUnprogrammedDevice(t *testing.T) {
	clitest.UTC(t)
	bmc := clitest.NewSelFakeBMC(t)
	bmc.Frus[1] = bytes.Repeat([]byte{0xFF}, 256)
	out, errOut, code := clitest.Run(t, bmc, "--sdr-cache", "off", "fru", "print")
	if code != 0 || !strings.Contains(out, "FRU Device Description : PSU1 FRU (ID 1)\n\nFRU Device Description : PSU2 FRU (ID 2)\n") ||
		!strings.Contains(errOut, " Unknown FRU header version 0xff\n") {
		t.Errorf("exit %d\n%s\nstderr %q", code, out, errOut)
	}
	out, _, code = clitest.Run(t, bmc, "fru", "print", "1")
	if code != cli.ExitBMC || out != "" {
		t.Errorf("single device: exit %d %q", code, out)
	}
}

// A BMC that is no FRU inventory device gets only its description line.
func TestFruPrintBMCWithoutInventory(t *testing.T) {
	bmc := clitest.NewSelFakeBMC(t)
	bmc.DevSupport = 0x97
	out, _, code := clitest.Run(t, bmc, "--sdr-cache", "off", "fru", "print")
	if code != 0 || !strings.HasPrefix(out, "FRU Device Description : Builtin FRU Device (ID 0)\nFRU Device Description : PSU1 FRU (ID 1)\n") {
		t.Errorf("exit %d\n%s", code, out)
	}
	if n := bmc.Count(ipmi.NetFnStorage, fru.CmdGetInventoryAreaInfo); n != 2 {
		t.Errorf("%d FRU info requests, want 2 (device 0 skipped)", n)
	}
}
