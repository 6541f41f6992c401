package exporter

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/ipmictl/ipmictl/ipmi"
)

// Config is the exporter's YAML file. Its module keys are a superset of
// prometheus-community/ipmi_exporter's, so an ipmi_exporter config loads
// unchanged (its FreeIPMI-only keys are accepted and ignored).
type Config struct {
	Modules map[string]*Module `yaml:"modules"`

	// MaxTargets bounds the session pool; the least recently scraped
	// target's session is closed to make room. Default 1000.
	MaxTargets int `yaml:"max_targets"`
	// SessionIdle closes a target's session after this long without a
	// scrape. Default 5m.
	SessionIdle Duration `yaml:"session_idle_timeout"`
	// Keepalive sends Get Device ID on an idle session this often so the
	// BMC does not drop it between scrapes (BMCs drop sessions idle for
	// about 60 s). Default 20s; negative disables.
	Keepalive Duration `yaml:"keepalive_interval"`
	// TimeoutOffset is subtracted from Prometheus's scrape timeout so the
	// answer leaves before Prometheus gives up. Default 500ms.
	TimeoutOffset Duration `yaml:"timeout_offset"`
	// SDRCacheDir, when set, keeps SDR repositories on disk across
	// restarts (the in-memory copy is always kept per target).
	SDRCacheDir string `yaml:"sdr_cache_dir"`
}

// Module is one named set of credentials and collection options.
type Module struct {
	User         string `yaml:"user"`
	Password     Secret `yaml:"password"`
	Pass         Secret `yaml:"pass"` // ipmi_exporter's spelling
	PasswordFile string `yaml:"password_file"`
	KgHex        Secret `yaml:"kg_hex"`
	Privilege    string `yaml:"privilege"`
	// Interface is lanplus (default) or lan; Driver is ipmi_exporter's
	// LAN_2_0 / LAN.
	Interface   string `yaml:"interface"`
	Driver      string `yaml:"driver"`
	CipherSuite *int   `yaml:"cipher_suite"`
	// Timeout caps a whole scrape (ipmi_exporter: milliseconds as a bare
	// number; a duration string such as "8s" also works). Default 10s.
	Timeout Duration `yaml:"timeout"`
	// RequestTimeout is the wait for each reply before a retransmission.
	RequestTimeout Duration `yaml:"request_timeout"`
	Retries        *int     `yaml:"retries"`

	Collectors       []string `yaml:"collectors"`
	ExcludeSensorIDs []int64  `yaml:"exclude_sensor_ids"`
	// SELEvents are the sel-events collector's named event patterns.
	SELEvents []SELEvent `yaml:"sel_events"`

	// ipmi_exporter keys that only make sense for its FreeIPMI back end.
	WorkaroundFlags []string            `yaml:"workaround_flags"`
	CollectorCmd    map[string]string   `yaml:"collector_cmd"`
	CustomArgs      map[string][]string `yaml:"custom_args"`

	// secrets are resolved at load time, behind a pointer so that
	// printing a Module (%v, %+v) shows an address, not the bytes.
	secrets *moduleSecrets
	priv    ipmi.Privilege
	v15     bool
}

// SELEvent is one sel_events entry, as in ipmi_exporter: SEL entries
// whose event text matches Regex are counted under Name.
type SELEvent struct {
	Name  string `yaml:"name"`
	Regex string `yaml:"regex"`
	re    *regexp.Regexp
}

type moduleSecrets struct {
	password []byte
	kg       []byte
}

// Collector names, as ipmi_exporter spells them.
const (
	CollectorIPMI      = "ipmi"
	CollectorBMC       = "bmc"
	CollectorChassis   = "chassis"
	CollectorDCMI      = "dcmi"
	CollectorSEL       = "sel"
	CollectorWatchdog  = "bmc-watchdog"
	CollectorSELEvents = "sel-events"
	CollectorSMLANMode = "sm-lan-mode"
)

