package sdr

import (
	"bytes"
	"fmt"
	"io"

	"github.com/ipmictl/ipmictl/ipmi"
)

// SplitDump splits the bytes of an `ipmitool sdr dump` file (records,
// header and body, back to back) into raw records. Records with an empty
// body are skipped, as ipmitool skips them; a record version other than
// 01h, 02h or 51h, or a record cut short, is an error.
func SplitDump(b []byte) ([][]byte, error) {
	var out [][]byte
	off := 0
	for off < len(b) {
		h, err := ParseHeader(b[off:])
		if err != nil {
			return nil, &ipmi.FormatError{What: "SDR dump", Offset: off, Msg: "truncated record header"}
		}
		if h.Length == 0 {
			off += HeaderLen
			continue
		}
		if h.Version != 0x51 && h.Version != 0x01 && h.Version != 0x02 {
			return nil, &ipmi.FormatError{What: "SDR dump", Offset: off + 2,
				Msg: fmt.Sprintf("invalid SDR version %02x", h.Version)}
		}
		end := off + HeaderLen + int(h.Length)
		if end > len(b) {
			return nil, &ipmi.FormatError{What: "SDR dump", Offset: len(b),
				Msg: fmt.Sprintf("record %04x claims %d bytes, file has %d", h.ID, h.Length, len(b)-off-HeaderLen)}
		}
		out = append(out, b[off:end:end])
		off = end
	}
	return out, nil
}

// ParseDump decodes an `ipmitool sdr dump` file into a repository.
// Undecodable records are listed in Skipped, as from a BMC.
func ParseDump(b []byte) (*Repository, error) {
	raws, err := SplitDump(b)
	if err != nil {
		return nil, err
	}
	repo := &Repository{Info: &RepoInfo{Version: 0x51, Count: uint16(min(len(raws), 0xffff))}}
	for _, raw := range raws {
		rec, err := Decode(raw)
		if err != nil {
			repo.Skipped = append(repo.Skipped, err)
			continue
		}
		repo.Records = append(repo.Records, rec)
	}
	return repo, nil
}

// WriteDump writes the records in ipmitool's dump format.
func WriteDump(w io.Writer, records []*Record) error {
	var buf bytes.Buffer
	for _, r := range records {
		buf.Write(r.Raw)
	}
	_, err := w.Write(buf.Bytes())
	return err
}
