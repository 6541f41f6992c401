package rmcp

import (
	"errors"
	"fmt"
	"time"
)

// Sentinel errors; the *AuthError and *TimeoutError values returned by
// Dial and Send match them with errors.Is.
var (
	// ErrBadPassword: the BMC rejected the password or K_g.
	ErrBadPassword = errors.New("wrong password or BMC key (K_g)")
	// ErrUnknownUser: the BMC has no such (enabled) user.
	ErrUnknownUser = errors.New("unknown or disabled user")
	// ErrPrivilegeRefused: the user may not have the requested privilege.
	ErrPrivilegeRefused = errors.New("privilege level refused")
	// ErrCipherSuiteRefused: the BMC does not accept the cipher suite.
	ErrCipherSuiteRefused = errors.New("cipher suite refused")
	// ErrNoSessionSlots: the BMC has no free session.
	ErrNoSessionSlots = errors.New("BMC out of sessions")
	// ErrAuthTypeNotOffered: no acceptable IPMI 1.5 auth type is enabled.
	ErrAuthTypeNotOffered = errors.New("authentication type not offered")
	// ErrInsecure: suite 0 or auth type NONE without AllowInsecure.
	ErrInsecure = errors.New("insecure session refused")
	// ErrNoAcceptableSuite: Dial was to choose the cipher suite, and the
	// BMC offers none with integrity and encryption (*SuiteError).
	ErrNoAcceptableSuite = errors.New("no cipher suite with integrity and encryption")
	// ErrAuthDowngrade: an IPMI 1.5 BMC answered Activate Session with
	// another auth type than the one asked for (NONE, typically): it does
	// not know the password, or something on the path rewrote the answer.
	ErrAuthDowngrade = errors.New("the BMC answered without the agreed authentication")
	// ErrClosed: the session was closed.
	ErrClosed = errors.New("rmcp: session closed")
)

// AuthError is a session setup failure the caller can act on. Kind is
// one of the sentinel errors above; errors.Is(err, ErrBadPassword) works.
type AuthError struct {
	Addr   string
	Step   string // "Open Session", "RAKP 2", "Activate Session", ...
	Kind   error
	Status uint8  // RMCP+ status code or completion code, 0 if none
	Hint   string // what to do about it
}

func (e *AuthError) Error() string {
	s := fmt.Sprintf("%s: %s: %v", e.Addr, e.Step, e.Kind)
	if e.Status != 0 {
		s += fmt.Sprintf(" (status 0x%02x: %s)", e.Status, rakpStatusText(e.Status))
	}
	if e.Hint != "" {
		s += "; " + e.Hint
	}
	return s
}

func (e *AuthError) Unwrap() error { return e.Kind }

// SuiteError reports that the BMC offers no cipher suite Dial may choose
// by itself (one with integrity and encryption: 17, 3, 8 or 12). Offered
// is the BMC's list; the caller may name one of them (Config.CipherSuite,
// plus AllowInsecure for one without integrity). errors.Is(err,
// ErrNoAcceptableSuite) and errors.Is(err, ErrCipherSuiteRefused) hold.
type SuiteError struct {
	Addr    string
	Offered []int // the BMC's standard (non-OEM) suites, in its order
}

func (e *SuiteError) Error() string {
	if len(e.Offered) == 0 {
		return fmt.Sprintf("%s: the BMC refuses cipher suites 17 and 3 and lists no others; name one it supports with -C N", e.Addr)
	}
	var usable, insecure []int
	for _, id := range e.Offered {
		cs, ok := cipherSuites[uint8(id)]
		if !ok || !cs.supported() {
			continue
		}
		usable = append(usable, id)
		if cs.Integrity == IntegrityNone {
			insecure = append(insecure, id)
		}
	}
	s := fmt.Sprintf("%s: the BMC offers cipher suite%s %s; none has integrity and encryption",
		e.Addr, plural(len(e.Offered)), joinInts(e.Offered))
	switch {
	case len(usable) == 0:
		return s + "; ipmictl implements none of them"
	case len(insecure) == 0:
		return s + "; choose one with -C N"
	}
	return s + fmt.Sprintf("; choose one with -C N (suite%s %s also need%s --insecure: without integrity anyone on the path can forge commands)",
		plural(len(insecure)), joinInts(insecure), map[bool]string{true: "s"}[len(insecure) == 1])
}

// Unwrap makes errors.Is match ErrNoAcceptableSuite and ErrCipherSuiteRefused.
func (e *SuiteError) Unwrap() []error { return []error{ErrNoAcceptableSuite, ErrCipherSuiteRefused} }

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func joinInts(v []int) string {
	var b []byte
	for i, n := range v {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = fmt.Append(b, n)
	}
	return string(b)
}

// TimeoutError reports that the BMC did not answer after every try.
type TimeoutError struct {
	Addr   string
	Op     string
	Tries  int
	PerTry time.Duration // wait for each try
}

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("%s: no answer to %s after %d tries (%v each); check the address, port, that IPMI over LAN is enabled, and the cipher suite (-C)",
		e.Addr, e.Op, e.Tries, e.PerTry)
}

// Timeout reports true, as net.Error does.
func (e *TimeoutError) Timeout() bool   { return true }
func (e *TimeoutError) Temporary() bool { return true }

// RMCP+ status codes (IPMI v2.0 table 13-15).
var rakpStatus = [...]string{
	0x00: "no errors",
	0x01: "insufficient resources to create a session",
	0x02: "invalid session ID",
	0x03: "invalid payload type",
	0x04: "invalid authentication algorithm",
	0x05: "invalid integrity algorithm",
	0x06: "no matching authentication payload",
	0x07: "no matching integrity payload",
	0x08: "inactive session ID",
	0x09: "invalid role",
	0x0A: "unauthorized role or privilege level requested",
	0x0B: "insufficient resources to create a session at the requested role",
	0x0C: "invalid name length",
	0x0D: "unauthorized name",
	0x0E: "unauthorized GUID",
	0x0F: "invalid integrity check value",
	0x10: "invalid confidentiality algorithm",
	0x11: "no cipher suite match with proposed security algorithms",
	0x12: "illegal or unrecognized parameter",
}

func rakpStatusText(s uint8) string {
	if int(s) < len(rakpStatus) {
		return rakpStatus[s]
	}
	return "unknown status"
}

// rakpStatusError maps an RMCP+ status code from Open Session or RAKP to
// an AuthError.
func rakpStatusError(addr, step string, status uint8) *AuthError {
	e := &AuthError{Addr: addr, Step: step, Status: status}
	switch status {
	case 0x01, 0x0B:
		e.Kind, e.Hint = ErrNoSessionSlots, "close idle sessions or wait for them to time out"
	case 0x04, 0x05, 0x06, 0x07, 0x10, 0x11:
		e.Kind, e.Hint = ErrCipherSuiteRefused, "choose another cipher suite (-C); ipmictl lists the BMC's with 'channel getciphers'"
	case 0x09, 0x0A:
		e.Kind, e.Hint = ErrPrivilegeRefused, "request a lower privilege level (-L)"
	case 0x0D:
		e.Kind, e.Hint = ErrUnknownUser, "check the user name (-U); the user must exist and be enabled for LAN access"
	case 0x0E, 0x0F:
		e.Kind, e.Hint = ErrBadPassword, "check the password (-P) and BMC key (-k)"
	case 0x02, 0x03:
		// Open Session rejects unknown algorithm payloads this way too.
		e.Kind, e.Hint = ErrCipherSuiteRefused, "choose another cipher suite (-C)"
	default:
		e.Kind = fmt.Errorf("session setup rejected")
	}
	return e
}
