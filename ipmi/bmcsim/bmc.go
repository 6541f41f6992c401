// Package bmcsim is a simulated BMC for tests, in the spirit of
// net/http/httptest: a model of a server's management controller (chassis,
// users, LAN and channel settings, sensors whose readings move, a SEL that
// records threshold crossings, FRU inventory, session slots, a SOL console)
// that answers ipmi.Requests.
//
// Use it in-process through (*BMC).Transport, or serve it over RMCP/RMCP+
// with rmcp.Server (ipmictl sim). Privileges are enforced per command the
// way a real BMC does it, and faults (busy answers, short reads, exhausted
// session slots, reboots, and for the LAN server loss, delay, duplication,
// reordering and corrupted integrity codes) can be injected at run time.
//
// Every field of every request is treated as hostile: a malformed request
// gets a completion code, never a panic.
package bmcsim

import (
	"context"
	"encoding/binary"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/ipmictl/ipmictl/ipmi"
)

// SessionInfo describes where a request comes from. With a non-zero ID
// (a session opened with OpenSession, or by the LAN server) the BMC's
// session table decides the user, privilege and channel, and the other
// fields are ignored. With ID 0 the request is session-less and runs at
// Privilege as given: the zero value is PrivilegeNone, which allows only
// the pre-session commands (Get Channel Authentication Capabilities, Get
// Channel Cipher Suites), as on the LAN before login; a test may pass a
// higher privilege to drive the model directly, like the system interface.
type SessionInfo struct {
	ID        uint32         // BMC-side session ID, 0 = session-less
	UserID    uint8          // 1..MaxUsers
	Privilege ipmi.Privilege // operating privilege (session-less requests)
	Channel   uint8          // channel the request came in on (0 = LAN channel 1)
}

// BMC is one simulated BMC. All methods are safe for concurrent use.
type BMC struct {
	mu  sync.Mutex
	cfg config
	rng *rand.Rand

	boot      time.Time // when the model (or its last reboot) started
	selOffset time.Duration

	deviceGUID [16]byte
	systemGUID [16]byte

	chassis  chassisState
	users    []user // index 0 is user ID 1
	channels channelState
	lan      lanState
	sessions sessionTable
	sensors  []*sensor
	sdr      sdrRepo
	sel      selLog
	frus     [][]byte
	sol      *Console
	watchdog watchdogState
	pef      pefState
	enables  uint8
	sysinfo  map[uint8][]byte
	solCfg   map[uint8][]byte
	faults   Faults

	downUntil   time.Time // silent until then (RebootFor)
	lastStep    int64     // last sensor step evaluated
	poweredSeen bool      // chassis power at the last evaluation
	frozen      bool
}

// New returns a BMC in its factory state: powered on, default users
// admin/password (ADMINISTRATOR), operator/oppass (OPERATOR) and
// user/userpass (USER), four session slots.
func New(opts ...Option) *BMC {
	cfg := defaultConfig()
	for _, o := range opts {
		o(&cfg)
	}
	b := &BMC{cfg: cfg}
	b.rng = rand.New(rand.NewPCG(uint64(cfg.seed), uint64(cfg.index)+0x9e3779b97f4a7c15))
	b.boot = cfg.clock()
	b.deviceGUID = b.guid(0x01)
	b.systemGUID = b.guid(0x02)
	b.chassis = newChassisState(b.boot)
	b.users = newUsers(cfg.users)
	b.channels = newChannelState()
	b.lan = newLANState(cfg.index)
	b.sessions = newSessionTable(cfg.sessionSlots)
	b.sessions.idle = cfg.idleTimeout
	b.sensors = newSensors(cfg.seed + int64(cfg.index))
	b.sdr = buildSDRRepo(b.sensors, b.boot)
	b.sel = newSELLog(cfg.selCapacity)
	b.frus = buildFRUs(cfg.index, b.boot)
	b.sol = NewConsole(b.hostname())
	b.watchdog = newWatchdogState()
	b.pef = newPEFState()
	b.enables = 0x0F
	b.sysinfo = newSysInfo(b.hostname())
	b.lastStep = 0
	b.poweredSeen = b.chassis.on
	b.seedSEL()
	b.evaluateSensors(0, false)
	return b
}