// DefaultCollectors are ipmi_exporter's defaults.
var DefaultCollectors = []string{CollectorIPMI, CollectorDCMI, CollectorBMC, CollectorChassis}

var knownCollectors = []string{CollectorIPMI, CollectorBMC, CollectorChassis, CollectorDCMI, CollectorSEL, CollectorWatchdog,
	CollectorSELEvents, CollectorSMLANMode}

// Secret is a string that never prints: fmt, %v and YAML output show
// "<secret>", so a config dumped into a log reveals nothing.
type Secret string

func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return "<secret>"
}

// GoString hides the value from %#v too.
func (s Secret) GoString() string { return strconv.Quote(s.String()) }

// MarshalYAML hides the value.
func (s Secret) MarshalYAML() (any, error) { return s.String(), nil }

// Duration reads "10s"-style strings, or a bare number of milliseconds as
// ipmi_exporter's timeout does.
type Duration time.Duration

func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: want a duration", n.Line)
	}
	if ms, err := strconv.ParseInt(n.Value, 10, 64); err == nil {
		*d = Duration(time.Duration(ms) * time.Millisecond)
		return nil
	}
	v, err := time.ParseDuration(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %v", n.Line, err)
	}
	*d = Duration(v)
	return nil
}

// Defaults applied when the file leaves a value unset.
const (
	defaultMaxTargets     = 1000
	defaultSessionIdle    = 5 * time.Minute
	defaultKeepalive      = 20 * time.Second
	defaultTimeoutOffset  = 500 * time.Millisecond
	defaultScrapeTimeout  = 10 * time.Second
	defaultRequestTimeout = time.Second
	defaultRetries        = 2
	maxConfigFile         = 1 << 20
)

