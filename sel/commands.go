package sel

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/ipmictl/ipmictl/ipmi"
)

// Storage commands for the SEL (IPMI v2.0 section 31).
const (
	CmdGetInfo      = 0x40
	CmdGetAllocInfo = 0x41
	CmdReserve      = 0x42
	CmdGetEntry     = 0x43
	CmdAddEntry     = 0x44
	CmdDeleteEntry  = 0x46
	CmdClear        = 0x47
	CmdGetTime      = 0x48
	CmdSetTime      = 0x49
)

// Record IDs with special meaning in Get SEL Entry.
const (
	FirstID = 0x0000
	LastID  = 0xFFFF
)

// Info is the Get SEL Info answer.
type Info struct {
	Version       uint8  `json:"version"` // BCD, 51h = IPMI 1.5/2.0
	Entries       uint16 `json:"entries"`
	FreeBytes     uint16 `json:"free_bytes"` // FFFFh: 65535 or more
	LastAdd       uint32 `json:"last_add_timestamp"`
	LastErase     uint32 `json:"last_erase_timestamp"`
	Overflow      bool   `json:"overflow"`
	OpSupport     uint8  `json:"operation_support"`
	Delete        bool   `json:"supports_delete"`
	PartialAdd    bool   `json:"supports_partial_add"`
	Reserve       bool   `json:"supports_reserve"`
	GetAllocation bool   `json:"supports_get_allocation_info"`
}

// AllocInfo is the Get SEL Allocation Info answer.
type AllocInfo struct {
	Units         uint16 `json:"allocation_units"`
	UnitSize      uint16 `json:"allocation_unit_size"`
	FreeUnits     uint16 `json:"free_units"`
	LargestFree   uint16 `json:"largest_free_block"`
	MaxRecordSize uint8  `json:"max_record_size"`
}

func storage(ctx context.Context, c *ipmi.Client, cmd uint8, data ...byte) ([]byte, error) {
	return c.Do(ctx, &ipmi.Request{NetFn: ipmi.NetFnStorage, Cmd: cmd, Data: data})
}

// GetInfo sends Get SEL Info.
func GetInfo(ctx context.Context, c *ipmi.Client) (*Info, error) {
	d, err := storage(ctx, c, CmdGetInfo)
	if err != nil {
		return nil, err
	}
	if len(d) < 14 {
		return nil, ipmi.ShortError("Get SEL Info response", len(d), 14)
	}
	op := d[13]
	return &Info{
		Version:       d[0],
		Entries:       binary.LittleEndian.Uint16(d[1:]),
		FreeBytes:     binary.LittleEndian.Uint16(d[3:]),
		LastAdd:       binary.LittleEndian.Uint32(d[5:]),
		LastErase:     binary.LittleEndian.Uint32(d[9:]),
		OpSupport:     op,
		Overflow:      op&0x80 != 0,
		Delete:        op&0x08 != 0,
		PartialAdd:    op&0x04 != 0,
		Reserve:       op&0x02 != 0,
		GetAllocation: op&0x01 != 0,
	}, nil
}

// GetAllocInfo sends Get SEL Allocation Info.
func GetAllocInfo(ctx context.Context, c *ipmi.Client) (*AllocInfo, error) {
	d, err := storage(ctx, c, CmdGetAllocInfo)
	if err != nil {
		return nil, err
	}
	if len(d) < 9 {
		return nil, ipmi.ShortError("Get SEL Allocation Info response", len(d), 9)
	}
	return &AllocInfo{
		Units:         binary.LittleEndian.Uint16(d[0:]),
		UnitSize:      binary.LittleEndian.Uint16(d[2:]),
		FreeUnits:     binary.LittleEndian.Uint16(d[4:]),
		LargestFree:   binary.LittleEndian.Uint16(d[6:]),
		MaxRecordSize: d[8],
	}, nil
}

// Reserve sends Reserve SEL and returns the reservation ID.
func Reserve(ctx context.Context, c *ipmi.Client) (uint16, error) {
	d, err := storage(ctx, c, CmdReserve)
	if err != nil {
		return 0, err
	}
	if len(d) < 2 {
		return 0, ipmi.ShortError("Reserve SEL response", len(d), 2)
	}
	return binary.LittleEndian.Uint16(d), nil
}

// GetEntry reads one whole record. reservation may be 0 for whole-record
// reads. It returns the ID of the next record (FFFFh after the last).
func GetEntry(ctx context.Context, c *ipmi.Client, reservation, id uint16) (*Record, uint16, error) {
	d, err := storage(ctx, c, CmdGetEntry, byte(reservation), byte(reservation>>8), byte(id), byte(id>>8), 0, 0xFF)
	if ipmi.IsCompletion(err, ipmi.CodeCannotReturnBytes) {
		return getEntryPartial(ctx, c, reservation, id)
	}
	if err != nil {
		return nil, 0, err
	}
	if len(d) < 2+RecordLen {
		return nil, 0, ipmi.ShortError("Get SEL Entry response", len(d), 2+RecordLen)
	}
	r, err := Decode(d[2:])
	return r, binary.LittleEndian.Uint16(d), err
}

