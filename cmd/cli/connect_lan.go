package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/rmcp"
)

// openLAN opens an RMCP+ (lanplus) or IPMI 1.5 (lan) session.
func openLAN(ctx context.Context, o *GlobalOptions, ios *IOStreams, v15 bool) (ipmi.Transport, error) {
	addr, err := LANTarget(o.Host, o.Port)
	if err != nil {
		return nil, err
	}
	priv, role, err := parsePrivilege(o.Privilege)
	if err != nil {
		return nil, err
	}
	authType, err := parseAuthType(o.AuthType)
	if err != nil {
		return nil, err
	}
	// What sends no authentication or integrity was refused up front
	// without --insecure (checkInsecure); check again for callers that
	// open without the root's checks.
	if err := checkInsecure(o); err != nil {
		return nil, err
	}
	pw, err := resolvePassword(ctx, o, ios)
	if err != nil {
		return nil, err
	}
	max := 20
	if v15 {
		max = 16
	}
	if len(pw) > max {
		return nil, UsageErrorf("the password is %d bytes; %s allows at most %d", len(pw), map[bool]string{true: "IPMI 1.5 (-I lan)", false: "IPMI 2.0"}[v15], max)
	}
	kg, err := resolveKg(o, ios)
	if err != nil {
		return nil, err
	}
	cfg := rmcp.NewConfig(addr)
	if v15 {
		cfg.Version = rmcp.V15
	}
	cfg.Username = o.Username
	cfg.Password = pw
	cfg.Kg = kg
	cfg.Privilege = priv
	cfg.RoleLookup = role
	cfg.CipherSuite = o.CipherSuite
	if dir := rmcp.DefaultSuiteDir(); !v15 && o.CipherSuite < 0 && dir != "" {
		cfg.Suites = rmcp.NewSuiteFile(dir) // Dial recalls and records the suite
	}
	cfg.AuthType = authType
	cfg.AllowInsecure = o.Insecure
	cfg.Timeout = LANTimeout(o, v15)
	cfg.Retries = o.Retries
	if o.Retries == 0 {
		cfg.Retries = -1 // -R 0: no retransmissions
	}
	cfg.Logf = VerboseLogf(o, ios)
	s, err := rmcp.Dial(ctx, cfg)
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return nil, err
		}
		return nil, &ConnectionError{Err: err}
	}
	if o.Insecure && !s.Authenticated() {
		warnInsecure(ios, fmt.Sprintf("unauthenticated session to %s", addr))
	}
	return s, nil
}

// parseAuthType maps -A names to IPMI 1.5 auth types; "" chooses.
func parseAuthType(s string) (int, error) {
	switch strings.ToUpper(s) {
	case "":
		return -1, nil
	case "NONE":
		return rmcp.AuthTypeNone, nil
	case "MD2":
		return rmcp.AuthTypeMD2, nil
	case "MD5":
		return rmcp.AuthTypeMD5, nil
	case "PASSWORD", "STRAIGHT", "STRAIGHT_PASSWORD_KEY":
		return rmcp.AuthTypePassword, nil
	}
	return 0, UsageErrorf("-A %q: use MD5, MD2, PASSWORD or NONE", s)
}
