package bmcsim

import (
	"fmt"
	"time"

	"github.com/ipmictl/ipmictl/ipmi"
)

// UserSpec is one user account preset by WithUsers.
type UserSpec struct {
	Name      string
	Password  string // up to 20 bytes
	Privilege ipmi.Privilege
}

// DefaultUsers are the accounts a new BMC has (user IDs 2, 3, 4; user 1 is
// the disabled anonymous user).
var DefaultUsers = []UserSpec{
	{Name: "admin", Password: "password", Privilege: ipmi.PrivilegeAdmin},
	{Name: "operator", Password: "oppass", Privilege: ipmi.PrivilegeOperator},
	{Name: "user", Password: "userpass", Privilege: ipmi.PrivilegeUser},
}

// Option configures New.
type Option func(*config)

type config struct {
	seed         int64
	index        int
	clock        func() time.Time
	users        []UserSpec
	sessionSlots int
	selCapacity  int
	maxRead      int
	hostname     string
	idleTimeout  time.Duration
	cycleDelay   time.Duration
	softDelay    time.Duration
	smLANMode    *uint8 // Supermicro OEM LAN mode; nil: not a Supermicro
	eeprom       []byte // I2C EEPROM content (256 bytes); nil: a counting pattern
}

func (c config) powerCycleDelay() time.Duration { return c.cycleDelay }
func (c config) softOffDelay() time.Duration    { return c.softDelay }

func defaultConfig() config {
	return config{
		seed:         1,
		clock:        time.Now,
		users:        DefaultUsers,
		sessionSlots: 4,
		selCapacity:  1024,
		maxRead:      64,
		hostname:     "sim-host-0",
		idleTimeout:  60 * time.Second,
		cycleDelay:   2 * time.Second,
		softDelay:    3 * time.Second,
	}
}

// WithSeed makes the sensor movement and fault decisions follow seed, so a
// test sees the same readings every run.
func WithSeed(seed int64) Option { return func(c *config) { c.seed = seed } }

// WithIndex gives the BMC its place in a fleet: it derives distinct MAC and
// IP addresses, serial numbers, GUIDs and host name from it.
func WithIndex(i int) Option {
	return func(c *config) {
		c.index = i
		c.hostname = fmt.Sprintf("sim-host-%d", i)
	}
}

// WithClock replaces time.Now; readings and SEL time stamps follow it.
func WithClock(now func() time.Time) Option { return func(c *config) { c.clock = now } }

// WithUsers replaces the default accounts; they get user IDs 2, 3, ...
func WithUsers(u ...UserSpec) Option {
	return func(c *config) { c.users = append([]UserSpec(nil), u...) }
}

// WithSessionSlots sets how many sessions may be active at once (1..63).
func WithSessionSlots(n int) Option {
	return func(c *config) { c.sessionSlots = min(max(n, 1), maxSessionSlots) }
}

// WithSELCapacity sets how many SEL entries fit before the oldest are
// overwritten (and the overflow flag is set).
func WithSELCapacity(n int) Option { return func(c *config) { c.selCapacity = min(max(n, 1), 0xFFF0) } }

// WithMaxRead caps the bytes one Get SDR or Read FRU Data may return
// (larger requests get 0xCA), as real BMCs do.
func WithMaxRead(n int) Option { return func(c *config) { c.maxRead = min(max(n, 8), 255) } }

// WithSessionTimeout sets the idle time after which a session is closed.
func WithSessionTimeout(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.idleTimeout = d
		}
	}
}

// WithPowerDelays sets how long a power cycle keeps the host off and how
// long the "operating system" takes to shut down after a soft-off request.
func WithPowerDelays(cycle, soft time.Duration) Option {
	return func(c *config) { c.cycleDelay, c.softDelay = max(cycle, 0), max(soft, 0) }
}