// guid derives a stable, per-BMC random (version 4) GUID in IPMI byte
// order: the RFC 4122 bytes reversed, so the version nibble is the top of
// byte 9 and the variant bits the top of byte 7.
func (b *BMC) guid(kind byte) [16]byte {
	var g [16]byte
	r := rand.New(rand.NewPCG(uint64(b.cfg.seed)^uint64(kind)<<56, uint64(b.cfg.index)))
	binary.LittleEndian.PutUint64(g[0:], r.Uint64())
	binary.LittleEndian.PutUint64(g[8:], r.Uint64())
	g[9] = g[9]&0x0F | 0x40
	g[7] = g[7]&0x3F | 0x80
	return g
}

func (b *BMC) now() time.Time { return b.cfg.clock() }

// Handle answers one request arriving in session sess. It enforces the
// command's minimum privilege (0xD4 when sess.Privilege is below it),
// applies the injected busy and short-read faults, and never panics on a
// malformed request.
func (b *BMC) Handle(ctx context.Context, sess SessionInfo, req *ipmi.Request) *ipmi.Response {
	if req == nil {
		return &ipmi.Response{Code: ipmi.CodeInvalidDataField}
	}
	if err := ctx.Err(); err != nil {
		return &ipmi.Response{Code: ipmi.CodeTimeout}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.advance()
	if sess.ID != 0 {
		s := b.sessions.touch(sess.ID, b.now())
		if s == nil {
			return &ipmi.Response{Code: ipmi.CodeInvalidDataField}
		}
		// The session table is authoritative (Set Session Privilege).
		sess.Privilege = s.priv
		sess.UserID = s.userID
		sess.Channel = s.channel
	} else if sess.Privilege > ipmi.PrivilegeOEM {
		sess.Privilege = ipmi.PrivilegeNone
	}
	if sess.Channel == 0 || sess.Channel == 0x0E {
		sess.Channel = lanChannel
	}
	if req.LUN != 0 {
		return &ipmi.Response{Code: ipmi.CodeInvalidForLUN}
	}
	cmd, ok := commandTable[cmdKey{req.NetFn, req.Cmd}]
	if !ok {
		return &ipmi.Response{Code: ipmi.CodeInvalidCommand}
	}
	if sess.Privilege < cmd.priv {
		return &ipmi.Response{Code: ipmi.CodeInsufficientPrivilege}
	}
	if b.faults.BusyPercent > 0 && !cmd.sessionControl && b.chance(b.faults.BusyPercent) {
		return &ipmi.Response{Code: ipmi.CodeNodeBusy}
	}
	rsp := cmd.fn(b, &sess, req.Data)
	if rsp == nil {
		rsp = &ipmi.Response{Code: ipmi.CodeUnspecified}
	}
	return rsp
}

// chance returns true with probability pct percent, from the BMC's seeded
// generator (call with b.mu held).
func (b *BMC) chance(pct float64) bool {
	if pct <= 0 {
		return false
	}
	return b.rng.Float64()*100 < pct
}

func ok(data ...byte) *ipmi.Response { return &ipmi.Response{Code: ipmi.CodeOK, Data: data} }

func fail(c ipmi.CompletionCode) *ipmi.Response { return &ipmi.Response{Code: c} }

// Reboot simulates a BMC reset: every session is dropped, reservations are
// cancelled and the watchdog stops. Chassis power is not affected (the
// host keeps running, as on real hardware).
func (b *BMC) Reboot() { b.RebootFor(0) }

// RebootFor reboots the BMC and keeps it silent for d: every packet that
// arrives meanwhile is lost, as while a real BMC boots.
func (b *BMC) RebootFor(d time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.reboot()
	b.downUntil = b.now().Add(d)
}

// down reports whether the BMC is still rebooting (call with b.mu held).
func (b *BMC) down() bool { return b.now().Before(b.downUntil) }

func (b *BMC) reboot() {
	b.sessions.dropAll()
	b.sdr.reservation++
	b.sel.reservation++
	b.watchdog = newWatchdogState()
	b.chassis.restartCause = 0
}

// Freeze stops (true) or restarts (false) the movement of sensor readings.
// Readings set with SetReading are kept either way.
func (b *BMC) Freeze(frozen bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !frozen && b.frozen {
		b.lastStep = b.step()
	}
	b.frozen = frozen
}

func (b *BMC) hostname() string { return b.cfg.hostname }
