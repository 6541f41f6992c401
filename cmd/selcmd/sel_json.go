package selcmd

import (
	"time"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/internal/pen"
	"github.com/ipmictl/ipmictl/sdr"
	"github.com/ipmictl/ipmictl/sel"
)

// selJSONEntry is one SEL entry in -o json: numbers as numbers, decoded
// text beside them, and the severity.
type selJSONEntry struct {
	ID             uint16       `json:"id"`
	RecordType     uint8        `json:"record_type"`
	Timestamp      *uint32      `json:"timestamp,omitempty"`
	Time           string       `json:"time,omitempty"` // RFC 3339 UTC; absent before the clock was set
	PreInit        bool         `json:"pre_init,omitempty"`
	Severity       sel.Severity `json:"severity"`
	GeneratorID    *uint16      `json:"generator_id,omitempty"`
	EvMRev         *uint8       `json:"evm_rev,omitempty"`
	SensorTypeCode *uint8       `json:"sensor_type_code,omitempty"`
	SensorType     string       `json:"sensor_type,omitempty"`
	SensorNumber   *uint8       `json:"sensor_number,omitempty"`
	SensorName     string       `json:"sensor_name,omitempty"`
	EventTypeCode  *uint8       `json:"event_type_code,omitempty"`
	EventType      string       `json:"event_type,omitempty"`
	Direction      string       `json:"direction,omitempty"`
	Offset         *uint8       `json:"offset,omitempty"`
	Description    string       `json:"description,omitempty"`
	EventData      []int        `json:"event_data,omitempty"`
	Reading        *float64     `json:"reading,omitempty"`
	Threshold      *float64     `json:"threshold,omitempty"`
	Unit           string       `json:"unit,omitempty"`
	ManufacturerID *uint32      `json:"manufacturer_id,omitempty"`
	Manufacturer   string       `json:"manufacturer,omitempty"`
	OEMData        []int        `json:"oem_data,omitempty"`
}

func selJSONView(e selEntry, _ bool) selJSONEntry {
	r := e.Rec
	j := selJSONEntry{ID: r.ID, RecordType: r.Type, Severity: r.Severity()}
	if r.Timestamped() {
		ts := r.Timestamp
		j.Timestamp = &ts
		j.PreInit = r.PreInit()
		if t, ok := r.Time(); ok {
			j.Time = t.Format(time.RFC3339)
		}
	}
	if o := r.OEM; o != nil {
		if r.Type < sel.TypeOEMNoTimestamp {
			m := o.ManufacturerID
			j.ManufacturerID, j.Manufacturer = &m, pen.Name(m)
		}
		j.OEMData = cli.IntsOf(o.Data)
		return j
	}
	ev := r.Event
	gen, evm, st, sn, et, off := ev.GeneratorID, ev.EvMRev, ev.SensorType, ev.SensorNumber, ev.EventType, ev.Offset()
	j.GeneratorID, j.EvMRev, j.SensorTypeCode, j.SensorNumber, j.EventTypeCode, j.Offset = &gen, &evm, &st, &sn, &et, &off
	j.SensorType = sdr.SensorTypeName(st)
	j.EventType = EventTypeName(et)
	j.Direction = "Asserted"
	if ev.Deassertion {
		j.Direction = "Deasserted"
	}
	j.Description = Description(ev)
	j.EventData = cli.IntsOf(ev.Data[:])
	if e.Sensor != nil {
		j.SensorName = selSensorName(e.Sensor)
		if e.Sensor.Full != nil && ev.Threshold() {
			if raw, ok := ev.TriggerReading(); ok {
				if v, ok := e.Sensor.Full.Factors.Convert(raw); ok {
					j.Reading = &v
				}
			}
			if raw, ok := ev.TriggerThreshold(); ok {
				if v, ok := e.Sensor.Full.Factors.Convert(raw); ok {
					j.Threshold = &v
				}
			}
			j.Unit = e.Sensor.Full.Unit()
		}
	}
	return j
}
