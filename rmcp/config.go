package rmcp

import (
	"fmt"
	"time"

	"github.com/ipmictl/ipmictl/ipmi"
)

// Version selects the session protocol.
type Version int

const (
	// V20 is IPMI v2.0 RMCP+ (ipmitool -I lanplus). The default.
	V20 Version = iota
	// V15 is IPMI v1.5 (ipmitool -I lan).
	V15
)

func (v Version) String() string {
	if v == V15 {
		return "lan"
	}
	return "lanplus"
}

// Config says how to reach and log in to a BMC. NewConfig returns one
// with every "choose for me" default set.
type Config struct {
	Addr        string         // "host:port" (IPv6 "[::1]:623"); the port defaults to 623
	Version     Version        // V20 (default, "lanplus") or V15 ("lan")
	Username    string         // up to 16 bytes
	Password    []byte         // up to 20 bytes (16 for IPMI 1.5)
	Kg          []byte         // BMC key K_g, up to 20 bytes; nil = use the password
	Privilege   ipmi.Privilege // requested; 0 = Admin
	RoleLookup  bool           // RAKP name+role lookup instead of name-only
	CipherSuite int            // -1 = choose the strongest the BMC offers
	// SuiteHint, when CipherSuite is -1, is a suite that worked with this
	// BMC before: it is proposed first, without reading the BMC's suite
	// list. Only a suite Dial would choose itself (integrity and
	// encryption: 17, 3, 8, 12) is taken; any other hint is ignored, so a
	// tampered hint cannot downgrade the session. 0 or negative: none.
	SuiteHint int
	// Suites, when set and CipherSuite is -1, remembers the suite per BMC
	// and user: Dial takes its hint from it (unless SuiteHint is set) and
	// records the suite it ended up with. NewSuiteFile keeps it on disk,
	// shared by every program of the user; NewSuiteMap in memory.
	Suites SuiteMemory
	// AuthType is the IPMI 1.5 auth type: -1 = choose (MD5, else MD2).
	// PASSWORD (clear text) is used only when named here; NONE only when
	// named here and AllowInsecure is set.
	AuthType int
	// AllowInsecure permits what sends no authentication or integrity:
	// cipher suites without integrity (0, 1, 6, 15) and auth type NONE,
	// when named in CipherSuite or AuthType. Dial never chooses those
	// itself, whatever this says.
	AllowInsecure bool
	Timeout       time.Duration // per try; 0 = 1 s (lanplus) or 2 s (lan)
	Retries       int           // retransmissions after the first try; 0 = 4, negative = none
	// Logf, when set, receives a verbose trace. It never sees the
	// password, K_g, the SIK or the RAKP auth codes.
	Logf func(format string, args ...any)
}

// NewConfig returns a Config for addr with the defaults: RMCP+, Admin,
// cipher suite and auth type chosen by negotiation.
func NewConfig(addr string) *Config {
	return &Config{Addr: addr, Version: V20, Privilege: ipmi.PrivilegeAdmin, CipherSuite: -1, AuthType: -1}
}

// Defaults for retransmission.
const (
	defaultTimeout20 = time.Second
	defaultTimeout15 = 2 * time.Second
	defaultRetries   = 4
	maxInFlight      = 4               // BMCs buffer only a few requests
	closeBudget      = 2 * time.Second // the longest Close may take
)

// closeRetries is the retransmission policy of Close Session: the
// session's (-R/-N), each try at most a quarter of closeBudget, and as
// many tries as fit in the budget, at least two. A BMC answers Close
// Session at once; a retransmission that finds the session already
// closed is ignored, so extra tries cost nothing but time.
func closeRetries(st settings) (perTry time.Duration, tries int) {
	perTry = min(st.timeout, closeBudget/4)
	tries = min(st.tries, int(closeBudget/perTry))
	return perTry, max(tries, 2)
}

// settings are the resolved values a session runs with.
type settings struct {
	addr    string
	timeout time.Duration
	tries   int
	priv    ipmi.Privilege
	logf    func(string, ...any)
}

func (c *Config) resolve() (settings, error) {
	st := settings{addr: withDefaultPort(c.Addr), timeout: c.Timeout, tries: 1 + c.Retries, priv: c.Privilege, logf: c.Logf}
	if c.Addr == "" {
		return st, fmt.Errorf("rmcp: no BMC address")
	}
	if st.timeout <= 0 {
		st.timeout = defaultTimeout20
		if c.Version == V15 {
			st.timeout = defaultTimeout15
		}
	}
	switch {
	case c.Retries == 0:
		st.tries = 1 + defaultRetries
	case c.Retries < 0:
		st.tries = 1
	}
	if st.priv == 0 {
		st.priv = ipmi.PrivilegeAdmin
	}
	if st.priv > ipmi.PrivilegeOEM {
		return st, fmt.Errorf("rmcp: privilege %s cannot be requested", st.priv)
	}
	if st.logf == nil {
		st.logf = func(string, ...any) {}
	}
	if len(c.Username) > 16 {
		return st, fmt.Errorf("rmcp: user name is %d bytes, IPMI allows 16", len(c.Username))
	}
	maxPw := 20
	if c.Version == V15 {
		maxPw = 16
	}
	if len(c.Password) > maxPw {
		return st, fmt.Errorf("rmcp: password is %d bytes, %s allows %d", len(c.Password), c.Version, maxPw)
	}
	if len(c.Kg) > 20 {
		return st, fmt.Errorf("rmcp: K_g is %d bytes, IPMI allows 20", len(c.Kg))
	}
	return st, nil
}
