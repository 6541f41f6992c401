package frucmd

import (
	"encoding/json"
	"time"

	"github.com/ipmictl/ipmictl/fru"
	"github.com/ipmictl/ipmictl/internal/pen"
)

// JSON views of `fru print`: decoded text, numbers as numbers, the
// multi-record details and the format warnings.

type fruJSONDevice struct {
	ID          uint8          `json:"id"`
	Description string         `json:"description,omitempty"`
	Error       string         `json:"error,omitempty"`
	Supported   bool           `json:"supported"`
	Size        int            `json:"size,omitempty"`
	WordAccess  bool           `json:"word_access,omitempty"`
	Chassis     *fruJSONArea   `json:"chassis,omitempty"`
	Board       *fruJSONArea   `json:"board,omitempty"`
	Product     *fruJSONArea   `json:"product,omitempty"`
	Records     []fruJSONMulti `json:"multi_records,omitempty"`
	SPD         *fru.SPD       `json:"spd,omitempty"`
	Warnings    []string       `json:"warnings,omitempty"`
}

type fruJSONArea struct {
	Type         *uint8   `json:"type,omitempty"`
	TypeName     string   `json:"type_name,omitempty"`
	Language     *uint8   `json:"language,omitempty"`
	MfgDate      *string  `json:"mfg_date,omitempty"`
	Manufacturer *string  `json:"manufacturer,omitempty"`
	Name         *string  `json:"name,omitempty"`
	PartNumber   string   `json:"part_number"`
	Version      *string  `json:"version,omitempty"`
	SerialNumber string   `json:"serial_number"`
	AssetTag     *string  `json:"asset_tag,omitempty"`
	FileID       *string  `json:"fru_file_id,omitempty"`
	Custom       []string `json:"custom"`
	ChecksumOK   bool     `json:"checksum_ok"`
}

type fruJSONMulti struct {
	Type        uint8     `json:"type"`
	TypeName    string    `json:"type_name"`
	ChecksumOK  bool      `json:"checksum_ok"`
	Data        fru.Bytes `json:"data"`
	Decoded     any       `json:"decoded,omitempty"`
	Manufacture string    `json:"manufacturer,omitempty"`
}

func fruTexts(lang uint8, fs []fru.Field) []string {
	out := make([]string, 0, len(fs))
	for _, f := range fs {
		out = append(out, f.Text(lang))
	}
	return out
}

func fruStr(s string) *string { return &s }

func (r *fruPrintResult) MarshalJSON() ([]byte, error) {
	out := make([]fruJSONDevice, 0, len(r.Devices))
	for _, d := range r.Devices {
		out = append(out, JSONView(d))
	}
	if r.single && len(out) == 1 {
		return json.Marshal(out[0])
	}
	return json.Marshal(map[string]any{"devices": out})
}

func JSONView(d *Device) fruJSONDevice {
	v := fruJSONDevice{ID: d.ID, Description: d.Description, Supported: !d.Unsupported}
	if d.Err != nil {
		v.Error = d.Err.Error()
	} else if d.SPDErr != nil {
		v.Error = d.SPDErr.Error()
	}
	if d.SPD != nil {
		v.Size, v.WordAccess, v.SPD = d.Info.Size, d.Info.WordAccess, d.SPD
	}
	img := d.Image
	if img == nil {
		return v
	}
	v.Size, v.WordAccess = d.Info.Size, d.Info.WordAccess
	if c := img.Chassis; c != nil {
		t := c.Type
		v.Chassis = &fruJSONArea{Type: &t, TypeName: fru.ChassisTypeName(t),
			PartNumber: c.PartNumber.String(), SerialNumber: c.SerialNumber.String(),
			Custom: fruTexts(0, c.Custom), ChecksumOK: c.ChecksumOK}
	}
	if b := img.Board; b != nil {
		l := b.Language
		a := &fruJSONArea{Language: &l,
			Manufacturer: fruStr(b.Manufacturer.Text(l)), Name: fruStr(b.ProductName.Text(l)),
			PartNumber: b.PartNumber.Text(l), SerialNumber: b.SerialNumber.Text(l),
			FileID: fruStr(b.FileID.Text(l)), Custom: fruTexts(l, b.Custom), ChecksumOK: b.ChecksumOK}
		if t, ok := b.MfgDate(); ok {
			a.MfgDate = fruStr(t.Format(time.RFC3339))
		}
		v.Board = a
	}
	if p := img.Product; p != nil {
		l := p.Language
		v.Product = &fruJSONArea{Language: &l,
			Manufacturer: fruStr(p.Manufacturer.Text(l)), Name: fruStr(p.Name.Text(l)),
			PartNumber: p.PartNumber.Text(l), Version: fruStr(p.Version.Text(l)),
			SerialNumber: p.SerialNumber.Text(l), AssetTag: fruStr(p.AssetTag.Text(l)),
			FileID: fruStr(p.FileID.Text(l)), Custom: fruTexts(l, p.Custom), ChecksumOK: p.ChecksumOK}
	}
	for _, m := range img.MultiRecords {
		j := fruJSONMulti{Type: m.Type, TypeName: m.TypeName(), ChecksumOK: m.ChecksumOK, Data: m.Data}
		switch {
		case m.Type == fru.RecordPowerSupply:
			j.Decoded, _ = m.PowerSupply()
		case m.Type == fru.RecordDCOutput || m.Type == fru.RecordExtendedDCOutput:
			j.Decoded, _ = m.DCOutput()
		case m.Type == fru.RecordDCLoad || m.Type == fru.RecordExtendedDCLoad:
			j.Decoded, _ = m.DCLoad()
		case m.Type == fru.RecordManagementAccess:
			j.Decoded, _ = m.ManagementAccess()
		case m.Type == fru.RecordBaseCompatibility || m.Type == fru.RecordExtendedCompatibility:
			j.Decoded, _ = m.Compatibility()
		case m.Type >= fru.RecordOEMFirst:
			if o, err := m.OEM(); err == nil {
				j.Decoded, j.Manufacture = o, pen.Name(o.ManufacturerID)
			}
		}
		v.Records = append(v.Records, j)
	}
	for _, w := range img.Warnings {
		v.Warnings = append(v.Warnings, w.String())
	}
	return v
}
