package exporter

import (
	"context"

	"github.com/prometheus/client_golang/prometheus"
)

// Names FreeIPMI's bmc-watchdog prints, which ipmi_exporter uses as
// label values, indexed by the field's value.
var (
	watchdogUses       = []string{"", "BIOS FRB2", "BIOS POST", "OS LOAD", "SMS/OS", "OEM"}
	watchdogActions    = []string{"None", "Hard Reset", "Power Down", "Power Cycle"}
	watchdogInterrupts = []string{"None", "SMI", "NMI / Diagnostic Interrupt", "Messaging Interrupt"}
)

// collectWatchdog is the "bmc-watchdog" collector.
func collectWatchdog(ctx context.Context, s *scrape) ([]prometheus.Metric, error) {
	w, err := s.client.GetWatchdog(ctx)
	if err != nil {
		return nil, err
	}
	use, action, interrupt := w.Use(), w.Action(), w.Interrupt()
	out := []prometheus.Metric{gauge(wdTimerDesc, boolValue(w.Running()))}
	// One series per name, 1 for the current one; ipmi_exporter's order.
	for _, name := range []string{"BIOS FRB2", "BIOS POST", "OS LOAD", "SMS/OS", "OEM"} {
		out = append(out, gauge(wdTimerUseDesc, boolValue(int(use) < len(watchdogUses) && watchdogUses[use] == name), name))
	}
	out = append(out, gauge(wdLoggingDesc, boolValue(!w.NoLog())))
	for i, name := range watchdogActions {
		out = append(out, gauge(wdActionDesc, boolValue(int(action) == i), name))
	}
	for i, name := range watchdogInterrupts {
		out = append(out, gauge(wdPretimeoutDesc, boolValue(int(interrupt) == i), name))
	}
	return append(out,
		gauge(wdPreIntervalDesc, float64(w.Pretimeout)),
		gauge(wdInitialDesc, float64(w.Initial)/10),
		gauge(wdCurrentDesc, float64(w.Present)/10),
	), nil
}
