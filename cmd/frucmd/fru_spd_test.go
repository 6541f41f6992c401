package frucmd

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"strings"
	"testing"

	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/ipmi"
)

// fruSPDBMC is the lab BMC of the fru tests plus, as on the ipmi_sim of
// TestFruPrintSPDMatchesIpmitoolOnIPMISim, six DIMMs (FRU IDs 10-15) with
// "DIMM Memory ID" locators.
func fruSPDBMC(t *testing.T) *clitest.SelFakeBMC {
	t.Helper()
	bmc := clitest.NewSelFakeBMC(t)
	imgs := clitest.FruSPDImages(t)
	next := binary.LittleEndian.Uint16(bmc.Sdrs[len(bmc.Sdrs)-1]) + 1
	for i, name := range []string{"ddr3", "ddr4", "ddr2", "ddr3odd", "ddr4odd", "ddr2odd"} {
		bmc.Sdrs = append(bmc.Sdrs, fruTestLocator(next+uint16(i), uint8(10+i), 0x01, uint8(1+i), "DIMM "+name))
		bmc.Frus[uint8(10+i)] = imgs[name]
	}
	return bmc
}

// fruTestLocator is a logical FRU device locator (SDR type 11h) on the BMC.
func fruTestLocator(recID uint16, fruID, modifier, instance uint8, name string) []byte {
	body := []byte{0x20, fruID, 0x80, 0x00, 0x00, 0x10, modifier, 0x20, instance, 0x00, 0xC0 | byte(len(name))}
	body = append(body, name...)
	return append([]byte{byte(recID), byte(recID >> 8), 0x51, 0x11, byte(len(body))}, body...)
}

