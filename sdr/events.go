package sdr

// EventState is one row of ipmitool's event tables: for a sensor type
// (sensor-specific, event/reading type 6Fh) or an event/reading type
// (generic), the text of one state offset. Data is 0xFF for "any event
// data 2"; other values are qualified by event data 2 (SEL only).
type EventState struct {
	Code   uint8
	Offset uint8
	Data   uint8
	Desc   string
}

// Generic event/reading type states (IPMI v2.0 table 42-2), keyed by the
// event/reading type code. The trailing spaces are ipmitool's.
var genericEvents = []EventState{
	{0x01, 0x00, 0xff, "Lower Non-critical going low "},
	{0x01, 0x01, 0xff, "Lower Non-critical going high"},
	{0x01, 0x02, 0xff, "Lower Critical going low "},
	{0x01, 0x03, 0xff, "Lower Critical going high"},
	{0x01, 0x04, 0xff, "Lower Non-recoverable going low "},
	{0x01, 0x05, 0xff, "Lower Non-recoverable going high"},
	{0x01, 0x06, 0xff, "Upper Non-critical going low "},
	{0x01, 0x07, 0xff, "Upper Non-critical going high"},
	{0x01, 0x08, 0xff, "Upper Critical going low "},
	{0x01, 0x09, 0xff, "Upper Critical going high"},
	{0x01, 0x0a, 0xff, "Upper Non-recoverable going low "},
	{0x01, 0x0b, 0xff, "Upper Non-recoverable going high"},
	{0x02, 0x00, 0xff, "Transition to Idle"},
	{0x02, 0x01, 0xff, "Transition to Active"},
	{0x02, 0x02, 0xff, "Transition to Busy"},
	{0x03, 0x00, 0xff, "State Deasserted"},
	{0x03, 0x01, 0xff, "State Asserted"},
	{0x04, 0x00, 0xff, "Predictive Failure Deasserted"},
	{0x04, 0x01, 0xff, "Predictive Failure Asserted"},
	{0x05, 0x00, 0xff, "Limit Not Exceeded"},
	{0x05, 0x01, 0xff, "Limit Exceeded"},
	{0x06, 0x00, 0xff, "Performance Met"},
	{0x06, 0x01, 0xff, "Performance Lags"},
	{0x07, 0x00, 0xff, "Transition to OK"},
	{0x07, 0x01, 0xff, "Transition to Non-critical from OK"},
	{0x07, 0x02, 0xff, "Transition to Critical from less severe"},
	{0x07, 0x03, 0xff, "Transition to Non-recoverable from less severe"},
	{0x07, 0x04, 0xff, "Transition to Non-critical from more severe"},
	{0x07, 0x05, 0xff, "Transition to Critical from Non-recoverable"},
	{0x07, 0x06, 0xff, "Transition to Non-recoverable"},
	{0x07, 0x07, 0xff, "Monitor"},
	{0x07, 0x08, 0xff, "Informational"},
	{0x08, 0x00, 0xff, "Device Absent"},
	{0x08, 0x01, 0xff, "Device Present"},
	{0x09, 0x00, 0xff, "Device Disabled"},
	{0x09, 0x01, 0xff, "Device Enabled"},
	{0x0a, 0x00, 0xff, "Transition to Running"},
	{0x0a, 0x01, 0xff, "Transition to In Test"},
	{0x0a, 0x02, 0xff, "Transition to Power Off"},
	{0x0a, 0x03, 0xff, "Transition to On Line"},
	{0x0a, 0x04, 0xff, "Transition to Off Line"},
	{0x0a, 0x05, 0xff, "Transition to Off Duty"},
	{0x0a, 0x06, 0xff, "Transition to Degraded"},
	{0x0a, 0x07, 0xff, "Transition to Power Save"},
	{0x0a, 0x08, 0xff, "Install Error"},
	{0x0b, 0x00, 0xff, "Fully Redundant"},
	{0x0b, 0x01, 0xff, "Redundancy Lost"},
	{0x0b, 0x02, 0xff, "Redundancy Degraded"},
	{0x0b, 0x03, 0xff, "Non-Redundant: Sufficient from Redundant"},
	{0x0b, 0x04, 0xff, "Non-Redundant: Sufficient from Insufficient"},
	{0x0b, 0x05, 0xff, "Non-Redundant: Insufficient Resources"},
	{0x0b, 0x06, 0xff, "Redundancy Degraded from Fully Redundant"},
	{0x0b, 0x07, 0xff, "Redundancy Degraded from Non-Redundant"},
	{0x0c, 0x00, 0xff, "D0 Power State"},
	{0x0c, 0x01, 0xff, "D1 Power State"},
	{0x0c, 0x02, 0xff, "D2 Power State"},
	{0x0c, 0x03, 0xff, "D3 Power State"},
}

