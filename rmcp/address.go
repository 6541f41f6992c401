package rmcp

import (
	"errors"
	"net"
	"strconv"
	"strings"
)

// ErrNoBMC is returned by Address for an empty name.
var ErrNoBMC = errors.New("no BMC given")

// AddressError says why a BMC name is not a usable address.
type AddressError struct {
	Name string // as given
	Msg  string
}

func (e *AddressError) Error() string { return "BMC address " + strconv.Quote(e.Name) + ": " + e.Msg }

// Address turns the ways people name a BMC — host, host:port, [v6addr]:port,
// [v6addr], or a bare IPv6 literal with an optional %zone — into the
// "host:port" that Dial and Ping take, with port when the name has none.
// The CLI, the exporter and the presence ping all go through it, so a
// name means the same BMC everywhere.
func Address(name string, port int) (string, error) {
	if name == "" {
		return "", ErrNoBMC
	}
	if strings.ContainsFunc(name, func(r rune) bool { return r < ' ' || r == 0x7f }) {
		return "", &AddressError{Name: name, Msg: "it holds a control character"}
	}
	if h, p, err := net.SplitHostPort(name); err == nil {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return "", &AddressError{Name: name, Msg: "the port must be 1-65535"}
		}
		if h == "" {
			return "", &AddressError{Name: name, Msg: "no host before the port"}
		}
		return net.JoinHostPort(h, strconv.Itoa(n)), nil
	}
	h := name
	if len(h) > 1 && h[0] == '[' && h[len(h)-1] == ']' {
		h = h[1 : len(h)-1]
	}
	if h == "" || strings.ContainsAny(h, "[]") {
		return "", &AddressError{Name: name, Msg: "not a host name or address"}
	}
	if port < 1 || port > 65535 {
		return "", &AddressError{Name: name, Msg: "the port " + strconv.Itoa(port) + " is not 1-65535"}
	}
	return net.JoinHostPort(h, strconv.Itoa(port)), nil
}