// The goldens are ipmitool 1.8.19's `[-v] fru print` of the same SDRs and
// SPD images served by ipmi_sim.
func TestFruPrintSPDGoldenAgainstIpmitool(t *testing.T) {
	clitest.UTC(t)
	for _, tc := range []struct {
		args   []string
		golden string
	}{
		{[]string{"fru", "print"}, "spd_fru_print.txt"},
		{[]string{"-v", "fru", "print"}, "spd_fru_print_v.txt"},
	} {
		out, errOut, code := clitest.Run(t, fruSPDBMC(t), append([]string{"--sdr-cache", "off"}, tc.args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", tc.args, code, errOut)
		}
		if want := string(clitest.SelTestdata(t, tc.golden)); out != want {
			t.Errorf("%v differs from ipmitool\n got:\n%q\nwant:\n%q", tc.args, out, want)
		}
		if dumps := strings.Count(errOut, "SPD DATA ("); (len(tc.args) == 3) != (dumps == 6) {
			t.Errorf("%v: %d SPD dumps on stderr", tc.args, dumps)
		}
	}
}

// Hostile and failing SPD devices: what ipmitool prints for each, and no
// panic.
func TestFruPrintSPDFailures(t *testing.T) {
	bmc := fruSPDBMC(t)
	ddr3 := bmc.Frus[10]
	bmc.Frus[10] = ddr3[:91]  // too short to decode: nothing printed
	bmc.Frus[11] = ddr3[:120] // DDR3 short of its part number: the type alone
	delete(bmc.Frus, 12)      // not present
	// An unknown modifier: "Unsupported device", with -v its codes.
	bmc.Sdrs = append(bmc.Sdrs, fruTestLocator(0x200, 20, 0x03, 9, "CPU PIROM"))
	out, _, code := clitest.Run(t, bmc, "--sdr-cache", "off", "fru", "print")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{
		"FRU Device Description : DIMM ddr3 (ID 10)\n\nFRU Device Description : DIMM ddr4 (ID 11)\n Memory Type           : DDR3 SDRAM\n\n",
		"FRU Device Description : DIMM ddr2 (ID 12)\n Device not present (Requested sensor, data, or record not found)\n\n",
		"FRU Device Description : CPU PIROM (ID 20)\n Unsupported device\n\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	out, _, _ = clitest.Run(t, bmc, "--sdr-cache", "off", "-v", "fru", "print")
	if !strings.Contains(out, " Unsupported device 0x14 type 0x10 with modifier 0x03\n") {
		t.Errorf("-v: %s", out)
	}

	// A Read FRU Data count larger than the data that came with it.
	bmc = fruSPDBMC(t)
	bmc.Frus = map[uint8][]byte{10: bmc.Frus[10]}
	bmc.DevSupport &^= 0x08
	lying := &fruLyingBMC{SelFakeBMC: bmc}
	out, _, _ = clitest.Run(t, lying, "--sdr-cache", "off", "fru", "print")
	if !strings.Contains(out, "FRU Device Description : DIMM ddr3 (ID 10)\n Not enough buffer size\n") {
		t.Errorf("lying count: %q", out)
	}
}

// fruLyingBMC claims 200 bytes in every Read FRU Data answer.
type fruLyingBMC struct{ *clitest.SelFakeBMC }

func (b *fruLyingBMC) Send(ctx context.Context, req *ipmi.Request) (*ipmi.Response, error) {
	rsp, err := b.SelFakeBMC.Send(ctx, req)
	if err == nil && req.NetFn == ipmi.NetFnStorage && req.Cmd == 0x11 && rsp.Code == 0 && len(rsp.Data) > 0 {
		rsp.Data[0] = 200
	}
	return rsp, err
}

func TestFruPrintSPDJSON(t *testing.T) {
	out, errOut, code := clitest.Run(t, fruSPDBMC(t), "--sdr-cache", "off", "-o", "json", "fru", "print")
	if code != 0 {
		t.Fatal(errOut)
	}
	var got struct {
		Devices []struct {
			ID   int `json:"id"`
			Size int `json:"size"`
			SPD  *struct {
				MemoryType     int    `json:"memory_type"`
				MemoryTypeName string `json:"memory_type_name"`
				DDR3           *struct {
					ModuleSizeMB int    `json:"module_size_mb"`
					Ranks        int    `json:"ranks"`
					PartNumber   string `json:"part_number"`
					MfgYear      int    `json:"mfg_year"`
					Manufacturer struct {
						Name string `json:"name"`
						ID   int    `json:"id"`
					} `json:"manufacturer"`
				} `json:"ddr3"`
				DDR4 *struct {
					ModuleSizeMB int    `json:"module_size_mb"`
					SerialNumber string `json:"serial_number"`
				} `json:"ddr4"`
				SDRAM *struct {
					SizeMB int `json:"size_mb"`
				} `json:"sdram"`
			} `json:"spd"`
		} `json:"devices"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(got.Devices) != 9 {
		t.Fatalf("%d devices", len(got.Devices))
	}
	d3, d4, d2 := got.Devices[3], got.Devices[4], got.Devices[5]
	if d3.ID != 10 || d3.Size != 256 || d3.SPD == nil || d3.SPD.MemoryType != 0x0B || d3.SPD.DDR3 == nil ||
		d3.SPD.DDR3.ModuleSizeMB != 8192 || d3.SPD.DDR3.Ranks != 2 || d3.SPD.DDR3.PartNumber != "M393B1K70DH0-CH9" ||
		d3.SPD.DDR3.MfgYear != 2012 || d3.SPD.DDR3.Manufacturer.Name != "Samsung" || d3.SPD.DDR3.Manufacturer.ID != 0xCE {
		t.Errorf("ddr3: %s", out)
	}
	if d4.SPD == nil || d4.SPD.DDR4 == nil || d4.SPD.DDR4.ModuleSizeMB != 32768 || d4.SPD.DDR4.SerialNumber != "361f2e4d" {
		t.Errorf("ddr4: %s", out)
	}
	if d2.SPD == nil || d2.SPD.SDRAM == nil || d2.SPD.SDRAM.SizeMB != 1024 || d2.SPD.MemoryTypeName != "DDR2 SDRAM" {
		t.Errorf("ddr2: %s", out)
	}
	if got.Devices[0].SPD != nil {
		t.Error("builtin FRU has an spd object")
	}
}
