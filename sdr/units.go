package sdr

// Unit type codes (IPMI v2.0 table 43-15) with the text ipmitool prints.
var unitNames = [...]string{
	"unspecified", "degrees C", "degrees F", "degrees K", "Volts", "Amps",
	"Watts", "Joules", "Coulombs", "VA", "Nits", "lumen", "lux", "Candela",
	"kPa", "PSI", "Newton", "CFM", "RPM", "Hz", "microsecond", "millisecond",
	"second", "minute", "hour", "day", "week", "mil", "inches", "feet",
	"cu in", "cu feet", "mm", "cm", "m", "cu cm", "cu m", "liters",
	"fluid ounce", "radians", "steradians", "revolutions", "cycles",
	"gravities", "ounce", "pound", "ft-lb", "oz-in", "gauss", "gilberts",
	"henry", "millihenry", "farad", "microfarad", "ohms", "siemens", "mole",
	"becquerel", "PPM", "reserved", "Decibels", "DbA", "DbC", "gray",
	"sievert", "color temp deg K", "bit", "kilobit", "megabit", "gigabit",
	"byte", "kilobyte", "megabyte", "gigabyte", "word", "dword", "qword",
	"line", "hit", "miss", "retry", "reset", "overflow", "underrun",
	"collision", "packets", "messages", "characters", "error",
	"correctable error", "uncorrectable error", "fatal error", "grams",
}

// UnitName returns the name of a unit type code, or "invalid".
func UnitName(code uint8) string {
	if int(code) < len(unitNames) {
		return unitNames[code]
	}
	return "invalid"
}

// Modifier unit relations (SDR byte 21 bits 2:1).
const (
	UnitModNone = 0 // base unit only
	UnitModDiv  = 1 // base / modifier
	UnitModMul  = 2 // base * modifier
)

// UnitString builds the unit text as ipmitool does: an optional "% "
// prefix, the base unit, and the modifier joined with "/" or "*". A
// percentage with an unspecified base reads "percent".
func UnitString(percent bool, relation, base, modifier uint8) string {
	pct := ""
	if percent {
		pct = "% "
	}
	switch relation {
	case UnitModMul:
		return pct + UnitName(base) + "*" + UnitName(modifier)
	case UnitModDiv:
		return pct + UnitName(base) + "/" + UnitName(modifier)
	}
	if base == 0 && percent {
		return "percent"
	}
	return pct + UnitName(base)
}
