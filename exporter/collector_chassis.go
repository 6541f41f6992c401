package exporter

import (
	"context"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/ipmictl/ipmictl/sel"
)

func gauge(d *prometheus.Desc, v float64, labels ...string) prometheus.Metric {
	return prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
}

func boolValue(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// collectChassis is the "chassis" collector. The fault metrics keep
// ipmi_exporter's inverted sense: 1 means no fault.
func collectChassis(ctx context.Context, s *scrape) ([]prometheus.Metric, error) {
	st, err := s.client.GetChassisStatus(ctx)
	if err != nil {
		return nil, err
	}
	return []prometheus.Metric{
		gauge(chassisPowerDesc, boolValue(st.PowerOn)),
		gauge(chassisDriveDesc, boolValue(!st.DriveFault)),
		gauge(chassisCoolingDesc, boolValue(!st.CoolingFault)),
	}, nil
}

// collectDCMI is the "dcmi" collector: the current power reading, left
// out (with the collector up) when the BMC says the measurement is not
// active, as ipmi_exporter does.
func collectDCMI(ctx context.Context, s *scrape) ([]prometheus.Metric, error) {
	r, err := s.client.GetPowerReading(ctx)
	if err != nil {
		return nil, err
	}
	if !r.Active {
		return nil, nil
	}
	return []prometheus.Metric{gauge(dcmiPowerDesc, float64(r.Current))}, nil
}

// collectSEL is the "sel" collector.
func collectSEL(ctx context.Context, s *scrape) ([]prometheus.Metric, error) {
	info, err := sel.GetInfo(ctx, s.client)
	if err != nil {
		return nil, err
	}
	return []prometheus.Metric{
		gauge(selCountDesc, float64(info.Entries)),
		gauge(selFreeDesc, float64(info.FreeBytes)),
	}, nil
}
