package sdr

import (
	"context"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/ipmictl/ipmictl/ipmi"
)

// Storage commands for the SDR repository.
const (
	cmdGetRepoInfo  = 0x20
	cmdReserveRepo  = 0x22
	cmdGetSDR       = 0x23
	lastRecordID    = 0xFFFF
	wholeRecord     = 0xFF
	maxReserveRetry = 10 // per record; other clients reserving can cancel ours again and again
)

// RepoInfo is the Get SDR Repository Info response.
type RepoInfo struct {
	Version    uint8  `json:"version"`
	Count      uint16 `json:"record_count"`
	FreeSpace  uint16 `json:"free_space"`
	AddStamp   uint32 `json:"most_recent_addition"`
	EraseStamp uint32 `json:"most_recent_erase"`
	OpSupport  uint8  `json:"operation_support"`
}

// Overflow reports that an add failed for lack of space.
func (i *RepoInfo) Overflow() bool { return i.OpSupport&0x80 != 0 }

// UpdateMode is 0 unspecified, 1 non-modal, 2 modal, 3 both.
func (i *RepoInfo) UpdateMode() uint8 { return (i.OpSupport >> 5) & 3 }

// DeleteSupported reports Delete SDR support.
func (i *RepoInfo) DeleteSupported() bool { return i.OpSupport&0x08 != 0 }

// PartialAddSupported reports Partial Add SDR support.
func (i *RepoInfo) PartialAddSupported() bool { return i.OpSupport&0x04 != 0 }

// ReserveSupported reports Reserve SDR Repository support.
func (i *RepoInfo) ReserveSupported() bool { return i.OpSupport&0x02 != 0 }

// AllocInfoSupported reports Get SDR Repository Allocation Info support.
func (i *RepoInfo) AllocInfoSupported() bool { return i.OpSupport&0x01 != 0 }

// ParseRepoInfo decodes a Get SDR Repository Info response.
func ParseRepoInfo(b []byte) (*RepoInfo, error) {
	if len(b) < 14 {
		return nil, ipmi.ShortError("Get SDR Repository Info response", len(b), 14)
	}
	return &RepoInfo{
		Version:    b[0],
		Count:      binary.LittleEndian.Uint16(b[1:]),
		FreeSpace:  binary.LittleEndian.Uint16(b[3:]),
		AddStamp:   binary.LittleEndian.Uint32(b[5:]),
		EraseStamp: binary.LittleEndian.Uint32(b[9:]),
		OpSupport:  b[13],
	}, nil
}

// GetRepoInfo sends Get SDR Repository Info (0A/20).
func GetRepoInfo(ctx context.Context, c *ipmi.Client) (*RepoInfo, error) {
	b, err := c.Do(ctx, &ipmi.Request{NetFn: ipmi.NetFnStorage, Cmd: cmdGetRepoInfo})
	if err != nil {
		return nil, err
	}
	return ParseRepoInfo(b)
}

// Reserve sends Reserve SDR Repository (0A/22).
func Reserve(ctx context.Context, c *ipmi.Client) (uint16, error) {
	b, err := c.Do(ctx, &ipmi.Request{NetFn: ipmi.NetFnStorage, Cmd: cmdReserveRepo})
	if err != nil {
		return 0, err
	}
	if len(b) < 2 {
		return 0, ipmi.ShortError("Reserve SDR Repository response", len(b), 2)
	}
	return binary.LittleEndian.Uint16(b), nil
}

// Device SDR commands (Sensor/Event), for controllers without a repository.
const (
	cmdGetDeviceSDRInfo = 0x20
	cmdGetDeviceSDR     = 0x21
	cmdReserveDeviceSDR = 0x22
)

// GetDeviceSDRInfo sends Get Device SDR Info (04/20) asking for the SDR
// count, and returns it as a RepoInfo: Count is the number of records,
// AddStamp the sensor population change indicator (when sent), Version 0
// marks device SDRs.
func GetDeviceSDRInfo(ctx context.Context, c *ipmi.Client) (*RepoInfo, error) {
	b, err := c.Do(ctx, &ipmi.Request{NetFn: ipmi.NetFnSensorEvent, Cmd: cmdGetDeviceSDRInfo, Data: []byte{0x01}})
	if err != nil {
		return nil, err
	}
	if len(b) < 2 {
		return nil, ipmi.ShortError("Get Device SDR Info response", len(b), 2)
	}
	info := &RepoInfo{Count: uint16(b[0]), OpSupport: 0x02}
	if len(b) >= 6 {
		info.AddStamp = binary.LittleEndian.Uint32(b[2:])
	}
	return info, nil
}

