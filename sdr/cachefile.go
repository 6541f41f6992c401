package sdr

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"

	"github.com/ipmictl/ipmictl/ipmi"
)

// Both cache files share one envelope (little endian):
//
//	magic (12 bytes) | format u8 | key length u16 | key | repo info 14 bytes |
//	body | CRC-32 (IEEE) of everything before it
//
// so a file is trusted only whole, for the BMC it names and the
// repository it was made from.

const (
	cacheFormat = 1
	maxCacheKey = 1024
	// The largest files the caches read (internal/safefile refuses
	// bigger ones unread). An SDR file of 0xffff records of 260 bytes
	// could in theory reach 17 MB; real repositories are under 64 KiB.
	// A threshold file's largest is 0xffff entries of 12 bytes, 786 KB.
	maxCacheFile     = 4 << 20
	maxThresholdFile = 1 << 20
)

// appendEnvelopeHead writes everything before the body.
func appendEnvelopeHead(b *bytes.Buffer, magic []byte, key string, info *RepoInfo) {
	b.Write(magic)
	b.WriteByte(cacheFormat)
	b.Write(binary.LittleEndian.AppendUint16(nil, uint16(len(key))))
	b.WriteString(key)
	b.Write(encodeRepoInfo(info))
}

// sealEnvelope appends the checksum.
func sealEnvelope(b *bytes.Buffer) []byte {
	b.Write(binary.LittleEndian.AppendUint32(nil, crc32.ChecksumIEEE(b.Bytes())))
	return b.Bytes()
}

// openEnvelope verifies magic, checksum and format and returns the key,
// the repository info, the body, and a constructor for errors at body
// offsets. minBody is the least a body can hold.
func openEnvelope(b, magic []byte, what string, minBody int) (key string, info *RepoInfo, body []byte, badBody func(off int, msg string) error, err error) {
	bad := func(off int, msg string) error {
		return &ipmi.FormatError{What: what, Offset: off, Msg: msg}
	}
	if len(b) < len(magic)+1+2+14+minBody+4 {
		return "", nil, nil, nil, bad(len(b), "too short")
	}
	if !bytes.Equal(b[:len(magic)], magic) {
		return "", nil, nil, nil, bad(0, "bad magic")
	}
	all, sum := b[:len(b)-4], binary.LittleEndian.Uint32(b[len(b)-4:])
	if crc32.ChecksumIEEE(all) != sum {
		return "", nil, nil, nil, bad(len(b)-4, "checksum mismatch")
	}
	off := len(magic)
	if all[off] != cacheFormat {
		return "", nil, nil, nil, bad(off, "unknown format")
	}
	off++
	kl := int(binary.LittleEndian.Uint16(all[off:]))
	off += 2
	if kl > maxCacheKey || off+kl+14+minBody > len(all) {
		return "", nil, nil, nil, bad(off, "key length out of range")
	}
	key = string(all[off : off+kl])
	off += kl
	if info, err = ParseRepoInfo(all[off : off+14]); err != nil {
		return "", nil, nil, nil, err
	}
	off += 14
	base := off
	return key, info, all[off:], func(o int, msg string) error { return bad(base+o, msg) }, nil
}

// encodeRepoInfo is the 14-byte Get SDR Repository Info layout that
// ParseRepoInfo reads back.
func encodeRepoInfo(i *RepoInfo) []byte {
	b := []byte{i.Version}
	b = binary.LittleEndian.AppendUint16(b, i.Count)
	b = binary.LittleEndian.AppendUint16(b, i.FreeSpace)
	b = binary.LittleEndian.AppendUint32(b, i.AddStamp)
	b = binary.LittleEndian.AppendUint32(b, i.EraseStamp)
	return append(b, i.OpSupport)
}