// LoadConfig reads and checks a config file. Password files are read
// now, so a missing one fails the load (and a reload keeps the old
// config) instead of failing every scrape.
func LoadConfig(path string) (*Config, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.Size() > maxConfigFile {
		return nil, fmt.Errorf("%s: larger than %d bytes", path, maxConfigFile)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	c, err := ParseConfig(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// ParseConfig parses and checks the YAML text of a config.
func ParseConfig(b []byte) (*Config, error) {
	c := &Config{}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil && !errors.Is(err, io.EOF) { // empty file: defaults
		return nil, err
	}
	if err := c.check(); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Config) check() error {
	if c.MaxTargets == 0 {
		c.MaxTargets = defaultMaxTargets
	}
	if c.MaxTargets < 0 {
		return fmt.Errorf("max_targets must be positive")
	}
	if c.SessionIdle == 0 {
		c.SessionIdle = Duration(defaultSessionIdle)
	}
	if c.Keepalive == 0 {
		c.Keepalive = Duration(defaultKeepalive)
	}
	if c.TimeoutOffset == 0 {
		c.TimeoutOffset = Duration(defaultTimeoutOffset)
	}
	if c.Modules == nil {
		c.Modules = map[string]*Module{}
	}
	if c.Modules["default"] == nil {
		c.Modules["default"] = &Module{}
	}
	for name, m := range c.Modules {
		if m == nil {
			m = &Module{}
			c.Modules[name] = m
		}
		if err := m.check(); err != nil {
			return fmt.Errorf("module %q: %w", name, err)
		}
	}
	return nil
}

func (m *Module) check() error {
	if m.Password != "" && m.Pass != "" {
		return fmt.Errorf("give password or pass, not both")
	}
	pw := string(m.Password)
	if pw == "" {
		pw = string(m.Pass)
	}
	if m.PasswordFile != "" {
		if pw != "" {
			return fmt.Errorf("give password or password_file, not both")
		}
		b, err := os.ReadFile(m.PasswordFile)
		if err != nil {
			return fmt.Errorf("password_file: %w", err)
		}
		pw, _, _ = strings.Cut(string(b), "\n")
		pw = strings.TrimSuffix(pw, "\r")
	}
	m.secrets = &moduleSecrets{password: []byte(pw)}
	if m.KgHex != "" {
		kg, err := parseHex(string(m.KgHex))
		if err != nil || len(kg) > 20 {
			return fmt.Errorf("kg_hex: want up to 20 bytes of hex")
		}
		m.secrets.kg = kg
	}
	m.priv = ipmi.PrivilegeAdmin
	if m.Privilege != "" {
		p, err := ipmi.ParsePrivilege(m.Privilege)
		if err != nil {
			return err
		}
		m.priv = p
	}
	iface := strings.ToLower(m.Interface)
	switch strings.ToUpper(m.Driver) {
	case "":
	case "LAN_2_0":
		if iface == "" {
			iface = "lanplus"
		}
	case "LAN":
		if iface == "" {
			iface = "lan"
		}
	case "OPEN", "KCS":
		if iface == "" {
			iface = "open"
		}
	default:
		return fmt.Errorf("driver %q: use LAN_2_0 or LAN", m.Driver)
	}
	switch iface {
	case "", "lanplus", "open":
	case "lan":
		m.v15 = true
	default:
		return fmt.Errorf("interface %q: use lanplus or lan", m.Interface)
	}
	if max := map[bool]int{false: 20, true: 16}[m.v15]; len(m.secrets.password) > max {
		return fmt.Errorf("the password is %d bytes; at most %d allowed", len(m.secrets.password), max)
	}
	if len(m.User) > 16 {
		return fmt.Errorf("user: at most 16 bytes")
	}
	if m.CipherSuite != nil && (*m.CipherSuite < 0 || *m.CipherSuite > 255) {
		return fmt.Errorf("cipher_suite %d out of range", *m.CipherSuite)
	}
	if m.Timeout < 0 || m.RequestTimeout < 0 || (m.Retries != nil && *m.Retries < 0) {
		return fmt.Errorf("timeouts and retries must not be negative")
	}
	if len(m.Collectors) == 0 {
		m.Collectors = slices.Clone(DefaultCollectors)
	}
	seen := map[string]bool{}
	for _, name := range m.Collectors {
		if !slices.Contains(knownCollectors, name) {
			return fmt.Errorf("collector %q: available are %s", name, strings.Join(knownCollectors, ", "))
		}
		if seen[name] {
			return fmt.Errorf("collector %q listed twice", name)
		}
		seen[name] = true
	}
	for i := range m.SELEvents {
		ev := &m.SELEvents[i]
		re, err := regexp.Compile(ev.Regex)
		if err != nil {
			return fmt.Errorf("sel_events[%d] (name %q): regex %q: %v", i, ev.Name, ev.Regex, err)
		}
		ev.re = re
	}
	return nil
}

// scrapeTimeout is the module's cap on one scrape.
func (m *Module) scrapeTimeout() time.Duration {
	if m.Timeout > 0 {
		return time.Duration(m.Timeout)
	}
	return defaultScrapeTimeout
}

func (m *Module) requestTimeout() time.Duration {
	if m.RequestTimeout > 0 {
		return time.Duration(m.RequestTimeout)
	}
	return defaultRequestTimeout
}

func (m *Module) retries() int {
	if m.Retries != nil {
		return *m.Retries
	}
	return defaultRetries
}

// excluded reports whether a record ID is in exclude_sensor_ids.
func (m *Module) excluded(id uint16) bool {
	return slices.Contains(m.ExcludeSensorIDs, int64(id))
}

func parseHex(s string) ([]byte, error) {
	s = strings.TrimPrefix(strings.TrimPrefix(s, "0x"), "0X")
	if len(s)%2 != 0 {
		return nil, fmt.Errorf("odd length")
	}
	out := make([]byte, len(s)/2)
	for i := range out {
		v, err := strconv.ParseUint(s[2*i:2*i+2], 16, 8)
		if err != nil {
			return nil, err
		}
		out[i] = byte(v)
	}
	return out, nil
}