// getEntryPartial reads a record in two halves, for BMCs that cannot
// return 16 bytes at once. Partial reads need a reservation.
func getEntryPartial(ctx context.Context, c *ipmi.Client, reservation, id uint16) (*Record, uint16, error) {
	if reservation == 0 {
		var err error
		if reservation, err = Reserve(ctx, c); err != nil {
			return nil, 0, err
		}
	}
	var buf []byte
	var next uint16
	for off := 0; off < RecordLen; off += 8 {
		d, err := storage(ctx, c, CmdGetEntry, byte(reservation), byte(reservation>>8), byte(id), byte(id>>8), byte(off), 8)
		if err != nil {
			return nil, 0, err
		}
		if len(d) < 2+8 {
			return nil, 0, ipmi.ShortError("Get SEL Entry response", len(d), 2+8)
		}
		next = binary.LittleEndian.Uint16(d)
		buf = append(buf, d[2:10]...)
	}
	r, err := Decode(buf)
	return r, next, err
}

// AddEntry sends Add SEL Entry and returns the ID the BMC gave the record.
func AddEntry(ctx context.Context, c *ipmi.Client, r *Record) (uint16, error) {
	d, err := storage(ctx, c, CmdAddEntry, r.Raw[:]...)
	if err != nil {
		return 0, err
	}
	if len(d) < 2 {
		return 0, ipmi.ShortError("Add SEL Entry response", len(d), 2)
	}
	return binary.LittleEndian.Uint16(d), nil
}

// DeleteEntry deletes one record under a reservation and returns the ID
// the BMC reports deleted.
func DeleteEntry(ctx context.Context, c *ipmi.Client, reservation, id uint16) (uint16, error) {
	d, err := storage(ctx, c, CmdDeleteEntry, byte(reservation), byte(reservation>>8), byte(id), byte(id>>8))
	if err != nil {
		return 0, err
	}
	if len(d) < 2 {
		return 0, ipmi.ShortError("Delete SEL Entry response", len(d), 2)
	}
	return binary.LittleEndian.Uint16(d), nil
}

// Delete deletes records, reserving the SEL first and again when another
// client cancels the reservation. It stops at the first other error.
func Delete(ctx context.Context, c *ipmi.Client, ids ...uint16) error {
	res, err := Reserve(ctx, c)
	if err != nil {
		return err
	}
	for _, id := range ids {
		_, err := DeleteEntry(ctx, c, res, id)
		if ipmi.IsCompletion(err, ipmi.CodeReservationCancelled) {
			if res, err = Reserve(ctx, c); err != nil {
				return err
			}
			_, err = DeleteEntry(ctx, c, res, id)
		}
		if err != nil {
			return fmt.Errorf("deleting SEL entry %d: %w", id, err)
		}
	}
	return nil
}

// Erasure actions of Clear SEL.
const (
	clearInitiate  = 0xAA
	clearGetStatus = 0x00
)

// ClearStatus sends Clear SEL with action (initiate or get status) and
// reports whether erasure has completed.
func clearSEL(ctx context.Context, c *ipmi.Client, reservation uint16, action byte) (bool, error) {
	d, err := storage(ctx, c, CmdClear, byte(reservation), byte(reservation>>8), 'C', 'L', 'R', action)
	if err != nil {
		return false, err
	}
	if len(d) < 1 {
		return false, ipmi.ShortError("Clear SEL response", len(d), 1)
	}
	return d[0]&0x0F == 1, nil
}

// ErrClearTimeout is returned when erasure does not finish in time.
var ErrClearTimeout = errors.New("sel: the BMC did not finish erasing the SEL")

// Clear reserves the SEL, starts erasure and, with wait, polls until the
// BMC reports it complete (or ctx ends). A reservation cancelled while
// polling is taken again.
func Clear(ctx context.Context, c *ipmi.Client, wait bool) error {
	res, err := Reserve(ctx, c)
	if err != nil {
		return err
	}
	done, err := clearSEL(ctx, c, res, clearInitiate)
	if err != nil || done || !wait {
		return err
	}
	delay := 50 * time.Millisecond
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(delay):
		}
		delay = min(delay*2, time.Second)
		done, err = clearSEL(ctx, c, res, clearGetStatus)
		if ipmi.IsCompletion(err, ipmi.CodeReservationCancelled) {
			if res, err = Reserve(ctx, c); err != nil {
				return err
			}
			continue
		}
		if err != nil || done {
			return err
		}
	}
	return ErrClearTimeout
}

// GetTime reads the SEL clock (seconds since 1970, or since BMC start
// when below PreInitLimit).
func GetTime(ctx context.Context, c *ipmi.Client) (uint32, error) {
	d, err := storage(ctx, c, CmdGetTime)
	if err != nil {
		return 0, err
	}
	if len(d) < 4 {
		return 0, ipmi.ShortError("Get SEL Time response", len(d), 4)
	}
	return binary.LittleEndian.Uint32(d), nil
}

// SetTime sets the SEL clock.
func SetTime(ctx context.Context, c *ipmi.Client, t uint32) error {
	var b [4]byte
	binary.LittleEndian.PutUint32(b[:], t)
	_, err := storage(ctx, c, CmdSetTime, b[:]...)
	return err
}