// firmwareSteps is the event-data-2 list shared by System Firmware Hang
// (offset 01h) and Progress (offset 02h).
var firmwareSteps = []string{
	"Unspecified", "Memory initialization", "Hard-disk initialization",
	"Secondary CPU Initialization", "User authentication",
	"User-initiated system setup", "USB resource configuration",
	"PCI resource configuration", "Option ROM initialization",
	"Video initialization", "Cache initialization", "SMBus initialization",
	"Keyboard controller initialization",
	"Management controller initialization", "Docking station attachment",
	"Enabling docking station", "Docking station ejection",
	"Disabling docking station", "Calling operating system wake-up vector",
	"System boot initiated", "Motherboard initialization", "reserved",
	"Floppy initialization", "Keyboard test", "Pointing device test",
	"Primary CPU initialization",
}

var versionChangeParts = []string{
	"", ", Mngmt Ctrl Dev Id", ", Mngmt Ctrl Firm Rev", ", Mngmt Ctrl Dev Rev",
	", Mngmt Ctrl Manuf Id", ", Mngmt Ctrl IPMI Vers", ", Mngmt Ctrl Aux Firm Id",
	", Mngmt Ctrl Firm Boot Block", ", Mngmt Ctrl Other", ", BIOS/EFI change",
	", SMBIOS change", ", O/S change", ", O/S loader change",
	", Service Diag change", ", Mngmt SW agent change", ", Mngmt SW App change",
	", Mngmt SW Middle", ", Prog HW Change (FPGA)", ", board/FRU module change",
	", board/FRU component change", ", board/FRU replace equ ver",
	", board/FRU replace new ver", ", board/FRU replace old ver",
	", board/FRU HW conf change",
}

// Sensor-specific states (IPMI v2.0 table 42-3), keyed by sensor type, in
// ipmitool's order (the order states are listed in).
var specificEvents = buildSpecificEvents()

