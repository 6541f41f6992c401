package fru

// Chassis type codes (SMBIOS table 17, as the FRU spec refers to it), with
// the names ipmitool prints for 0x00-0x1D.
var chassisTypeNames = [...]string{
	"Unspecified", "Other", "Unknown", "Desktop", "Low Profile Desktop",
	"Pizza Box", "Mini Tower", "Tower", "Portable", "LapTop", "Notebook",
	"Hand Held", "Docking Station", "All in One", "Sub Notebook",
	"Space-saving", "Lunch Box", "Main Server Chassis", "Expansion Chassis",
	"SubChassis", "Bus Expansion Chassis", "Peripheral Chassis",
	"RAID Chassis", "Rack Mount Chassis", "Sealed-case PC",
	"Multi-system Chassis", "CompactPCI", "AdvancedTCA", "Blade",
	"Blade Enclosure",
	// Added to SMBIOS after ipmitool's table was written.
	"Tablet", "Convertible", "Detachable", "IoT Gateway", "Embedded PC",
	"Mini PC", "Stick PC",
}

// IpmitoolChassisTypes is how many of the names ipmitool 1.8.19 knows;
// it prints "Unknown" for higher codes.
const IpmitoolChassisTypes = 0x1E

// ChassisTypeName names a chassis type code, or "Unknown".
func ChassisTypeName(t uint8) string {
	if int(t) < len(chassisTypeNames) {
		return chassisTypeNames[t]
	}
	return "Unknown"
}
