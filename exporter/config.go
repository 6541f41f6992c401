package exporter

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/ipmictl/ipmictl/internal/yamlcheck"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/rmcp"
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

	warnings []string
	// MaxNewTargets bounds the targets kept while not yet logged in to
	// (a login in progress or failed), apart from MaxTargets, so that
	// names that lead nowhere cannot push working sessions out of the
	// pool. Default 64.
	MaxNewTargets int `yaml:"max_new_targets"`
	// HTTPHostNames are the names (besides the listen address, localhost
	// on loopback and the machine's host name) that clients may use in
	// the HTTP Host and Origin headers. "*" turns the check off.
	HTTPHostNames []string `yaml:"http_host_names"`
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
	// AuthType is IPMI 1.5's (interface lan): none, password, md2, md5;
	// default: the BMC's best.
	AuthType string `yaml:"auth_type"`
	// Insecure permits what sends the password or the session in the
	// clear or unauthenticated: cipher suites without integrity (0, 1, 6,
	// 15), IPMI 1.5 auth types none and password.
	Insecure bool `yaml:"insecure"`
	// Targets is the allowlist of BMCs the module's credentials may be
	// sent to: names, host ranges, addresses, CIDRs, each with an
	// optional :port (623 otherwise). Absent: any target (ipmi_exporter's
	// behaviour, with a warning at load).
	Targets []string `yaml:"targets"`
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
	secrets  *moduleSecrets
	priv     ipmi.Privilege
	v15      bool
	authType int         // rmcp's number; -1: negotiate
	allow    *targetList // nil: any target
	line     int         // where the module starts in the file
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

// ConfigError is a problem in the config file, said in the file's terms
// (its keys, its line numbers), never in Go's.
type ConfigError = yamlcheck.Error

// schema checks the file's keys and values before the decoder sees them,
// so that decoding a tree that passes cannot fail with a Go type name in
// its message.
var schema = yamlcheck.Options{
	In: "the config",
	Entry: func(mapName, key string) string {
		if mapName == "modules" {
			return fmt.Sprintf("module %q", key)
		}
		return ""
	},
	Scalars: map[reflect.Type]yamlcheck.Scalar{
		reflect.TypeOf(Duration(0)): {
			Want:  "a duration such as 10s or 500ms (a bare number is milliseconds)",
			Valid: validDuration,
		},
	},
}

// validDuration says whether Duration.UnmarshalYAML takes s.
func validDuration(s string) bool {
	if _, err := strconv.ParseInt(s, 10, 64); err == nil {
		return true
	}
	_, err := time.ParseDuration(s)
	return err == nil
}

