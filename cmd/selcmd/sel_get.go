package selcmd

import (
	"fmt"
	"strings"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/cmd/frucmd"
	"github.com/ipmictl/ipmictl/cmd/sdrcmd"
	"github.com/ipmictl/ipmictl/fru"
	"github.com/ipmictl/ipmictl/sdr"
	"github.com/ipmictl/ipmictl/sel"
)

// selRunGet is `sel get ID...` as ipmitool 1.8.19's ipmi_sel_show_entry:
// each entry in detail, then, when the SDR repository has its sensor,
// that sensor as `sensor get` prints it (an event-only sensor as `sdr
// get`), then the FRU devices of the sensor's entity as `fru print`.
func selRunGet(f *cli.Factory, ids []uint16) error {
	c, err := f.Client()
	if err != nil {
		return err
	}
	s, err := sdrcmd.Open(f)
	if err != nil {
		fmt.Fprintf(f.IO.ErrOut, "Unable to open SDR for reading: %v\n", err)
		s = nil
	}
	var repo *sdr.Repository
	if s != nil {
		repo = s.Repo
	}
	fc := fru.NewClient(c)
	var text strings.Builder
	var entries []selJSONEntry
	failed := 0
	for i, id := range ids {
		rec, _, err := sel.GetEntry(f.Context(), c, 0, id)
		if err != nil {
			fmt.Fprintf(f.IO.ErrOut, "Get SEL Entry %x command failed: %s\n", id, cli.ErrText(err))
			failed++
			continue
		}
		raw := rec.Raw
		if raw[10] == 0 && raw[11] == 0 && rec.Type == 0 {
			fmt.Fprintf(f.IO.ErrOut, "SEL Entry 0x%x not found\n", id)
			failed++
			continue
		}
		e := selEntry{Rec: rec}
		if rec.Event != nil {
			e.Sensor = SensorMatch(repo, rec.Event)
		}
		text.WriteString(Verbose(rec, e.Sensor, Dates1819))
		entries = append(entries, selJSONView(e, true))

		// ipmitool reads the generator, sensor type and number at their
		// system event offsets whatever the record type.
		key := &sel.SystemEvent{GeneratorID: uint16(raw[7]) | uint16(raw[8])<<8, SensorType: raw[10], SensorNumber: raw[11]}
		r := SensorMatch(repo, key)
		if r == nil {
			continue // and no separator, as ipmitool
		}
		if r.EventOnly != nil {
			sdrcmd.VerboseOther(&text, r)
		} else if _, _, err := sdrcmd.WriteSensorGet(s, &text, r); err != nil {
			return err
		}
		entity, instance, _ := r.Entity()
		if err := selGetFRUs(f, fc, &text, repo, entity, instance&0x7F); err != nil {
			return err
		}
		if len(ids) > 1 && i < len(ids)-1 {
			text.WriteString("----------------------\n\n")
		}
	}
	if err := f.Render(&selTextResult{text: text.String(), json: map[string]any{"entries": entries}}); err != nil {
		return err
	}
	if failed > 0 {
		return &cli.SilentError{Code: cli.ExitBMC}
	}
	return nil
}

// selGetFRUs prints, in SDR order, the FRU devices whose locator names
// the entity (any instance for 7Fh), as ipmitool's ipmi_fru_print does.
func selGetFRUs(f *cli.Factory, fc *fru.Client, b *strings.Builder, repo *sdr.Repository, entity, instance uint8) error {
	for _, r := range repo.Records {
		l := r.FRULocator
		if l == nil || l.EntityID != entity || (instance != 0x7F && l.EntityInstance&0x7F != instance) || !frucmd.LocatorPrinted(l) {
			continue
		}
		d := frucmd.LocatorEntry(l)
		if !d.Unsupported {
			if err := frucmd.Load(f, fc, d); err != nil {
				return err
			}
		}
		b.WriteString(d.Header + "\n")
		if err := frucmd.WriteDevice(b, d, f.Opts.Verbose > 0); err != nil {
			return err
		}
		b.WriteString("\n")
	}
	return nil
}
