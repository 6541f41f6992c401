package bmcsim

import "github.com/ipmictl/ipmictl/ipmi"

type cmdKey struct {
	netfn ipmi.NetFn
	cmd   uint8
}

type handler func(b *BMC, s *SessionInfo, data []byte) *ipmi.Response

type command struct {
	priv ipmi.Privilege // minimum session privilege (IPMI v2.0 appendix G)
	fn   handler
	// sessionControl commands are never answered "busy" by fault
	// injection: a client must always be able to close its session.
	sessionControl bool
}

const (
	none     = ipmi.PrivilegeNone
	callback = ipmi.PrivilegeCallback
	usr      = ipmi.PrivilegeUser
	oper     = ipmi.PrivilegeOperator
	admin    = ipmi.PrivilegeAdmin
)

// commandTable lists every command the simulated BMC implements with the
// minimum privilege the IPMI v2.0 command table (appendix G) requires for
// it. Anything absent answers 0xC1 (invalid command).
var commandTable map[cmdKey]command

func init() {
	app, ch, se, st, tr := ipmi.NetFnApp, ipmi.NetFnChassis, ipmi.NetFnSensorEvent, ipmi.NetFnStorage, ipmi.NetFnTransport
	commandTable = map[cmdKey]command{
		// App: BMC device and messaging.
		{app, 0x01}: {priv: usr, fn: (*BMC).getDeviceID},
		{app, 0x02}: {priv: admin, fn: (*BMC).coldReset},
		{app, 0x03}: {priv: admin, fn: (*BMC).warmReset},
		{app, 0x04}: {priv: usr, fn: (*BMC).getSelfTest},
		{app, 0x06}: {priv: admin, fn: (*BMC).setACPIPowerState},
		{app, 0x07}: {priv: usr, fn: (*BMC).getACPIPowerState},
		{app, 0x08}: {priv: usr, fn: (*BMC).getDeviceGUID},
		{app, 0x22}: {priv: oper, fn: (*BMC).resetWatchdog},
		{app, 0x24}: {priv: oper, fn: (*BMC).setWatchdog},
		{app, 0x25}: {priv: usr, fn: (*BMC).getWatchdog},
		{app, 0x2E}: {priv: admin, fn: (*BMC).setGlobalEnables},
		{app, 0x2F}: {priv: usr, fn: (*BMC).getGlobalEnables},
		{app, 0x37}: {priv: none, fn: (*BMC).getSystemGUID}, // answered before login, too
		{app, 0x38}: {priv: none, fn: (*BMC).getChannelAuthCaps, sessionControl: true},
		{app, 0x3B}: {priv: usr, fn: (*BMC).setSessionPrivilege, sessionControl: true},
		{app, 0x3C}: {priv: callback, fn: (*BMC).closeSession, sessionControl: true},
		{app, 0x3D}: {priv: usr, fn: (*BMC).getSessionInfo},
		{app, 0x40}: {priv: admin, fn: (*BMC).setChannelAccess},
		{app, 0x41}: {priv: usr, fn: (*BMC).getChannelAccess},
		{app, 0x42}: {priv: usr, fn: (*BMC).getChannelInfo},
		{app, 0x43}: {priv: admin, fn: (*BMC).setUserAccess},
		{app, 0x44}: {priv: oper, fn: (*BMC).getUserAccess},
		{app, 0x45}: {priv: admin, fn: (*BMC).setUserName},
		{app, 0x46}: {priv: oper, fn: (*BMC).getUserName},
		{app, 0x47}: {priv: admin, fn: (*BMC).setUserPassword},
		{app, 0x4A}: {priv: usr, fn: (*BMC).getPayloadActivationStatus},
		{app, 0x4C}: {priv: admin, fn: (*BMC).setUserPayloadAccess},
		{app, 0x4D}: {priv: oper, fn: (*BMC).getUserPayloadAccess},
		{app, 0x4E}: {priv: usr, fn: (*BMC).getChannelPayloadSupport},
		{app, 0x4F}: {priv: usr, fn: (*BMC).getChannelPayloadVersion},
		{app, 0x52}: {priv: oper, fn: (*BMC).masterWriteRead},
		{app, 0x54}: {priv: none, fn: (*BMC).getChannelCipherSuites, sessionControl: true},
		{app, 0x58}: {priv: admin, fn: (*BMC).setSystemInfo},
		{app, 0x59}: {priv: usr, fn: (*BMC).getSystemInfo},

		// Chassis.
		{ch, 0x00}: {priv: usr, fn: (*BMC).getChassisCapabilities},
		{ch, 0x01}: {priv: usr, fn: (*BMC).getChassisStatus},
		{ch, 0x02}: {priv: oper, fn: (*BMC).chassisControl},
		{ch, 0x04}: {priv: oper, fn: (*BMC).chassisIdentify},
		{ch, 0x06}: {priv: oper, fn: (*BMC).setPowerRestorePolicy},
		{ch, 0x07}: {priv: usr, fn: (*BMC).getRestartCause},
		{ch, 0x08}: {priv: oper, fn: (*BMC).setBootOptions},
		{ch, 0x09}: {priv: oper, fn: (*BMC).getBootOptions},
		{ch, 0x0F}: {priv: usr, fn: (*BMC).getPOHCounter},

		// Sensor/Event.
		{se, 0x00}: {priv: admin, fn: (*BMC).setEventReceiver},
		{se, 0x01}: {priv: usr, fn: (*BMC).getEventReceiver},
		{se, 0x02}: {priv: oper, fn: (*BMC).platformEvent},
		{se, 0x10}: {priv: usr, fn: (*BMC).getPEFCapabilities},
		{se, 0x12}: {priv: admin, fn: (*BMC).setPEFConfig},
		{se, 0x13}: {priv: oper, fn: (*BMC).getPEFConfig},
		{se, 0x14}: {priv: admin, fn: (*BMC).setLastProcessedEvent},
		{se, 0x15}: {priv: admin, fn: (*BMC).getLastProcessedEvent},
		{se, 0x24}: {priv: oper, fn: (*BMC).setSensorHysteresis},
		{se, 0x25}: {priv: usr, fn: (*BMC).getSensorHysteresis},
		{se, 0x26}: {priv: oper, fn: (*BMC).setSensorThresholds},
		{se, 0x27}: {priv: usr, fn: (*BMC).getSensorThresholds},
		{se, 0x28}: {priv: oper, fn: (*BMC).setSensorEventEnable},
		{se, 0x29}: {priv: usr, fn: (*BMC).getSensorEventEnable},
		{se, 0x2A}: {priv: oper, fn: (*BMC).rearmSensor},
		{se, 0x2B}: {priv: usr, fn: (*BMC).getSensorEventStatus},
		{se, 0x2D}: {priv: usr, fn: (*BMC).getSensorReading},
		{se, 0x2F}: {priv: usr, fn: (*BMC).getSensorType},

		// Storage: FRU, SDR repository, SEL.
		{st, 0x10}: {priv: usr, fn: (*BMC).getFRUAreaInfo},
		{st, 0x11}: {priv: usr, fn: (*BMC).readFRUData},
		{st, 0x12}: {priv: oper, fn: (*BMC).writeFRUData},
		{st, 0x20}: {priv: usr, fn: (*BMC).getSDRRepoInfo},
		{st, 0x21}: {priv: usr, fn: (*BMC).getSDRRepoAllocInfo},
		{st, 0x22}: {priv: usr, fn: (*BMC).reserveSDRRepo},
		{st, 0x23}: {priv: usr, fn: (*BMC).getSDR},
		{st, 0x28}: {priv: usr, fn: (*BMC).getSDRRepoTime},
		{st, 0x40}: {priv: usr, fn: (*BMC).getSELInfo},
		{st, 0x41}: {priv: usr, fn: (*BMC).getSELAllocInfo},
		{st, 0x42}: {priv: usr, fn: (*BMC).reserveSEL},
		{st, 0x43}: {priv: usr, fn: (*BMC).getSELEntry},
		{st, 0x44}: {priv: oper, fn: (*BMC).addSELEntry},
		{st, 0x46}: {priv: oper, fn: (*BMC).deleteSELEntry},
		{st, 0x47}: {priv: oper, fn: (*BMC).clearSEL},
		{st, 0x48}: {priv: usr, fn: (*BMC).getSELTime},
		{st, 0x49}: {priv: oper, fn: (*BMC).setSELTime},
		{st, 0x5C}: {priv: usr, fn: (*BMC).getSELUTCOffset},

		// Transport: LAN and SOL configuration.
		{tr, 0x01}: {priv: admin, fn: (*BMC).setLANConfig},
		{tr, 0x02}: {priv: oper, fn: (*BMC).getLANConfig},
		{tr, 0x21}: {priv: admin, fn: (*BMC).setSOLConfig},
		{tr, 0x22}: {priv: usr, fn: (*BMC).getSOLConfig},

		// Supermicro OEM (answered only WithSupermicroLANMode).
		{netFnSupermicro, cmdSupermicroOEM}: {priv: admin, fn: (*BMC).supermicroOEM},
	}
}

// MinPrivilege returns the privilege a session needs for netfn/cmd and
// whether the simulated BMC implements the command at all.
func MinPrivilege(netfn ipmi.NetFn, cmd uint8) (ipmi.Privilege, bool) {
	c, ok := commandTable[cmdKey{netfn, cmd}]
	return c.priv, ok
}