// Defaults applied when the file leaves a value unset.
const (
	defaultMaxTargets     = 1000
	defaultMaxNewTargets  = 64
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
// config) instead of failing every scrape. Errors name the file and the
// line: "exporter.yaml line 7: unknown key ...".
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
		var ce *ConfigError
		if errors.As(err, &ce) && ce.Line > 0 {
			return nil, fmt.Errorf("%s line %d: %s", path, ce.Line, ce.Msg)
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// ParseConfig parses and checks the YAML text of a config. Its errors
// are *ConfigError, in the file's words.
func ParseConfig(b []byte) (*Config, error) {
	c := &Config{}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, yamlcheck.SyntaxError(err)
	}
	if err := yamlcheck.CheckNode(&doc, reflect.TypeOf(Config{}), schema); err != nil {
		return nil, err
	}
	lines := map[string]int{}
	if len(doc.Content) > 0 {
		if err := doc.Decode(c); err != nil {
			// the schema check lets nothing through that fails here; should
			// it, say so without the decoder's Go words.
			return nil, &ConfigError{Msg: "a value does not fit its key"}
		}
		lines = keyLines(doc.Content[0])
	}
	if err := c.check(lines); err != nil {
		return nil, err
	}
	return c, nil
}

// keyLines returns the line of each top-level key and of each module
// ("modules.NAME").
func keyLines(n *yaml.Node) map[string]int {
	out := map[string]int{}
	if n.Kind != yaml.MappingNode {
		return out
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		out[k.Value] = k.Line
		if k.Value == "modules" && v.Kind == yaml.MappingNode {
			for j := 0; j+1 < len(v.Content); j += 2 {
				name, mod := v.Content[j].Value, v.Content[j+1]
				out["modules."+name] = v.Content[j].Line
				if mod.Kind == yaml.MappingNode {
					for k := 0; k+1 < len(mod.Content); k += 2 {
						out["modules."+name+"."+mod.Content[k].Value] = mod.Content[k].Line
					}
				}
			}
		}
	}
	return out
}

// Warnings are what the config allows that an operator should know
// about: modules that send their credentials to any target.
func (c *Config) Warnings() []string { return c.warnings }

func (c *Config) check(lines map[string]int) error {
	at := func(key string, format string, args ...any) error {
		return &ConfigError{Line: lines[key], Msg: fmt.Sprintf(format, args...)}
	}
	if c.MaxTargets == 0 {
		c.MaxTargets = defaultMaxTargets
	}
	if c.MaxTargets < 0 {
		return at("max_targets", "max_targets must be positive")
	}
	if c.MaxNewTargets == 0 {
		c.MaxNewTargets = defaultMaxNewTargets
	}
	if c.MaxNewTargets < 0 {
		return at("max_new_targets", "max_new_targets must be positive")
	}
	for i, h := range c.HTTPHostNames {
		if h == "" || hasControl(h) || strings.ContainsAny(h, "/ ") {
			return at("http_host_names", "http_host_names[%d] %q: want a host name or address", i, h)
		}
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
	for _, name := range moduleNames(c) {
		m := c.Modules[name]
		if m == nil {
			m = &Module{}
			c.Modules[name] = m
		}
		m.line = lines["modules."+name]
		if err := m.check(); err != nil {
			line := m.line
			if l, ok := lines["modules."+name+"."+errorKey(err)]; ok {
				line = l
			}
			return &ConfigError{Line: line, Msg: fmt.Sprintf("module %q: %v", name, err)}
		}
		if m.allow == nil && (m.User != "" || len(m.secrets.password) > 0) {
			c.warnings = append(c.warnings, fmt.Sprintf("module %q has no targets list: it sends its credentials to any BMC a client names; list them (targets: [...]) to refuse the rest", name))
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
			return fmt.Errorf("privilege: %v", err)
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
	if m.CipherSuite != nil {
		cs := *m.CipherSuite
		if !slices.Contains(rmcp.SupportedCipherSuites(), cs) {
			return fmt.Errorf("cipher_suite %d is not one ipmictl speaks (%s)", cs, joinInts(rmcp.SupportedCipherSuites()))
		}
		if m.v15 {
			return fmt.Errorf("cipher_suite is for interface lanplus (IPMI 2.0); for lan (IPMI 1.5) see auth_type")
		}
		if !slices.Contains(suitesWithIntegrity, cs) && !m.Insecure {
			what := "has no integrity check: anyone on the network path can read and change what the BMC answers"
			if cs == 0 {
				what = "has no authentication, integrity or encryption: the BMC takes any password and anyone on the network path can read and change the session"
			}
			return fmt.Errorf("cipher_suite %d %s; add insecure: true to the module to use it anyway", cs, what)
		}
	}
	m.authType = -1
	if m.AuthType != "" {
		if !m.v15 {
			return fmt.Errorf("auth_type is for interface lan (IPMI 1.5); lanplus uses cipher_suite")
		}
		t, ok := authTypes[strings.ToLower(m.AuthType)]
		if !ok {
			return fmt.Errorf("auth_type %q: use md5, md2, password or none", m.AuthType)
		}
		if (t == rmcp.AuthTypeNone || t == rmcp.AuthTypePassword) && !m.Insecure {
			what := "sends the password in the clear in every packet"
			if t == rmcp.AuthTypeNone {
				what = "sends every packet unauthenticated: anyone on the network path can read and change the session"
			}
			return fmt.Errorf("auth_type %s %s; add insecure: true to the module to use it anyway", strings.ToLower(m.AuthType), what)
		}
		m.authType = t
	}
	if m.Targets != nil {
		l, err := parseTargetList(m.Targets)
		if err != nil {
			return err
		}
		m.allow = l
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

// errorKey guesses the module key a check error is about from its first
// word ("cipher_suite 0 ...", "targets[1] ...", "collector ..."), to
// point at that key's line.
func errorKey(err error) string {
	msg := err.Error()
	end := strings.IndexAny(msg, " [:")
	if end < 0 {
		return ""
	}
	switch k := msg[:end]; k {
	case "collector":
		return "collectors"
	case "the":
		if strings.HasPrefix(msg, "the password") {
			return "password"
		}
		return ""
	default:
		return k
	}
}

// suitesWithIntegrity are the RMCP+ cipher suites whose packets carry an
// integrity code (IPMI v2.0 table 22-20): the others need insecure.
var suitesWithIntegrity = []int{2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 16, 17, 18, 19}

var authTypes = map[string]int{
	"none": rmcp.AuthTypeNone, "md2": rmcp.AuthTypeMD2, "md5": rmcp.AuthTypeMD5,
	"password": rmcp.AuthTypePassword, "straight_password": rmcp.AuthTypePassword,
}

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ", ")
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
