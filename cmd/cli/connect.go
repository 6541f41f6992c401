package cli

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/rmcp"
)

// openTransport connects to the BMC the global options name.
func openTransport(ctx context.Context, f *Factory) (ipmi.Transport, error) {
	o := f.Opts
	iface := strings.ToLower(o.Interface)
	if iface == "" {
		iface = "lanplus"
		if o.Host == "" {
			iface = "open"
		}
	}
	var (
		t   ipmi.Transport
		err error
	)
	switch iface {
	case "lanplus", "lan":
		t, err = openLAN(ctx, o, f.IO, iface == "lan")
	case "open":
		t, err = openInband(ctx, o)
	case "kcs":
		t, err = openKCS(ctx, o)
	default:
		return nil, UsageErrorf("unknown interface %q: use lanplus, lan, open or kcs", o.Interface)
	}
	if err != nil {
		return nil, err
	}
	return withBridging(t, o)
}

// LANTarget turns -H and -p into "host:port" (rmcp.Address: host,
// host:port, [v6]:port and bare IPv6 literals with %zone).
func LANTarget(host string, port int) (string, error) {
	addr, err := rmcp.Address(host, port)
	var ae *rmcp.AddressError
	switch {
	case errors.Is(err, rmcp.ErrNoBMC):
		return "", UsageErrorf("no BMC given: use -H HOST (or -I open for the local BMC)")
	case errors.As(err, &ae):
		return "", UsageErrorf("-H %s -p %d: %s", strconv.Quote(host), port, ae.Msg)
	}
	return addr, err
}

// parsePrivilege handles ipmitool's "-L NAME+" form: the + asks for RAKP
// role (name+privilege) lookup instead of name-only lookup.
func parsePrivilege(s string) (ipmi.Privilege, bool, error) {
	role := strings.HasSuffix(s, "+")
	p, err := ipmi.ParsePrivilege(strings.TrimSuffix(s, "+"))
	if err != nil {
		return 0, false, UsageErrorf("-L: %v", err)
	}
	return p, role, nil
}

// LANTimeout is the per-try timeout: -N, else ipmitool's defaults.
func LANTimeout(o *GlobalOptions, v15 bool) time.Duration {
	if o.Timeout > 0 {
		return time.Duration(o.Timeout) * time.Second
	}
	if v15 {
		return 2 * time.Second
	}
	return time.Second
}

// VerboseLogf returns a tracer for -v, or nil.
func VerboseLogf(o *GlobalOptions, ios *IOStreams) func(string, ...any) {
	if o.Verbose == 0 {
		return nil
	}
	return func(format string, a ...any) {
		fmt.Fprintf(ios.ErrOut, "ipmictl: "+format+"\n", a...)
	}
}

// parseIPMBAddr parses -t/-T style addresses: 0x82, 82h or decimal.
func parseByteArg(flag, s string) (uint8, error) {
	s = strings.TrimSpace(s)
	base := 0
	if strings.HasSuffix(strings.ToLower(s), "h") {
		s, base = s[:len(s)-1], 16
	}
	n, err := strconv.ParseUint(s, base, 8)
	if err != nil {
		return 0, UsageErrorf("%s %q: want a byte such as 0x82", flag, s)
	}
	return uint8(n), nil
}

// withBridging wraps t so every request goes to the -t/-b (and -T/-B)
// target, as ipmitool does.
func withBridging(t ipmi.Transport, o *GlobalOptions) (ipmi.Transport, error) {
	if o.TargetAddr == "" {
		if o.TargetChan != "" || o.TransitAddr != "" || o.TransitChan != "" {
			t.Close()
			return nil, UsageErrorf("-b, -T and -B need -t TARGET")
		}
		return t, nil
	}
	target := &ipmi.Address{}
	var err error
	if target.Addr, err = parseByteArg("-t", o.TargetAddr); err != nil {
		t.Close()
		return nil, err
	}
	if o.TargetChan != "" {
		if target.Channel, err = parseByteArg("-b", o.TargetChan); err != nil {
			t.Close()
			return nil, err
		}
	}
	var transit *ipmi.Address
	if o.TransitAddr != "" {
		transit = &ipmi.Address{}
		if transit.Addr, err = parseByteArg("-T", o.TransitAddr); err != nil {
			t.Close()
			return nil, err
		}
		if o.TransitChan != "" {
			if transit.Channel, err = parseByteArg("-B", o.TransitChan); err != nil {
				t.Close()
				return nil, err
			}
		}
	}
	return ipmi.Bridged(t, target, transit), nil
}

// warnInsecure tells the user, once, that a session is unauthenticated.
func warnInsecure(ios *IOStreams, what string) {
	fmt.Fprintf(ios.ErrOut, "ipmictl: warning: %s: anyone on the network can read and forge this session\n", what)
}
