package sdr

import (
	"fmt"
	"sort"
	"strings"
)

// Entity ID codes (IPMI v2.0 table 43-13) with ipmitool's names.
var entityNames = map[uint8]string{
	0x00: "Unspecified", 0x01: "Other", 0x02: "Unknown", 0x03: "Processor",
	0x04: "Disk or Disk Bay", 0x05: "Peripheral Bay",
	0x06: "System Management Module", 0x07: "System Board",
	0x08: "Memory Module", 0x09: "Processor Module", 0x0a: "Power Supply",
	0x0b: "Add-in Card", 0x0c: "Front Panel Board", 0x0d: "Back Panel Board",
	0x0e: "Power System Board", 0x0f: "Drive Backplane",
	0x10: "System Internal Expansion Board", 0x11: "Other System Board",
	0x12: "Processor Board", 0x13: "Power Unit", 0x14: "Power Module",
	0x15: "Power Management", 0x16: "Chassis Back Panel Board",
	0x17: "System Chassis", 0x18: "Sub-Chassis", 0x19: "Other Chassis Board",
	0x1a: "Disk Drive Bay", 0x1b: "Peripheral Bay", 0x1c: "Device Bay",
	0x1d: "Fan Device", 0x1e: "Cooling Unit", 0x1f: "Cable/Interconnect",
	0x20: "Memory Device", 0x21: "System Management Software", 0x22: "BIOS",
	0x23: "Operating System", 0x24: "System Bus", 0x25: "Group",
	0x26: "Remote Management Device", 0x27: "External Environment",
	0x28: "Battery", 0x29: "Processing Blade", 0x2A: "Connectivity Switch",
	0x2B: "Processor/Memory Module", 0x2C: "I/O Module",
	0x2D: "Processor/IO Module", 0x2E: "Management Controller Firmware",
	0x2F: "IPMI Channel", 0x30: "PCI Bus", 0x31: "PCI Express Bus",
	0x32: "SCSI Bus (parallel)", 0x33: "SATA/SAS Bus",
	0x34: "Processor/Front-Side Bus", 0x35: "Real Time Clock(RTC)",
	0x36: "Reserved", 0x37: "Air Inlet", 0x38: "Reserved", 0x39: "Reserved",
	0x3A: "Reserved", 0x3B: "Reserved", 0x3C: "Reserved", 0x3D: "Reserved",
	0x3E: "Reserved", 0x3F: "Reserved", 0x40: "Air Inlet", 0x41: "Processor",
	0x42: "Baseboard/Main System Board",
	0xA0: "PICMG Front Board", 0xC0: "PICMG Rear Transition Module",
	0xC1: "PICMG AdvancedMC Module", 0xF0: "PICMG Shelf Management Controller",
	0xF1: "PICMG Filtration Unit", 0xF2: "PICMG Shelf FRU Information",
	0xF3: "PICMG Alarm Panel",
}

// EntityName returns ipmitool's name for an entity ID.
func EntityName(id uint8) string {
	if s, ok := entityNames[id]; ok {
		return s
	}
	return fmt.Sprintf("Unknown value 0x%04x", id)
}

// EntityByName finds the entity IDs with the given name (any case); the
// last one wins, as in ipmitool.
func EntityByName(name string) (uint8, bool) {
	ids := make([]int, 0, len(entityNames))
	for id := range entityNames {
		ids = append(ids, int(id))
	}
	sort.Ints(ids)
	found, ok := uint8(0), false
	for _, id := range ids {
		if strings.EqualFold(entityNames[uint8(id)], name) {
			found, ok = uint8(id), true
		}
	}
	return found, ok
}

// deviceTypeNames is ipmitool's entity_device_type_vals, keyed as ipmitool
// looks it up: device type << 8 | device type modifier.
var deviceTypeNames = map[uint16]string{
	0x00: "Reserved", 0x01: "Reserved", 0x02: "DS1624 temperature sensor",
	0x03: "DS1621 temperature sensor", 0x04: "LM75 Temperature Sensor",
	0x05: "Heceta ASIC", 0x06: "Reserved", 0x07: "Reserved",
	0x08: "EEPROM, 24C01", 0x09: "EEPROM, 24C02", 0x0a: "EEPROM, 24C04",
	0x0b: "EEPROM, 24C08", 0x0c: "EEPROM, 24C16", 0x0d: "EEPROM, 24C17",
	0x0e: "EEPROM, 24C32", 0x0f: "EEPROM, 24C64",
	0x1000: "IPMI FRU Inventory", 0x1001: "DIMM Memory ID",
	0x1002: "IPMI FRU Inventory", 0x1003: "System Processor Cartridge FRU",
	0x11: "Reserved", 0x12: "Reserved", 0x13: "Reserved",
	0x14: "PCF 8570 256 byte RAM", 0x15: "PCF 8573 clock/calendar",
	0x16: "PCF 8574A I/O Port", 0x17: "PCF 8583 clock/calendar",
	0x18: "PCF 8593 clock/calendar", 0x19: "Clock calendar",
	0x1a: "PCF 8591 A/D, D/A Converter", 0x1b: "I/O Port", 0x1c: "A/D Converter",
	0x1d: "D/A Converter", 0x1e: "A/D, D/A Converter", 0x1f: "LCD Controller/Driver",
	0x20: "Core Logic (Chip set) Device", 0x21: "LMC6874 Intelligent Battery controller",
	0x22: "Intelligent Batter controller", 0x23: "Combo Management ASIC",
	0x24: "Maxim 1617 Temperature Sensor", 0xbf: "Other/Unspecified",
}

// DeviceTypeName names a locator record's device type and modifier the
// way ipmitool's verbose SDR output does.
func DeviceTypeName(devType, modifier uint8) string {
	k := uint16(devType)<<8 | uint16(modifier)
	if s, ok := deviceTypeNames[k]; ok {
		return s
	}
	return fmt.Sprintf("Unknown value 0x%04x", k)
}
