package exporter

import "github.com/prometheus/client_golang/prometheus"

// The metric names, labels and help texts are prometheus-community/
// ipmi_exporter's, so its dashboards and alerts work unchanged.
const namespace = "ipmi"

func desc(subsystem, name, help string, labels ...string) *prometheus.Desc {
	return prometheus.NewDesc(prometheus.BuildFQName(namespace, subsystem, name), help, labels, nil)
}

var (
	upDesc       = desc("", "up", "'1' if a scrape of the IPMI device was successful, '0' otherwise.", "collector")
	durationDesc = desc("scrape_duration", "seconds", "Returns how long the scrape took to complete in seconds.")

	sensorStateDesc    = desc("sensor", "state", "Indicates the severity of the state reported by an IPMI sensor (0=nominal, 1=warning, 2=critical).", "id", "name", "type")
	sensorValueDesc    = desc("sensor", "value", "Generic data read from an IPMI sensor of unknown type, relying on labels for context.", "id", "name", "type")
	fanSpeedRPMDesc    = desc("fan_speed", "rpm", "Fan speed in rotations per minute.", "id", "name")
	fanSpeedRatioDesc  = desc("fan_speed", "ratio", "Fan speed as a proportion of the maximum speed.", "id", "name")
	fanSpeedStateDesc  = desc("fan_speed", "state", "Reported state of a fan speed sensor (0=nominal, 1=warning, 2=critical).", "id", "name")
	temperatureDesc    = desc("temperature", "celsius", "Temperature reading in degree Celsius.", "id", "name")
	temperatureStDesc  = desc("temperature", "state", "Reported state of a temperature sensor (0=nominal, 1=warning, 2=critical).", "id", "name")
	voltageDesc        = desc("voltage", "volts", "Voltage reading in Volts.", "id", "name")
	voltageStateDesc   = desc("voltage", "state", "Reported state of a voltage sensor (0=nominal, 1=warning, 2=critical).", "id", "name")
	currentDesc        = desc("current", "amperes", "Current reading in Amperes.", "id", "name")
	currentStateDesc   = desc("current", "state", "Reported state of a current sensor (0=nominal, 1=warning, 2=critical).", "id", "name")
	powerDesc          = desc("power", "watts", "Power reading in Watts.", "id", "name")
	powerStateDesc     = desc("power", "state", "Reported state of a power sensor (0=nominal, 1=warning, 2=critical).", "id", "name")
	bmcInfoDesc        = desc("bmc", "info", "Constant metric with value '1' providing details about the BMC.", "firmware_revision", "manufacturer_id", "system_firmware_version", "bmc_url")
	chassisPowerDesc   = desc("chassis", "power_state", "Current power state (1=on, 0=off).")
	chassisDriveDesc   = desc("chassis", "drive_fault_state", "Current drive fault state (1=false, 0=true).")
	chassisCoolingDesc = desc("chassis", "cooling_fault_state", "Current Cooling/fan fault state (1=false, 0=true).")
	dcmiPowerDesc      = desc("dcmi", "power_consumption_watts", "Current power consumption in Watts.")
	selCountDesc       = desc("sel", "logs_count", "Current number of log entries in the SEL.")
	selFreeDesc        = desc("sel", "free_space_bytes", "Current free space remaining for new SEL entries.")
	selStateCountDesc  = desc("sel_events", "count_by_state", "Current number of log entries in the SEL by state.", "state")
	selNameCountDesc   = desc("sel_events", "count_by_name", "Current number of custom log entries in the SEL by name.", "name")
	selNameLatestDesc  = desc("sel_events", "latest_timestamp", "Latest timestamp of custom log entries in the SEL by name.", "name")
	lanModeDesc        = desc("config", "lan_mode", "Returns configured LAN mode (0=dedicated, 1=shared, 2=failover).")

	wdTimerDesc       = desc("bmc_watchdog", "timer_state", "Watchdog timer running (1: running, 0: stopped)")
	wdTimerUseDesc    = desc("bmc_watchdog", "timer_use_state", "Watchdog timer use (1: active, 0: inactive)", "name")
	wdLoggingDesc     = desc("bmc_watchdog", "logging_state", "Watchdog log flag (1: Enabled, 0: Disabled / note: reverse of freeipmi)")
	wdActionDesc      = desc("bmc_watchdog", "timeout_action_state", "Watchdog timeout action (1: active, 0: inactive)", "action")
	wdPretimeoutDesc  = desc("bmc_watchdog", "pretimeout_interrupt_state", "Watchdog pre-timeout interrupt (1: active, 0: inactive)", "interrupt")
	wdPreIntervalDesc = desc("bmc_watchdog", "pretimeout_interval_seconds", "Watchdog pre-timeout interval in seconds")
	wdInitialDesc     = desc("bmc_watchdog", "initial_countdown_seconds", "Watchdog initial countdown in seconds")
	wdCurrentDesc     = desc("bmc_watchdog", "current_countdown_seconds", "Watchdog current countdown in seconds")
)