// ReserveDevice sends Reserve Device SDR Repository (04/22).
func ReserveDevice(ctx context.Context, c *ipmi.Client) (uint16, error) {
	b, err := c.Do(ctx, &ipmi.Request{NetFn: ipmi.NetFnSensorEvent, Cmd: cmdReserveDeviceSDR})
	if err != nil {
		return 0, err
	}
	if len(b) < 2 {
		return 0, ipmi.ShortError("Reserve Device SDR Repository response", len(b), 2)
	}
	return binary.LittleEndian.Uint16(b), nil
}

// Repository is the decoded content of an SDR repository.
type Repository struct {
	Info    *RepoInfo
	Records []*Record
	// Skipped lists records that were read but could not be decoded.
	Skipped []error
	// ChunkSize is the largest Get SDR read the BMC accepted (0: whole
	// records). The cache keeps it so the next walk wastes no requests.
	ChunkSize int
}

// fallbackChunks are the read sizes tried, in order, when the BMC refuses a
// larger read with 0xCA or truncates its reply: common BMC limits, largest
// first, then down to a few bytes.
var fallbackChunks = []int{48, 33, 32, 28, 24, 20, 16, 12, 8, 5}

// Walker reads every record of a repository with as few requests as it
// can: one read per record when the BMC returns whole records, otherwise
// the first chunk with the header and then full chunks.
type Walker struct {
	Client *ipmi.Client
	// ChunkSize, when set, is the read size to start with (from a cache);
	// 0 tries whole records first.
	ChunkSize int
	// Device reads a controller's Device SDRs (Sensor/Event 21h/22h)
	// instead of the SDR repository.
	Device bool
	// Window bounds the Get SDR requests in flight, the one the walk
	// waits for and those sent ahead (pipeline.go); nil: a fresh
	// ipmi.NewWindow(0) per walk. A window of 1 walks strictly one
	// request at a time.
	Window *ipmi.Window

	reservation uint16
	reserved    bool
	retries     int
}

// Walk reads the repository described by info (call GetRepoInfo first).
func (w *Walker) Walk(ctx context.Context, info *RepoInfo) (*Repository, error) {
	repo := &Repository{Info: info}
	sp := newSpeculator(ctx, w)
	defer sp.close()
	seen := make(map[uint16]bool)
	id := uint16(0)
	for id != lastRecordID {
		left := 1 << 16
		if info.Count > 0 {
			left = int(info.Count) - len(repo.Records) - len(repo.Skipped)
			if left <= 0 {
				break
			}
		}
		if seen[id] {
			break // the BMC loops: a next-ID we have already read
		}
		seen[id] = true
		sp.records(id, left, seen)
		raw, next, err := w.readRecord(ctx, sp, id)
		if err != nil {
			return nil, err
		}
		// ID 0000h asks for the first record, whatever its ID is.
		cur := uint16(raw[0]) | uint16(raw[1])<<8
		seen[cur] = true
		sp.learn(cur, next, raw)
		rec, derr := Decode(raw)
		if derr != nil {
			repo.Skipped = append(repo.Skipped, fmt.Errorf("record %04x: %w", id, derr))
		} else {
			repo.Records = append(repo.Records, rec)
		}
		id = next
	}
	repo.ChunkSize = w.ChunkSize
	return repo, nil
}

// reserve gets a (new) reservation ID.
func (w *Walker) reserve(ctx context.Context) error {
	reserve := Reserve
	if w.Device {
		reserve = ReserveDevice
	}
	r, err := reserve(ctx, w.Client)
	if err != nil {
		return err
	}
	w.reservation, w.reserved = r, true
	return nil
}

// shrink lowers the chunk size after the BMC refused a read of n bytes.
func (w *Walker) shrink(n int) bool {
	for _, c := range fallbackChunks {
		if c < n {
			w.ChunkSize = c
			return true
		}
	}
	return false
}

