package ipmi

import (
	"context"
	"fmt"
)

// System Info Parameters commands (IPMI v2.0 section 22.14a).
const (
	CmdSetSystemInfoParams = 0x58
	CmdGetSystemInfoParams = 0x59
)

// System info parameter selectors; 0xC0-0xFF are OEM.
const (
	SysInfoSetInProgress   = 0x00
	SysInfoFirmwareVersion = 0x01
	SysInfoSystemName      = 0x02
	SysInfoPrimaryOSName   = 0x03
	SysInfoOSName          = 0x04
	SysInfoOSVersion       = 0x05
	SysInfoDellURL         = 0xDE // Dell: URL of the BMC's web server
	SysInfoDellOSVersion   = 0xE4 // Dell: running OS version
)

// String encodings of the first block (low nibble of its first byte).
const (
	SysInfoASCII  = 0 // ASCII+Latin-1
	SysInfoUTF8   = 1
	SysInfoUTF16  = 2 // UCS-2/UTF-16, little endian
	sysInfoBlock  = 16
	sysInfoFirst  = 14 // string bytes in set 0, after encoding and length
	SysInfoMaxSet = 16 // 16 blocks of 16 bytes: the 256-byte maximum
)

// SystemInfoBlock is one Get System Info Parameters answer.
type SystemInfoBlock struct {
	Revision uint8
	Set      uint8
	Data     []byte
}

// DecodeSystemInfoBlock decodes a Get System Info Parameters response for
// a string parameter: revision, set selector, then up to 16 data bytes.
func DecodeSystemInfoBlock(b []byte) (*SystemInfoBlock, error) {
	if err := need("Get System Info Parameters response", b, 2); err != nil {
		return nil, err
	}
	data := b[2:]
	if len(data) > sysInfoBlock {
		data = data[:sysInfoBlock]
	}
	return &SystemInfoBlock{Revision: b[0], Set: b[1], Data: append([]byte(nil), data...)}, nil
}

// SystemInfoString is a string parameter put back together from its sets.
type SystemInfoString struct {
	Encoding uint8  `json:"encoding"`
	Length   int    `json:"length"` // as the BMC declared it
	Data     []byte `json:"data"`   // at most Length bytes, as far as the sets carried them
}

// SystemInfoAssembler collects the sets of one string parameter.
type SystemInfoAssembler struct {
	s      SystemInfoString
	sets   int // sets wanted
	got    int // sets taken
	header bool
}

// NewSystemInfoAssembler reads at most maxSets sets (1-16).
func NewSystemInfoAssembler(maxSets int) *SystemInfoAssembler {
	return &SystemInfoAssembler{sets: min(max(maxSets, 1), SysInfoMaxSet)}
}

// Add takes the next set's data and reports whether another set is wanted.
// Set 0 carries the encoding, the length and 14 string bytes; an ASCII
// string's length decides how many sets follow, as ipmitool reads them.
func (a *SystemInfoAssembler) Add(data []byte) (more bool, err error) {
	if !a.header {
		if len(data) < 2 {
			return false, &FormatError{What: "system info set 0", Offset: len(data), Msg: "no encoding and length bytes"}
		}
		a.header = true
		a.s.Encoding = data[0] & 0x0F
		a.s.Length = int(data[1])
		if a.s.Encoding == SysInfoASCII {
			a.sets = min((a.s.Length+2+sysInfoBlock-1)/sysInfoBlock, SysInfoMaxSet)
		}
		data = data[2:]
		if len(data) > sysInfoFirst {
			data = data[:sysInfoFirst]
		}
	}
	a.got++
	if room := a.s.Length - len(a.s.Data); room > 0 {
		a.s.Data = append(a.s.Data, data[:min(room, len(data))]...)
	}
	return a.got < a.sets && len(a.s.Data) < a.s.Length, nil
}

// Result is the assembled string.
func (a *SystemInfoAssembler) Result() *SystemInfoString {
	s := a.s
	return &s
}

// GetSystemInfoBlock sends Get System Info Parameters for one set.
func (c *Client) GetSystemInfoBlock(ctx context.Context, param, set uint8) (*SystemInfoBlock, error) {
	b, err := c.do(ctx, NetFnApp, CmdGetSystemInfoParams, 0, param, set, 0)
	if err != nil {
		return nil, err
	}
	return DecodeSystemInfoBlock(b)
}

// GetSystemInfoString reads a string parameter set by set (maxSets caps
// the sets read when the encoding is not ASCII; ipmitool uses 4, 2 for
// the Dell URL).
func (c *Client) GetSystemInfoString(ctx context.Context, param uint8, maxSets int) (*SystemInfoString, error) {
	a := NewSystemInfoAssembler(maxSets)
	for set := 0; ; set++ {
		blk, err := c.GetSystemInfoBlock(ctx, param, uint8(set))
		if err != nil {
			return nil, err
		}
		more, err := a.Add(blk.Data)
		if err != nil {
			return nil, err
		}
		if !more {
			return a.Result(), nil
		}
	}
}

// EncodeSystemInfoSets splits s into Set System Info Parameters requests
// of 18 bytes each (set 0: encoding, length, 14 bytes; later sets: 16),
// at most maxSets of them.
func EncodeSystemInfoSets(param, encoding uint8, s []byte, maxSets int) ([][]byte, error) {
	maxSets = min(max(maxSets, 1), SysInfoMaxSet)
	limit := min(maxSets*sysInfoBlock-2, 255)
	if len(s) > limit {
		return nil, fmt.Errorf("system info string is %d bytes; at most %d fit", len(s), limit)
	}
	var reqs [][]byte
	for set, pos := 0, 0; set == 0 || pos < len(s); set++ {
		b := make([]byte, 18)
		b[0], b[1] = param, uint8(set)
		if set == 0 {
			b[2], b[3] = encoding&0x0F, uint8(len(s))
			pos += copy(b[4:], s)
		} else {
			pos += copy(b[2:], s[pos:])
		}
		reqs = append(reqs, b)
	}
	return reqs, nil
}

// SetSystemInfoString writes a string parameter set by set.
func (c *Client) SetSystemInfoString(ctx context.Context, param, encoding uint8, s []byte, maxSets int) error {
	reqs, err := EncodeSystemInfoSets(param, encoding, s, maxSets)
	if err != nil {
		return err
	}
	for _, r := range reqs {
		if _, err := c.do(ctx, NetFnApp, CmdSetSystemInfoParams, r...); err != nil {
			return err
		}
	}
	return nil
}
