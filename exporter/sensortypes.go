package exporter

// freeipmiSensorTypes are the sensor type names FreeIPMI's ipmimonitoring
// prints, which ipmi_exporter puts in the type label of ipmi_sensor_*.
var freeipmiSensorTypes = [...]string{
	"Reserved", "Temperature", "Voltage", "Current", "Fan", "Physical Security",
	"Platform Security Violation Attempt", "Processor", "Power Supply", "Power Unit",
	"Cooling Device", "Other Units Based Sensor", "Memory", "Drive Slot",
	"POST Memory Resize", "System Firmware Progress", "Event Logging Disabled",
	"Watchdog 1", "System Event", "Critical Interrupt", "Button/Switch",
	"Module/Board", "Microcontroller/Coprocessor", "Add In Card", "Chassis",
	"Chip Set", "Other Fru", "Cable/Interconnect", "Terminator",
	"System Boot Initiated", "Boot Error", "OS Boot", "OS Critical Stop",
	"Slot/Connector", "System ACPI Power State", "Watchdog 2", "Platform Alert",
	"Entity Presence", "Monitor ASIC/IC", "LAN", "Management Subsystem Health",
	"Battery", "Session Audit", "Version Change", "FRU State",
}

// sensorTypeName returns FreeIPMI's name of a sensor type code.
func sensorTypeName(t uint8) string {
	switch {
	case int(t) < len(freeipmiSensorTypes):
		return freeipmiSensorTypes[t]
	case t >= 0xC0:
		return "OEM Reserved"
	}
	return "Unrecognized"
}