// reserveBackoff waits a random while, longer with each attempt, before
// reserving again: clients walking the same repository at once keep
// cancelling each other's reservations until they fall out of step.
func reserveBackoff(ctx context.Context, attempt int) error {
	t := time.NewTimer(time.Duration(rand.Int64N(int64(attempt) * int64(20*time.Millisecond))))
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// readRecord reads one whole record (header and body), taking the answers
// sp sent ahead where it can and sending the rest of the record's chunks
// ahead once the header tells how long it is.
func (w *Walker) readRecord(ctx context.Context, sp *speculator, id uint16) (raw []byte, next uint16, err error) {
	var buf []byte
	total := -1 // unknown until the header arrives
	for total < 0 || len(buf) < total {
		offset := len(buf)
		n := w.ChunkSize
		if n == 0 {
			n = wholeRecord
		}
		if total >= 0 && total-offset < n {
			n = total - offset
		}
		if offset > 0 && !w.reserved {
			// Partial reads need a reservation; whole reads at offset 0
			// do not, which saves a request on BMCs that send whole records.
			if err := w.reserve(ctx); err != nil {
				return nil, 0, err
			}
		}
		if total >= 0 && n != wholeRecord {
			sp.chunks(id, offset+n, n, total)
		}
		a := sp.get(ctx, sdrKey{id: id, offset: offset, n: n, reservation: w.reservation})
		if a.err != nil {
			return nil, 0, a.err
		}
		nx, data, cc := a.next, a.data, a.cc
		switch cc {
		case 0:
		case ipmi.CodeCannotReturnBytes, ipmi.CodeRequestLengthExceeded:
			size := n
			if n == wholeRecord {
				size = 256
			}
			if !w.shrink(size) {
				return nil, 0, &ipmi.CompletionError{NetFn: ipmi.NetFnStorage, Cmd: cmdGetSDR, Code: cc}
			}
			continue
		case ipmi.CodeReservationCancelled:
			if w.retries++; w.retries > maxReserveRetry {
				return nil, 0, &ipmi.CompletionError{NetFn: ipmi.NetFnStorage, Cmd: cmdGetSDR, Code: cc}
			}
			if err := reserveBackoff(ctx, w.retries); err != nil {
				return nil, 0, err
			}
			if err := w.reserve(ctx); err != nil {
				return nil, 0, err
			}
			buf, total = buf[:0], -1 // the record may have changed: read it again
			continue
		default:
			return nil, 0, &ipmi.CompletionError{NetFn: ipmi.NetFnStorage, Cmd: cmdGetSDR, Code: cc}
		}
		if len(data) == 0 {
			return nil, 0, &ipmi.FormatError{What: "Get SDR response", Offset: 2,
				Msg: fmt.Sprintf("record %04x: no data at offset %d", id, offset)}
		}
		if len(data) > n && n != wholeRecord {
			data = data[:n] // never take more than was asked for
		}
		buf = append(buf, data...)
		next = nx
		if total < 0 && len(buf) >= HeaderLen {
			total = HeaderLen + int(buf[4])
		}
		if total >= 0 && len(buf) > total {
			buf = buf[:total]
		}
		if n != wholeRecord && len(data) < n && (total < 0 || len(buf) < total) {
			// A truncated reply: the BMC's limit is what it sent.
			w.ChunkSize = len(data)
		}
		if n == wholeRecord && total >= 0 && len(buf) < total {
			// "Whole record" returned only part: read the rest in chunks
			// of the size it managed.
			w.ChunkSize = len(data)
		}
	}
	if len(buf) < HeaderLen {
		return nil, 0, ipmi.ShortError("SDR record", len(buf), HeaderLen)
	}
	// The cancellation budget is per record: other clients reserving the
	// repository now and then must not fail a long walk.
	w.retries = 0
	return buf, next, nil
}

// FindSensor returns the full, compact or event-only record of a sensor,
// as ipmitool's ipmi_sdr_find_sdr_bynumtype matches it for SEL entries:
// owner ID (the generator ID's low byte), sensor number and sensor type.
func (r *Repository) FindSensor(ownerID, number, sensorType uint8) *Record {
	for _, rec := range r.Records {
		switch {
		case rec.Full != nil:
			if s := &rec.Full.SensorCommon; s.OwnerID == ownerID && s.Number == number && s.SensorType == sensorType {
				return rec
			}
		case rec.Compact != nil:
			if s := &rec.Compact.SensorCommon; s.OwnerID == ownerID && s.Number == number && s.SensorType == sensorType {
				return rec
			}
		case rec.EventOnly != nil:
			if e := rec.EventOnly; e.OwnerID == ownerID && e.Number == number && e.SensorType == sensorType {
				return rec
			}
		}
	}
	return nil
}

// ByType returns the records of one type, in repository order.
func (r *Repository) ByType(t RecordType) []*Record {
	var out []*Record
	for _, rec := range r.Records {
		if rec.Type == t {
			out = append(out, rec)
		}
	}
	return out
}
