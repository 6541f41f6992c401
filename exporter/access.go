package exporter

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"unicode"

	"github.com/ipmictl/ipmictl/internal/hostlist"
)

// targetList is a module's targets allowlist: the BMCs its credentials
// may be sent to. A target is allowed when its host is one of the names
// (host ranges expanded), an address, or inside a CIDR of an entry, and
// its port is the entry's (623 when the entry gives none). Names are
// matched as written (case-insensitively, a trailing dot ignored), never
// resolved: a name entry allows that name, an address entry that address.
type targetList struct {
	names    map[string]map[uint16]bool // lower-case name → ports
	prefixes []portPrefix
}

type portPrefix struct {
	prefix netip.Prefix
	port   uint16
}

const defaultIPMIPort = 623

// parseTargetList reads the entries of a module's targets key.
func parseTargetList(entries []string) (*targetList, error) {
	l := &targetList{names: map[string]map[uint16]bool{}}
	total := 0
	for i, raw := range entries {
		e := strings.TrimSpace(raw)
		if e == "" {
			return nil, fmt.Errorf("targets[%d] is empty", i)
		}
		if hasControl(e) {
			return nil, fmt.Errorf("targets[%d] %q holds a control character", i, e)
		}
		host, port, err := splitEntry(e)
		if err != nil {
			return nil, fmt.Errorf("targets[%d] %q: %v", i, e, err)
		}
		if p, err := netip.ParsePrefix(host); err == nil {
			l.prefixes = append(l.prefixes, portPrefix{p.Masked(), port})
			continue
		}
		if a, err := netip.ParseAddr(host); err == nil {
			a = a.Unmap()
			l.prefixes = append(l.prefixes, portPrefix{netip.PrefixFrom(a, a.BitLen()), port})
			continue
		}
		if strings.Contains(host, "/") {
			return nil, fmt.Errorf("targets[%d] %q: not a CIDR such as 10.0.0.0/24", i, e)
		}
		names, err := hostlist.Expand(host)
		if err != nil {
			return nil, fmt.Errorf("targets[%d] %q: %v", i, e, err)
		}
		total += len(names)
		if total > hostlist.MaxHosts {
			return nil, fmt.Errorf("targets: the host ranges name more than %d hosts; use CIDRs", hostlist.MaxHosts)
		}
		for _, n := range names {
			if strings.ContainsAny(n, "[]*?") {
				return nil, fmt.Errorf("targets[%d] %q: %q is not a host name", i, e, n)
			}
			k := canonicalName(n)
			if l.names[k] == nil {
				l.names[k] = map[uint16]bool{}
			}
			l.names[k][port] = true
		}
	}
	return l, nil
}

// splitEntry splits an allowlist entry into host (name, range, address
// or CIDR) and port. A bare IPv6 address or CIDR has no port; with a
// port it is written [addr]:port or [cidr]:port.
func splitEntry(e string) (string, uint16, error) {
	if strings.HasPrefix(e, "[") {
		end := strings.LastIndex(e, "]")
		if end > 0 && strings.ContainsRune(e[1:end], ':') { // [v6] or [v6]:port
			host, rest := e[1:end], e[end+1:]
			if rest == "" {
				return host, defaultIPMIPort, nil
			}
			p, ok := strings.CutPrefix(rest, ":")
			if !ok {
				return "", 0, errors.New("want [address]:port")
			}
			n, err := parsePort(p)
			return host, n, err
		}
	}
	if strings.Count(e, ":") > 1 { // bare IPv6 address or CIDR
		return e, defaultIPMIPort, nil
	}
	host, p, found := strings.Cut(e, ":")
	if !found {
		return e, defaultIPMIPort, nil
	}
	if host == "" {
		return "", 0, errors.New("no host before the port")
	}
	n, err := parsePort(p)
	return host, n, err
}

func parsePort(s string) (uint16, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 65535 {
		return 0, fmt.Errorf("port %q: want 1-65535", s)
	}
	return uint16(n), nil
}

func canonicalName(n string) string { return strings.ToLower(strings.TrimSuffix(n, ".")) }

// allows reports whether addr (host:port, as normalizeTarget returns)
// is on the list.
func (l *targetList) allows(addr string) bool {
	host, p, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	port, err := parsePort(p)
	if err != nil {
		return false
	}
	if a, err := netip.ParseAddr(host); err == nil {
		if a.Zone() != "" {
			return false // link-local with a zone: only by name, never by CIDR
		}
		a = a.Unmap()
		for _, pp := range l.prefixes {
			if pp.port == port && pp.prefix.Contains(a) {
				return true
			}
		}
		return false
	}
	return l.names[canonicalName(host)][port]
}

// hasControl reports a control character (newline, escape, DEL ...) in s.
func hasControl(s string) bool {
	return strings.IndexFunc(s, unicode.IsControl) >= 0
}

// errTargetNotAllowed is a target outside the module's targets list.
type errTargetNotAllowed struct{ target, module string }

func (e errTargetNotAllowed) Error() string {
	return fmt.Sprintf("target %q is not in the targets list of module %q", e.target, e.module)
}

// IsTargetNotAllowed reports a scrape refused by a module's allowlist.
func IsTargetNotAllowed(err error) bool {
	var t errTargetNotAllowed
	return errors.As(err, &t)
}
