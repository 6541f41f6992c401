package exporter

import (
	"context"
	"fmt"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/ipmictl/ipmictl/ipmi"
)

// Supermicro's OEM LAN mode command, as ipmi_exporter sends it (ipmi-raw
// 0x0 0x30 0x70 0x0c 0): NetFn 30h, command 70h, sub-function 0Ch (LAN
// mode), 00h (get).
const (
	smNetFn       ipmi.NetFn = 0x30
	smCmdOEM                 = 0x70
	smSubLANMode             = 0x0C
	smLANModeGet             = 0x00
	smLANModeLast            = 2 // 0 dedicated, 1 shared, 2 failover
)

// collectSMLANMode is the "sm-lan-mode" collector: ipmi_config_lan_mode.
// A BMC that is not a Supermicro answers with a completion code (usually
// C1h), which fails this collector only.
func collectSMLANMode(ctx context.Context, s *scrape) ([]prometheus.Metric, error) {
	d, err := s.client.Do(ctx, &ipmi.Request{NetFn: smNetFn, Cmd: smCmdOEM, Data: []byte{smSubLANMode, smLANModeGet}})
	if err != nil {
		return nil, err
	}
	mode, err := decodeSMLANMode(d)
	if err != nil {
		return nil, err
	}
	return []prometheus.Metric{gauge(lanModeDesc, float64(mode))}, nil
}

// decodeSMLANMode takes the answer's data (after the completion code):
// exactly one byte, 0-2, as ipmi_exporter requires.
func decodeSMLANMode(d []byte) (uint8, error) {
	if len(d) != 1 {
		return 0, &ipmi.FormatError{What: "Supermicro LAN mode response", Offset: len(d), Msg: fmt.Sprintf("%d data bytes, want 1", len(d))}
	}
	if d[0] > smLANModeLast {
		return 0, &ipmi.FormatError{What: "Supermicro LAN mode response", Offset: 0, Msg: fmt.Sprintf("unknown LAN mode %d", d[0])}
	}
	return d[0], nil
}
