package sdrcmd

import (
	"fmt"
	"strings"

	"github.com/ipmictl/ipmictl/sdr"
)

// sensorObject is the -o json form of one full or compact sensor, the
// same in sdr list/elist/type/entity/get and sensor list/get. Unknown
// values are null, never 0: a sensor without a reading has "reading",
// "raw", "state" and "states" null.
type sensorObject struct {
	Name         string `json:"name"`
	RecordID     uint16 `json:"record_id"`
	RecordType   string `json:"record_type"`
	SensorNumber uint8  `json:"sensor_number"`
	SensorType   string `json:"sensor_type"`
	ReadingType  string `json:"reading_type"` // "threshold" or "discrete"
	Entity       string `json:"entity"`
	EntityName   string `json:"entity_name"`
	// Reading is the converted value, rounded to the sensor's resolution.
	Reading *float64 `json:"reading"`
	// Raw is a threshold sensor's reading byte (a discrete sensor's is
	// meaningless: null).
	Raw   *uint8  `json:"raw"`
	Units *string `json:"units"`
	// ReadingAvailable: the BMC gave a reading (scanning enabled, not
	// flagged unavailable, and for a non-linear sensor its factors).
	ReadingAvailable bool  `json:"reading_available"`
	Scanning         *bool `json:"scanning"` // null: the BMC did not say
	// Status is ipmitool's word: ok, ns, disabled, or the most severe
	// crossed threshold (lnr, unr, lcr, ucr, lnc, unc).
	Status string `json:"status"`
	// State is FreeIPMI's interpretation: Nominal, Warning or Critical.
	State *string `json:"state"`
	// States are the thresholds the reading is at or beyond (threshold
	// sensors) or the asserted states (discrete sensors).
	States     []string          `json:"states"`
	Thresholds *thresholdsObject `json:"thresholds,omitempty"`
}

// thresholdsObject holds a threshold sensor's thresholds in its units
// (null: not readable, not known, or not a number).
type thresholdsObject struct {
	LNR *float64 `json:"lnr"`
	LCR *float64 `json:"lcr"`
	LNC *float64 `json:"lnc"`
	UNC *float64 `json:"unc"`
	UCR *float64 `json:"ucr"`
	UNR *float64 `json:"unr"`
}

func (t *thresholdsObject) at(th sdr.Threshold) **float64 {
	switch th {
	case sdr.LNR:
		return &t.LNR
	case sdr.LCR:
		return &t.LCR
	case sdr.LNC:
		return &t.LNC
	case sdr.UNC:
		return &t.UNC
	case sdr.UCR:
		return &t.UCR
	}
	return &t.UNR
}

// recordObject is the -o json form of the records sdr list shows that are
// not full or compact sensors: event-only sensors and locators.
type recordObject struct {
	Name         string `json:"name"`
	RecordID     uint16 `json:"record_id"`
	RecordType   string `json:"record_type"`
	SensorNumber *uint8 `json:"sensor_number,omitempty"`
	SensorType   string `json:"sensor_type,omitempty"`
	Entity       string `json:"entity,omitempty"`
	EntityName   string `json:"entity_name,omitempty"`
	Status       string `json:"status"`
	Locator      string `json:"locator"`
}

// sensorStatus is the status word of JSON and tables.
func sensorStatus(v *sdrValue) string {
	switch {
	case v.scanDisabled:
		return "disabled"
	case v.sc.IsThreshold():
		return v.threshStatus("ns", sdrStatusExt)
	case v.valid:
		return "ok"
	}
	return "ns"
}

// sensorObjectOf builds the JSON object of a sensor from its reading and
// thresholds (nil: none known).
func sensorObjectOf(v *sdrValue, th *sdr.Thresholds) sensorObject {
	rec, sc, rd := v.rec, v.sc, v.reading
	o := sensorObject{
		Name: sdrDisplayName(rec), RecordID: rec.ID, RecordType: rec.Type.String(),
		SensorNumber: sc.Number, SensorType: sdr.SensorTypeName(sc.SensorType), ReadingType: "discrete",
		Entity: fmt.Sprintf("%d.%d", sc.EntityID, sc.EntityInstance), EntityName: sdr.EntityName(sc.EntityID),
		ReadingAvailable: rd.Available(), Status: sensorStatus(v),
	}
	if sc.IsThreshold() {
		o.ReadingType = "threshold"
	}
	if rd.Valid && rd.Threshold {
		raw := rd.Raw
		o.Raw = &raw
	}
	if rd.Valid {
		o.States = make([]string, len(rd.States))
		for i, s := range rd.States {
			o.States[i] = strings.TrimSpace(s)
		}
	}
	if rd.HasValue {
		x := rd.Rounded()
		o.Reading = &x
	}
	if rd.Analog {
		u := rd.Unit
		o.Units = &u
	}
	if rd.Response != nil && !rd.Response.Short {
		s := rd.Scanning
		o.Scanning = &s
	}
	if rd.State != sdr.StateUnknown {
		s := rd.State.String()
		o.State = &s
	}
	if sc.IsThreshold() {
		o.Thresholds = &thresholdsObject{}
		for _, t := range sdr.ThresholdOrder {
			*o.Thresholds.at(t) = thresholdValue(v.full, th, t)
		}
	}
	return o
}

// thresholdValue converts threshold t, rounded to the sensor's
// resolution; nil when it is not readable or has no value in units (a
// sensor without an analog format, or a non-linear one, whose record's
// factors do not apply to thresholds).
func thresholdValue(full *sdr.FullSensor, th *sdr.Thresholds, t sdr.Threshold) *float64 {
	if full == nil || th == nil || !th.Has(t) || full.UnitsDiscrete() || full.Linearization >= sdr.LinNonLin {
		return nil
	}
	x, ok := full.Convert(th.Raw[t])
	if !ok {
		return nil
	}
	x = sdr.RoundDecimals(x, full.Factors.Decimals(th.Raw[t]))
	return &x
}

// sdrRecordThresholds are the thresholds a full record initialises (what
// sdr get prints); sdr list shows these, sensor list asks the BMC.
func sdrRecordThresholds(v *sdrValue) *sdr.Thresholds {
	if v.full == nil || !v.sc.InitThresholds() {
		return nil
	}
	return &sdr.Thresholds{Readable: v.sc.Readable(), Raw: v.full.Thresholds}
}

// recordObjectOf builds the JSON object of an event-only sensor or a
// locator record.
func recordObjectOf(rec *sdr.Record) recordObject {
	o := recordObject{Name: sdrDisplayName(rec), RecordID: rec.ID, RecordType: rec.Type.String(), Status: "ns"}
	if id, inst, ok := rec.Entity(); ok {
		o.Entity, o.EntityName = fmt.Sprintf("%d.%d", id, inst), sdr.EntityName(id)
	}
	if st, ok := rec.SensorType(); ok {
		o.SensorType = sdr.SensorTypeName(st)
	}
	switch {
	case rec.EventOnly != nil:
		n := rec.EventOnly.Number
		o.SensorNumber = &n
		o.Locator = "Event-Only"
	case rec.MCLocator != nil:
		o.Status, o.Locator = "ok", fmt.Sprintf("MC @ %02Xh", rec.MCLocator.SlaveAddr)
	case rec.FRULocator != nil:
		o.Locator = fmt.Sprintf("FRU @%02Xh", rec.FRULocator.DeviceID)
	case rec.GenericLocator != nil:
		o.Locator = fmt.Sprintf("Generic @%02X:%02X", rec.GenericLocator.AccessAddr, rec.GenericLocator.SlaveAddr)
	}
	return o
}