func buildSpecificEvents() []EventState {
	var t []EventState
	add := func(code uint8, descs ...string) {
		for i, d := range descs {
			t = append(t, EventState{code, uint8(i), 0xff, d})
		}
	}
	addOne := func(code, off, data uint8, d string) {
		t = append(t, EventState{code, off, data, d})
	}
	add(0x05, "General Chassis intrusion", "Drive Bay intrusion",
		"I/O Card area intrusion", "Processor area intrusion",
		"System unplugged from LAN", "Unauthorized dock", "FAN area intrusion")
	add(0x06, "Front Panel Lockout violation attempted",
		"Pre-boot password violation - user password",
		"Pre-boot password violation - setup password",
		"Pre-boot password violation - network boot password",
		"Other pre-boot password violation",
		"Out-of-band access password violation")
	add(0x07, "IERR", "Thermal Trip", "FRB1/BIST failure",
		"FRB2/Hang in POST failure", "FRB3/Processor startup/init failure",
		"Configuration Error", "SM BIOS Uncorrectable CPU-complex Error",
		"Presence detected", "Disabled", "Terminator presence detected",
		"Throttled", "Uncorrectable machine check exception",
		"Correctable machine check error")
	add(0x08, "Presence detected", "Failure detected", "Predictive failure",
		"Power Supply AC lost", "AC lost or out-of-range",
		"AC out-of-range, but present")
	addOne(0x08, 0x06, 0x00, "Config Error: Vendor Mismatch")
	addOne(0x08, 0x06, 0x01, "Config Error: Revision Mismatch")
	addOne(0x08, 0x06, 0x02, "Config Error: Processor Missing")
	addOne(0x08, 0x06, 0x03, "Config Error: Power Supply Rating Mismatch")
	addOne(0x08, 0x06, 0x04, "Config Error: Voltage Rating Mismatch")
	addOne(0x08, 0x06, 0xff, "Config Error")
	addOne(0x08, 0x06, 0xff, "Power Supply Inactive")
	add(0x09, "Power off/down", "Power cycle", "240VA power down",
		"Interlock power down", "AC lost", "Soft-power control failure",
		"Failure detected", "Predictive failure")
	add(0x0c, "Correctable ECC", "Uncorrectable ECC", "Parity",
		"Memory Scrub Failed", "Memory Device Disabled",
		"Correctable ECC logging limit reached", "Presence Detected",
		"Configuration Error", "Spare", "Throttled", "Critical Overtemperature")
	add(0x0d, "Drive Present", "Drive Fault", "Predictive Failure",
		"Hot Spare", "Parity Check In Progress", "In Critical Array",
		"In Failed Array", "Rebuild In Progress", "Rebuild Aborted")
	for i, d := range []string{"Unspecified", "No system memory installed",
		"No usable system memory", "Unrecoverable IDE device failure",
		"Unrecoverable system-board failure", "Unrecoverable diskette failure",
		"Unrecoverable hard-disk controller failure",
		"Unrecoverable PS/2 or USB keyboard failure",
		"Removable boot media not found", "Unrecoverable video controller failure",
		"No video device selected", "BIOS corruption detected",
		"CPU voltage mismatch", "CPU speed mismatch failure"} {
		addOne(0x0f, 0x00, uint8(i), d)
	}
	addOne(0x0f, 0x00, 0xff, "Unknown Error")
	for i, d := range firmwareSteps {
		addOne(0x0f, 0x01, uint8(i), d)
	}
	addOne(0x0f, 0x01, 0xff, "Unknown Hang")
	for i, d := range firmwareSteps {
		addOne(0x0f, 0x02, uint8(i), d)
	}
	addOne(0x0f, 0x02, 0xff, "Unknown Progress")
	add(0x10, "Correctable memory error logging disabled",
		"Event logging disabled", "Log area reset/cleared",
		"All event logging disabled", "Log full", "Log almost full")
	add(0x11, "BIOS Reset", "OS Reset", "OS Shut Down", "OS Power Down",
		"OS Power Cycle", "OS NMI/Diag Interrupt", "OS Expired",
		"OS pre-timeout Interrupt")
	add(0x12, "System Reconfigured", "OEM System boot event",
		"Undetermined system hardware failure", "Entry added to auxiliary log",
		"PEF Action", "Timestamp Clock Sync")
	add(0x13, "NMI/Diag Interrupt", "Bus Timeout", "I/O Channel check NMI",
		"Software NMI", "PCI PERR", "PCI SERR", "EISA failsafe timeout",
		"Bus Correctable error", "Bus Uncorrectable error", "Fatal NMI",
		"Bus Fatal Error", "Bus Degraded")
	add(0x14, "Power Button pressed", "Sleep Button pressed",
		"Reset Button pressed", "FRU Latch", "FRU Service")
	add(0x19, "Soft Power Control Failure", "Thermal Trip")
	add(0x1b, "Connected", "Config Error")
	add(0x1d, "Initiated by power up", "Initiated by hard reset",
		"Initiated by warm reset", "User requested PXE boot",
		"Automatic boot to diagnostic", "OS initiated hard reset",
		"OS initiated warm reset", "System Restart")
	add(0x1e, "No bootable media", "Non-bootable disk in drive",
		"PXE server not found", "Invalid boot sector",
		"Timeout waiting for selection")
	add(0x1f, "A: boot completed", "C: boot completed", "PXE boot completed",
		"Diagnostic boot completed", "CD-ROM boot completed",
		"ROM boot completed", "boot completed - device not specified",
		"Installation started", "Installation completed",
		"Installation aborted", "Installation failed")
	add(0x20, "Error during system startup", "Run-time critical stop",
		"OS graceful stop", "OS graceful shutdown",
		"PEF initiated soft shutdown", "Agent not responding")
	add(0x21, "Fault Status", "Identify Status", "Device Installed",
		"Ready for Device Installation", "Ready for Device Removal",
		"Slot Power is Off", "Device Removal Request", "Interlock",
		"Slot is Disabled", "Spare Device")
	add(0x22, "S0/G0: working",
		"S1: sleeping with system hw & processor context maintained",
		"S2: sleeping, processor context lost",
		"S3: sleeping, processor & hw context lost, memory retained",
		"S4: non-volatile sleep/suspend-to-disk", "S5/G2: soft-off",
		"S4/S5: soft-off", "G3: mechanical off", "Sleeping in S1/S2/S3 state",
		"G1: sleeping", "S5: entered by override", "Legacy ON state",
		"Legacy OFF state")
	addOne(0x22, 0x0e, 0xff, "Unknown")
	add(0x23, "Timer expired", "Hard reset", "Power down", "Power cycle",
		"reserved", "reserved", "reserved", "reserved", "Timer interrupt")
	add(0x24, "Platform generated page", "Platform generated LAN alert",
		"Platform Event Trap generated",
		"Platform generated SNMP trap, OEM format")
	add(0x25, "Present", "Absent", "Disabled")
	add(0x27, "Heartbeat Lost", "Heartbeat")
	add(0x28, "Sensor access degraded or unavailable",
		"Controller access degraded or unavailable",
		"Management controller off-line", "Management controller unavailable",
		"Sensor failure", "FRU failure")
	add(0x29, "Low", "Failed", "Presence Detected")
	addOne(0x2b, 0x00, 0xff, "Hardware change detected")
	for i, p := range versionChangeParts {
		addOne(0x2b, 0x01, uint8(i), "Firmware or software change detected"+p)
	}
	addOne(0x2b, 0x02, 0xff, "Hardware incompatibility detected")
	addOne(0x2b, 0x03, 0xff, "Firmware or software incompatibility detected")
	addOne(0x2b, 0x04, 0xff, "Invalid or unsupported hardware version")
	addOne(0x2b, 0x05, 0xff, "Invalid or unsupported firmware or software version")
	addOne(0x2b, 0x06, 0xff, "Hardware change success")
	for i, p := range versionChangeParts {
		addOne(0x2b, 0x07, uint8(i), "Firmware or software change success"+p)
	}
	add(0x2c, "Not Installed", "Inactive", "Activation Requested",
		"Activation in Progress", "Active", "Deactivation Requested",
		"Deactivation in Progress", "Communication lost")
	add(0xf0, "Transition to M0", "Transition to M1", "Transition to M2",
		"Transition to M3", "Transition to M4", "Transition to M5",
		"Transition to M6", "Transition to M7")
	add(0xf1, "IPMB-A disabled, IPMB-B disabled",
		"IPMB-A enabled, IPMB-B disabled", "IPMB-A disabled, IPMB-B enabled",
		"IPMB-A enabled, IPMB-B enabled")
	add(0xf2, "Module Handle Closed", "Module Handle Opened", "Quiesced")
	return t
}

