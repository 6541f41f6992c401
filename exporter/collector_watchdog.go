package exporter

import (
	"context"
	"encoding/binary"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/ipmictl/ipmictl/ipmi"
)

// Names FreeIPMI's bmc-watchdog prints, which ipmi_exporter uses as
// label values, indexed by the field's value.
var (
	watchdogUses       = []string{"", "BIOS FRB2", "BIOS POST", "OS LOAD", "SMS/OS", "OEM"}
	watchdogActions    = []string{"None", "Hard Reset", "Power Down", "Power Cycle"}
	watchdogInterrupts = []string{"None", "SMI", "NMI / Diagnostic Interrupt", "Messaging Interrupt"}
)

// watchdogTimer is a Get Watchdog Timer answer.
type watchdogTimer struct {
	use, action, interrupt uint8
	running, logging       bool
	pretimeout             uint8  // seconds
	initial, present       uint16 // 100 ms units
}

// decodeWatchdogTimer decodes a Get Watchdog Timer response: 8 bytes, or
// 6 from BMCs (ipmi_sim) that leave out the present countdown.
func decodeWatchdogTimer(b []byte) (*watchdogTimer, error) {
	if len(b) < 6 {
		return nil, ipmi.ShortError("Get Watchdog Timer response", len(b), 6)
	}
	w := &watchdogTimer{
		use: b[0] & 0x07, running: b[0]&0x40 != 0, logging: b[0]&0x80 == 0,
		action: b[1] & 0x07, interrupt: (b[1] >> 4) & 0x07,
		pretimeout: b[2], initial: binary.LittleEndian.Uint16(b[4:6]),
	}
	if len(b) >= 8 {
		w.present = binary.LittleEndian.Uint16(b[6:8])
	}
	return w, nil
}

// collectWatchdog is the "bmc-watchdog" collector.
func collectWatchdog(ctx context.Context, s *scrape) ([]prometheus.Metric, error) {
	b, err := s.client.Do(ctx, &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: 0x25})
	if err != nil {
		return nil, err
	}
	w, err := decodeWatchdogTimer(b)
	if err != nil {
		return nil, err
	}
	out := []prometheus.Metric{gauge(wdTimerDesc, boolValue(w.running))}
	// One series per name, 1 for the current one; ipmi_exporter's order.
	for _, name := range []string{"BIOS FRB2", "BIOS POST", "OS LOAD", "SMS/OS", "OEM"} {
		out = append(out, gauge(wdTimerUseDesc, boolValue(int(w.use) < len(watchdogUses) && watchdogUses[w.use] == name), name))
	}
	out = append(out, gauge(wdLoggingDesc, boolValue(w.logging)))
	for i, name := range watchdogActions {
		out = append(out, gauge(wdActionDesc, boolValue(int(w.action) == i), name))
	}
	for i, name := range watchdogInterrupts {
		out = append(out, gauge(wdPretimeoutDesc, boolValue(int(w.interrupt) == i), name))
	}
	return append(out,
		gauge(wdPreIntervalDesc, float64(w.pretimeout)),
		gauge(wdInitialDesc, float64(w.initial)/10),
		gauge(wdCurrentDesc, float64(w.present)/10),
	), nil
}
