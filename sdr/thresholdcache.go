package sdr

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/ipmictl/ipmictl/internal/safefile"
)

// ThresholdSet is what Get Sensor Thresholds returned for each sensor of
// one BMC at one moment. A nil value records that the BMC had none to give
// (a completion code or a malformed answer), so that is not asked again
// either.
type ThresholdSet struct {
	Key    string
	Info   RepoInfo
	ReadAt time.Time
	Values map[SensorAddr]*Thresholds
}

// Thresholds that a BMC lets anyone change cannot be taken from the SDRs,
// and no IPMI command tells whether they changed. The cache keeps the
// values read by the last `sensor list` next to the SDR cache file, valid
// while the repository is unchanged and for a maximum age the caller
// chooses; the sensor states themselves are always read live.

func (c *Cache) thresholdPath(key string) string {
	return filepath.Join(c.Dir, c.name(key, ".thr"))
}

// LoadThresholds returns the thresholds cached for key when they were read
// for the repository described by info no more than maxAge before now, or
// nil.
func (c *Cache) LoadThresholds(key string, info *RepoInfo, maxAge time.Duration, now time.Time) *ThresholdSet {
	if maxAge <= 0 {
		return nil
	}
	b, err := safefile.ReadCache(c.thresholdPath(key), maxThresholdFile)
	if err != nil {
		c.warn(fmt.Errorf("threshold cache not used: %w", err))
		return nil
	}
	set, err := DecodeThresholdFile(b)
	if err != nil {
		c.warn(fmt.Errorf("threshold cache not used: %s: %w", c.thresholdPath(key), err))
		return nil
	}
	if set.Key != key || set.Info != *info {
		return nil
	}
	if age := now.Sub(set.ReadAt); age < 0 || age > maxAge {
		return nil
	}
	return set
}

// SaveThresholds writes set atomically, readable only by the user.
func (c *Cache) SaveThresholds(set *ThresholdSet) error {
	b, err := EncodeThresholdFile(set)
	if err != nil {
		return err
	}
	return c.write(c.name(set.Key, ".thr"), b, maxThresholdFile)
}

// RemoveThresholds forgets the thresholds cached for key (after they were
// set, say).
func (c *Cache) RemoveThresholds(key string) error {
	err := os.Remove(c.thresholdPath(key))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// The threshold file's body (in the envelope of cachefile.go):
//
//	read at (unix seconds) u64 | entry count u16 | entries: owner, LUN,
//	channel, number, present (0/1), readable mask, 6 raw values
var thresholdMagic = []byte("ipmictl-thr\x00")

const thresholdEntryLen = 12

// EncodeThresholdFile serializes a threshold set.
func EncodeThresholdFile(s *ThresholdSet) ([]byte, error) {
	if len(s.Key) > maxCacheKey || len(s.Values) > 0xffff || s.ReadAt.Unix() < 0 {
		return nil, fmt.Errorf("sdr threshold cache: entry out of range")
	}
	var b bytes.Buffer
	appendEnvelopeHead(&b, thresholdMagic, s.Key, &s.Info)
	b.Write(binary.LittleEndian.AppendUint64(nil, uint64(s.ReadAt.Unix())))
	b.Write(binary.LittleEndian.AppendUint16(nil, uint16(len(s.Values))))
	for a, t := range s.Values {
		b.Write([]byte{a.Owner, a.LUN, a.Channel, a.Number})
		if t == nil {
			b.Write(make([]byte, 8))
			continue
		}
		b.WriteByte(1)
		b.WriteByte(t.Readable)
		b.Write(t.Raw[:])
	}
	return sealEnvelope(&b), nil
}

// DecodeThresholdFile parses and verifies a threshold file; any
// inconsistency is a *ipmi.FormatError.
func DecodeThresholdFile(b []byte) (*ThresholdSet, error) {
	key, info, body, bad, err := openEnvelope(b, thresholdMagic, "SDR threshold cache file", 8+2)
	if err != nil {
		return nil, err
	}
	s := &ThresholdSet{Key: key, Info: *info}
	secs := binary.LittleEndian.Uint64(body)
	if secs > 1<<40 {
		return nil, bad(0, "time out of range")
	}
	s.ReadAt = time.Unix(int64(secs), 0)
	n := int(binary.LittleEndian.Uint16(body[8:]))
	off := 10
	if n*thresholdEntryLen != len(body)-off {
		return nil, bad(off, "entry count does not match the file size")
	}
	s.Values = make(map[SensorAddr]*Thresholds, n)
	for ; off < len(body); off += thresholdEntryLen {
		e := body[off : off+thresholdEntryLen]
		a := SensorAddr{Owner: e[0], LUN: e[1], Channel: e[2], Number: e[3]}
		if _, dup := s.Values[a]; dup {
			return nil, bad(off, "sensor listed twice")
		}
		switch e[4] {
		case 0:
			s.Values[a] = nil
		case 1:
			t := &Thresholds{Readable: e[5]}
			copy(t.Raw[:], e[6:12])
			s.Values[a] = t
		default:
			return nil, bad(off+4, "bad presence flag")
		}
	}
	return s, nil
}