// EventStates returns the table rows that describe states of a sensor with
// this sensor type and event/reading type, in ipmitool's order: the
// sensor-specific table for event type 6Fh, otherwise the generic table.
func EventStates(eventType, sensorType uint8) []EventState {
	table, code := genericEvents, eventType
	if eventType == EventTypeSensorSpecific {
		table, code = specificEvents, sensorType
	}
	var out []EventState
	for _, e := range table {
		if e.Code == code {
			out = append(out, e)
		}
	}
	return out
}

// EventText returns the text for one event offset (0-14) as the SEL shows
// it: the first row for the offset whose Data is 0xFF, or, when data2Valid,
// the row qualified by event data 2. It returns "" when none is known.
func EventText(eventType, sensorType, offset uint8) string {
	return EventTextData(eventType, sensorType, offset, 0, false)
}

// EventTextData is EventText with event data 2 (valid when the SEL record
// says data 2 holds sensor-specific extension bits).
func EventTextData(eventType, sensorType, offset, data2 uint8, data2Valid bool) string {
	for _, e := range EventStates(eventType, sensorType) {
		if e.Offset != offset {
			continue
		}
		if e.Data == 0xff || (data2Valid && e.Data == data2) {
			return e.Desc
		}
	}
	return ""
}

// AssertedStates lists the text of every state set in a discrete reading
// (state bits 0-7 in state1, 8-14 in state2), as `sdr elist` prints them.
func AssertedStates(eventType, sensorType, state1, state2 uint8) []string {
	if state1 == 0 && state2&0x7f == 0 {
		return nil
	}
	var out []string
	for _, e := range EventStates(eventType, sensorType) {
		if e.Data != 0xff {
			continue
		}
		var set bool
		if e.Offset > 7 {
			set = e.Offset < 15 && (1<<(e.Offset-8))&(state2&0x7f) != 0
		} else {
			set = (1<<e.Offset)&state1 != 0
		}
		if set {
			out = append(out, e.Desc)
		}
	}
	return out
}
