package sdr

import (
	"fmt"
	"strings"
)

// Sensor type codes (IPMI v2.0 table 42-3) with ipmitool's names.
var sensorTypeNames = [...]string{
	"reserved", "Temperature", "Voltage", "Current", "Fan",
	"Physical Security", "Platform Security", "Processor", "Power Supply",
	"Power Unit", "Cooling Device", "Other", "Memory", "Drive Slot / Bay",
	"POST Memory Resize", "System Firmwares", "Event Logging Disabled",
	"Watchdog1", "System Event", "Critical Interrupt", "Button",
	"Module / Board", "Microcontroller", "Add-in Card", "Chassis", "Chip Set",
	"Other FRU", "Cable / Interconnect", "Terminator", "System Boot Initiated",
	"Boot Error", "OS Boot", "OS Critical Stop", "Slot / Connector",
	"System ACPI Power State", "Watchdog2", "Platform Alert",
	"Entity Presence", "Monitor ASIC", "LAN", "Management Subsys Health",
	"Battery", "Session Audit", "Version Change", "FRU State",
}

// MaxSensorType is the highest standard sensor type code (FRU State).
const MaxSensorType = 0x2C

// SensorTypeName returns ipmitool's name for a sensor type code, or
// "Unknown" for reserved and OEM codes.
func SensorTypeName(t uint8) string {
	if int(t) < len(sensorTypeNames) {
		return sensorTypeNames[t]
	}
	return "Unknown"
}

// SensorTypeByName finds a standard sensor type by its name (any case) or
// by a number ("0x01", "1").
func SensorTypeByName(s string) (uint8, bool) {
	for i := 1; i <= MaxSensorType; i++ {
		if strings.EqualFold(sensorTypeNames[i], s) {
			return uint8(i), true
		}
	}
	var v uint
	if _, err := fmt.Sscanf(s, "0x%x", &v); err == nil && v <= 0xff {
		return uint8(v), true
	}
	return 0, false
}

// Event/reading type codes (IPMI v2.0 table 42-1).
const (
	EventTypeUnspecified    = 0x00
	EventTypeThreshold      = 0x01
	EventTypeSensorSpecific = 0x6F
)

// EventTypeName describes an event/reading type code.
func EventTypeName(t uint8) string {
	switch {
	case t == EventTypeUnspecified:
		return "Unspecified"
	case t == EventTypeThreshold:
		return "Threshold"
	case t >= 0x02 && t <= 0x0C:
		return "Generic Discrete"
	case t == EventTypeSensorSpecific:
		return "Sensor-specific Discrete"
	case t >= 0x70 && t <= 0x7F:
		return "OEM Discrete"
	}
	return "Reserved"
}
