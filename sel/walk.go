package sel

import (
	"context"
	"fmt"

	"github.com/ipmictl/ipmictl/ipmi"
)

// LoopError reports a BMC whose next-record IDs lead back to a record it
// already returned: walking on would never end.
type LoopError struct {
	ID, Next uint16
}

func (e *LoopError) Error() string {
	return fmt.Sprintf("sel: record %04xh points back to %04xh, which was already read; stopping", e.ID, e.Next)
}

// Progress is told how many records have been read of about how many
// (the count from Get SEL Info, 0 when unknown).
type Progress func(done, total int)

// Walk reads the SEL from the first record to the last, calling fn for
// each. Records are read whole without a reservation, as ipmitool does; a
// BMC that insists on one (C5h) gets one. total is the expected count for
// progress (0 if unknown); with it, entries whose IDs follow a stride are
// read ahead, several at a time (ahead). An empty SEL (CBh on the first
// read) is not an error.
func Walk(ctx context.Context, c *ipmi.Client, total int, progress Progress, fn func(*Record) error) error {
	var res uint16
	seen := make(map[uint16]bool)
	id := uint16(FirstID)
	reserves := 0
	a := newAhead(ctx, c, total)
	defer a.close()
	for done := 0; ; {
		rec, next, err := a.get(ctx, res, id)
		if ipmi.IsCompletion(err, ipmi.CodeReservationCancelled) && reserves < 3 {
			reserves++
			if res, err = Reserve(ctx, c); err != nil {
				return err
			}
			continue
		}
		if done == 0 && ipmi.IsCompletion(err, ipmi.CodeNotPresent) {
			return nil
		}
		if err == nil && next == FirstID {
			// Some BMCs answer 0000h now and then; ask once more.
			rec, next, err = GetEntry(ctx, c, res, id)
		}
		if err != nil {
			return fmt.Errorf("reading SEL entry %04xh: %w", id, err)
		}
		seen[rec.ID] = true
		seen[id] = true
		reserves = 0 // the budget is per entry: other clients reserve now and then
		done++
		if err := fn(rec); err != nil {
			return err
		}
		if progress != nil {
			progress(done, total)
		}
		if next == LastID || next == FirstID {
			return nil
		}
		if seen[next] || done > 0xFFFF {
			return &LoopError{ID: rec.ID, Next: next}
		}
		a.read(res, rec.ID, next, done)
		id = next
	}
}

// ReadAll reads Get SEL Info and then every record.
func ReadAll(ctx context.Context, c *ipmi.Client, progress Progress) ([]*Record, *Info, error) {
	info, err := GetInfo(ctx, c)
	if err != nil {
		return nil, nil, err
	}
	if info.Entries == 0 {
		return nil, info, nil
	}
	recs := make([]*Record, 0, min(int(info.Entries), 4096))
	err = Walk(ctx, c, int(info.Entries), progress, func(r *Record) error {
		recs = append(recs, r)
		return nil
	})
	return recs, info, err
}
