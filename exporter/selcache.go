package exporter

import (
	"context"
	"fmt"
	"time"

	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/sdr"
	"github.com/ipmictl/ipmictl/sel"
)

// selLoadTimeout bounds a SEL read that outlives its scrape.
const selLoadTimeout = 2 * time.Minute

// selEvent is what the sel-events collector needs of one SEL entry,
// worked out once when the SEL is read.
type selEvent struct {
	text  string  // matched against the sel_events regexes
	state string  // FreeIPMI's event state: Nominal, Warning, Critical, N/A
	time  float64 // Unix seconds; 0 when the entry has no real time
}

// selSnapshot is a target's SEL as last read, with the Get SEL Info
// answer read just before it.
type selSnapshot struct {
	info   sel.Info
	events []selEvent
}

// current reports whether info shows the SEL unchanged since the
// snapshot: same count and the same last add and erase times. A BMC that
// does not keep a last-add time (FFFFFFFFh with entries present) cannot
// tell, so its SEL is read again.
func (s *selSnapshot) current(info *sel.Info) bool {
	if info.Entries != 0 && info.LastAdd == sel.TimestampUnspecified {
		return false
	}
	return s.info.Entries == info.Entries && s.info.LastAdd == info.LastAdd && s.info.LastErase == info.LastErase
}

// selLoad is a SEL read in progress, shared by the scrapes that need it.
type selLoad struct {
	done chan struct{}
	snap *selSnapshot
	err  error
}

// selEvents returns the target's SEL entries: the copy in memory while
// Get SEL Info shows the SEL unchanged (one request per scrape), else a
// fresh read. As with the SDRs, the read is not tied to the scrape, so a
// long SEL on a slow BMC still gets read and later scrapes use it.
func (e *entry) selEvents(ctx context.Context, c *ipmi.Client, x *Exporter) (*selSnapshot, error) {
	info, err := sel.GetInfo(ctx, c)
	if err != nil {
		return nil, err
	}
	e.selMu.Lock()
	if e.selLog != nil && e.selLog.current(info) {
		snap := e.selLog
		e.selMu.Unlock()
		return snap, nil
	}
	load := e.selLoading
	if load == nil {
		load = &selLoad{done: make(chan struct{})}
		e.selLoading = load
		go e.loadSEL(load, c, x)
	}
	e.selMu.Unlock()
	select {
	case <-load.done:
		return load.snap, load.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (e *entry) loadSEL(load *selLoad, c *ipmi.Client, x *Exporter) {
	ctx, cancel := context.WithTimeout(e.p.ctx, selLoadTimeout)
	defer cancel()
	recs, info, err := sel.ReadAll(ctx, c, nil)
	if err == nil {
		snap := &selSnapshot{info: *info, events: make([]selEvent, len(recs))}
		for i, r := range recs {
			snap.events[i] = describeSELEntry(r)
		}
		load.snap = snap
		x.metrics.selReads.Inc()
	}
	load.err = err
	e.selMu.Lock()
	if err == nil {
		e.selLog = load.snap
	}
	e.selLoading = nil
	e.selMu.Unlock()
	close(load.done)
}

// selStates are FreeIPMI's event state names (ipmi-sel
// --output-event-state), which ipmi_exporter uses as label values.
var selStates = map[sel.Severity]string{
	sel.SeverityOK:       "Nominal",
	sel.SeverityWarning:  "Warning",
	sel.SeverityCritical: "Critical",
	sel.SeverityUnknown:  "N/A",
}

// describeSELEntry gives an entry's event text, state and time. The text
// of a system event is the description `ipmictl sel elist` prints
// (ipmitool's wording; empty for OEM event types, as there); an OEM
// record's is "OEM record XX" and its data in hex.
func describeSELEntry(r *sel.Record) selEvent {
	ev := selEvent{state: selStates[r.Severity()]}
	if ev.state == "" {
		ev.state = selStates[sel.SeverityUnknown]
	}
	if t, ok := r.Time(); ok {
		ev.time = float64(t.Unix())
	}
	switch {
	case r.Event != nil:
		e := r.Event
		if e.EventType < 0x70 || e.EventType >= 0x7F {
			ev.text = sdr.EventTextData(e.EventType, e.SensorType, e.Offset(), e.Data[1], e.Data[0]&0xC0 != 0)
		}
	case r.OEM != nil:
		ev.text = fmt.Sprintf("OEM record %02x %x", r.Type, r.OEM.Data)
	}
	return ev
}
