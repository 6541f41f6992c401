package selcmd

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/cmd/frucmd"
	"github.com/ipmictl/ipmictl/fru"
	"github.com/ipmictl/ipmictl/sdr"
	"github.com/ipmictl/ipmictl/sel"
)

// FuzzSelRender feeds arbitrary records through every SEL presentation:
// list and elist lines (with a matching full sensor), -c, sel get, the
// save file and JSON. None may panic.
func FuzzSelRender(f *testing.F) {
	raw, err := os.ReadFile(filepath.Join(clitest.TestdataDir(), "selfru", "sel.raw"))
	if err != nil {
		f.Fatal(err)
	}
	for i := 0; i+16 <= len(raw); i += 16 {
		f.Add(raw[i:i+16], uint8(0))
	}
	f.Add(append([]byte{1, 0, 0xF0, 0, 0}, []byte("kernel pani")...), uint8(1))
	dump, err := os.ReadFile(filepath.Join(clitest.TestdataDir(), "selfru", "ipmi_sim.sdr"))
	if err != nil {
		f.Fatal(err)
	}
	repo, err := sdr.ParseDump(dump)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte, pick uint8) {
		r, err := sel.DecodeIpmitoolRaw(b)
		if err != nil {
			return
		}
		var sensor *sdr.Record
		if r.Event != nil {
			sensor = SensorMatch(repo, r.Event)
			if sensor == nil && len(repo.Records) > 0 {
				sensor = repo.Records[int(pick)%len(repo.Records)]
				if sensor.Sensor() == nil && sensor.EventOnly == nil {
					sensor = nil
				}
			}
		}
		for _, d := range []selDateFormat{Dates1819, selDates1818, selDatesISO} {
			_ = Line(r, sensor, d, false)
			_ = Line(r, sensor, d, true)
			_ = Verbose(r, sensor, d)
		}
		_ = selSaveLine(r)
		if _, err := cli.JSONMarshal(selJSONView(selEntry{Rec: r, Sensor: sensor}, true)); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzFruRender prints arbitrary images the way `fru print` does, plain
// and verbose, and as JSON.
func FuzzFruRender(f *testing.F) {
	for _, name := range []string{"fru0.bin", "fru1.bin", "variantA.bin", "variantB.bin", "variantC.bin"} {
		b, err := os.ReadFile(filepath.Join(clitest.TestdataDir(), "selfru", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		img, err := fru.Parse(b)
		if err != nil {
			return
		}
		var out bytes.Buffer
		if err := frucmd.WriteImageText(&out, img, true); err != nil {
			t.Fatal(err)
		}
		if _, err := cli.JSONMarshal(frucmd.JSONView(&frucmd.Device{Image: img})); err != nil {
			t.Fatal(err)
		}
	})
}
