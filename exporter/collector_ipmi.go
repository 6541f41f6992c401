package exporter

import (
	"context"
	"math"
	"strconv"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/sdr"
)

// sensorSample is one sensor's value (NaN: none) and state.
type sensorSample struct {
	rec   *sdr.Record
	value float64
	state severity
}

// collectSensors is the "ipmi" collector: every full and compact sensor
// record's reading, as ipmimonitoring reports it to ipmi_exporter.
func collectSensors(ctx context.Context, s *scrape) ([]prometheus.Metric, error) {
	repo, err := s.entry.repository(ctx, s.client, s.x)
	if err != nil {
		return nil, err
	}
	var recs []*sdr.Record
	for _, r := range repo.Records {
		if r.Sensor() != nil && !s.entry.module.excluded(r.ID) {
			recs = append(recs, r)
		}
	}
	// Several readings in flight on the session, within a window that
	// shrinks when the BMC is busy or loses requests.
	samples, err := ipmi.Collect(ctx, s.client, nil, len(recs), func(ctx context.Context, c *ipmi.Client, i int) (sensorSample, error) {
		v, st, err := readSensor(ctx, c, recs[i])
		return sensorSample{rec: recs[i], value: v, state: st}, err
	})
	if err != nil {
		return nil, err
	}
	out := make([]prometheus.Metric, 0, 2*len(samples))
	for i := range samples {
		out = append(out, sensorMetrics(&samples[i])...)
	}
	return out, nil
}

// readSensor reads one sensor (sdr.ReadSensor). A refusal or malformed
// answer for this sensor gives NaN and an unknown state; only a failed
// session is an error (it fails the collector).
func readSensor(ctx context.Context, c *ipmi.Client, rec *sdr.Record) (float64, severity, error) {
	rd, err := sdr.ReadSensor(ctx, c, rec)
	if err != nil {
		return math.NaN(), sevUnknown, err
	}
	value := math.NaN()
	if rd.HasValue {
		value = roundNoise(rd.Value)
	}
	return value, severityOf(rd.State), nil
}

// roundNoise drops binary floating-point noise from a converted reading
// (3.3000000000000003 becomes 3.3) by keeping 12 significant digits, far
// more than an 8-bit reading carries.
func roundNoise(v float64) float64 {
	r, err := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 12, 64), 64)
	if err != nil {
		return v
	}
	return r
}

// Unit type codes that get their own metrics (IPMI v2.0 table 43-15).
const (
	unitCelsius = 1
	unitVolts   = 4
	unitAmps    = 5
	unitWatts   = 6
	unitRPM     = 18
)

// sensorMetrics files a threshold sensor under its unit's metric pair, as
// ipmi_exporter does by the unit ipmimonitoring prints (C, RPM, V, A, W,
// and % for fans); every other sensor gets ipmi_sensor_value/state with
// its type.
func sensorMetrics(s *sensorSample) []prometheus.Metric {
	sc := s.rec.Sensor()
	id := strconv.Itoa(int(s.rec.ID))
	name := s.rec.Name()
	pair := func(value, state *prometheus.Desc, scale float64) []prometheus.Metric {
		return []prometheus.Metric{
			prometheus.MustNewConstMetric(value, prometheus.GaugeValue, s.value*scale, id, name),
			prometheus.MustNewConstMetric(state, prometheus.GaugeValue, s.state.value(), id, name),
		}
	}
	if sc.IsThreshold() && sc.ModifierRelation() == sdr.UnitModNone {
		switch {
		case sc.Percent() && sc.BaseUnit == 0:
			if sc.SensorType == 0x04 { // Fan
				return pair(fanSpeedRatioDesc, fanSpeedStateDesc, 0.01)
			}
		case sc.Percent():
		case sc.BaseUnit == unitCelsius:
			return pair(temperatureDesc, temperatureStDesc, 1)
		case sc.BaseUnit == unitRPM:
			return pair(fanSpeedRPMDesc, fanSpeedStateDesc, 1)
		case sc.BaseUnit == unitVolts:
			return pair(voltageDesc, voltageStateDesc, 1)
		case sc.BaseUnit == unitAmps:
			return pair(currentDesc, currentStateDesc, 1)
		case sc.BaseUnit == unitWatts:
			return pair(powerDesc, powerStateDesc, 1)
		}
	}
	typ := sensorTypeName(sc.SensorType)
	return []prometheus.Metric{
		prometheus.MustNewConstMetric(sensorValueDesc, prometheus.GaugeValue, s.value, id, name, typ),
		prometheus.MustNewConstMetric(sensorStateDesc, prometheus.GaugeValue, s.state.value(), id, name, typ),
	}
}
