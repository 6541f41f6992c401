package auditcmd

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/cmd/lancmd"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/rmcp"
	"github.com/spf13/cobra"
)

// Severities, most severe first.
const (
	AuditCritical = "critical"
	auditHigh     = "high"
	auditMedium   = "medium"
	auditLow      = "low"
)

var auditSeverityRank = map[string]int{AuditCritical: 0, auditHigh: 1, auditMedium: 2, auditLow: 3}

// auditFinding is one weakness, with what it risks and how to fix it.
type auditFinding struct {
	ID       string   `json:"id"`
	Severity string   `json:"severity"`
	Title    string   `json:"title"`
	Detail   string   `json:"detail,omitempty"`
	Risk     string   `json:"risk"`
	Fix      []string `json:"fix"` // ipmictl commands (add your connection options)
}

// auditSkip is a check that could not run.
type auditSkip struct {
	Check  string `json:"check"`
	Reason string `json:"reason"`
}

// auditReport is the result of "audit".
type auditReport struct {
	Channel  uint8          `json:"channel"`
	Findings []auditFinding `json:"findings"`
	Skipped  []auditSkip    `json:"skipped"`
	Critical int            `json:"critical"`
}

func (r *auditReport) WriteText(w io.Writer) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "IPMI security audit of LAN channel %d\n\n", r.Channel)
	if len(r.Findings) == 0 {
		b.WriteString("No weaknesses found.\n")
	}
	for _, f := range r.Findings {
		fmt.Fprintf(&b, "[%s] %s\n", strings.ToUpper(f.Severity), f.Title)
		if f.Detail != "" {
			fmt.Fprintf(&b, "    found: %s\n", f.Detail)
		}
		fmt.Fprintf(&b, "    risk:  %s\n", f.Risk)
		for i, fix := range f.Fix {
			label := "fix:  "
			if i > 0 {
				label = "      "
			}
			fmt.Fprintf(&b, "    %s %s\n", label, fix)
		}
		b.WriteString("\n")
	}
	for _, s := range r.Skipped {
		fmt.Fprintf(&b, "not checked: %s: %s\n", s.Check, s.Reason)
	}
	counts := map[string]int{}
	for _, f := range r.Findings {
		counts[f.Severity]++
	}
	fmt.Fprintf(&b, "%d finding(s): %d critical, %d high, %d medium, %d low", len(r.Findings),
		counts[AuditCritical], counts[auditHigh], counts[auditMedium], counts[auditLow])
	if len(r.Findings) > 0 {
		b.WriteString(" (run the fix commands with the same connection options)")
	}
	b.WriteString("\n")
	_, err := w.Write(b.Bytes())
	return err
}

func (r *auditReport) Columns() []string {
	return []string{"id", "severity", "title", "detail", "fix"}
}

func (r *auditReport) Rows() [][]string {
	var rows [][]string
	for _, f := range r.Findings {
		rows = append(rows, []string{f.ID, f.Severity, f.Title, f.Detail, strings.Join(f.Fix, "; ")})
	}
	return rows
}

// auditSuite0Probe opens a cipher suite 0 session without a password; it
// is a variable so tests can observe or replace it.
var AuditSuite0Probe = auditDialSuite0

// auditDialSuite0 tries an RMCP+ session with cipher suite 0 (no
// authentication) for user at privilege priv, sending no password. A
// BMC that accepts it lets anyone who knows a user name in.
func auditDialSuite0(ctx context.Context, addr, user string, priv ipmi.Privilege) error {
	cfg := rmcp.NewConfig(addr)
	cfg.Username = user
	cfg.Password = nil
	cfg.CipherSuite = 0
	cfg.AllowInsecure = true
	cfg.Privilege = priv
	cfg.Timeout = time.Second
	cfg.Retries = 1
	s, err := rmcp.Dial(ctx, cfg)
	if err != nil {
		return err
	}
	return s.Close()
}

type auditOptions struct {
	channel string
	noProbe bool
}

// NewCmd builds the `audit` command group.
func NewCmd(f *cli.Factory) *cobra.Command {
	o := &auditOptions{}
	cmd := cli.Returns[*auditReport](&cobra.Command{
		Use:   "audit",
		Short: "Check the BMC's IPMI settings for known weaknesses (read-only)",
		Long: "Reads the BMC's LAN, channel, user and cipher suite settings and reports known weaknesses\n" +
			"(cipher suite 0, null/anonymous users, IPMI 1.5 NONE/straight-password logins, suites without\n" +
			"integrity or encryption, default user names, per-message and user-level authentication off),\n" +
			"each with its risk and the ipmictl command that fixes it. It changes nothing. Over LAN it also\n" +
			"tries to open a cipher suite 0 session (no password is sent) to prove whether the BMC accepts it.\n" +
			"Exit status 1 when any finding is critical.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return auditRun(f, o) },
	})
	cmd.Flags().StringVar(&o.channel, "channel", "", "LAN channel to check (default: the first LAN channel)")
	cmd.Flags().BoolVar(&o.noProbe, "no-probe", false, "do not try a cipher suite 0 session")
	return cmd
}

// auditState is what the checks read from the BMC.
type auditState struct {
	ch       uint8
	lan      *ipmi.LANConfig
	suites   []ipmi.CipherSuite       // Get Channel Cipher Suites (IPMI payload)
	privs    map[uint8]ipmi.Privilege // suite ID -> max privilege (LAN parameters 23/24)
	privIdx  map[uint8]int            // suite ID -> entry in parameter 23
	users    []auditUser
	volatile *ipmi.ChannelAccess
	nonvol   *ipmi.ChannelAccess
	authcap  *ipmi.AuthCapabilities
}

type auditUser struct {
	id      uint8
	name    string
	enabled bool
	priv    ipmi.Privilege
}

func auditRun(f *cli.Factory, o *auditOptions) error {
	var args []string
	if o.channel != "" {
		args = []string{o.channel}
	}
	if err := lancmd.ParseChannelArg(args, 0); err != nil {
		return err
	}
	c, err := f.Client()
	if err != nil {
		return err
	}
	ctx := f.Context()
	ch, err := lancmd.Channel(f, c, args, 0)
	if err != nil {
		return err
	}
	st := &auditState{ch: ch, privs: map[uint8]ipmi.Privilege{}, privIdx: map[uint8]int{}}
	rep := &auditReport{Channel: ch, Findings: []auditFinding{}, Skipped: []auditSkip{}}
	skip := func(check string, err error) { rep.Skipped = append(rep.Skipped, auditSkip{check, err.Error()}) }

	if st.lan, err = c.ReadLANConfig(ctx, ch); err != nil {
		skip("LAN configuration", err)
	}
	if st.lan != nil && st.lan.CipherPrivileges != nil {
		for i, id := range st.lan.CipherSuites {
			if i < 16 {
				st.privs[id], st.privIdx[id] = st.lan.CipherPrivileges[i], i
			}
		}
	}
	if raw, err := c.GetChannelCipherSuiteRecords(ctx, ch, ipmi.PayloadIPMI); err == nil {
		st.suites, _ = ipmi.DecodeCipherSuiteRecords(raw)
	} else {
		skip("cipher suites", err)
	}
	if st.volatile, err = c.GetChannelAccess(ctx, ch, true); err != nil {
		skip("channel access (volatile)", err)
	}
	if st.nonvol, err = c.GetChannelAccess(ctx, ch, false); err != nil {
		skip("channel access (non-volatile)", err)
	}
	if st.authcap, err = c.GetChannelAuthCapabilities(ctx, ch, ipmi.PrivilegeAdmin); err != nil {
		st.authcap = nil // many BMCs answer it only outside a session
	}
	if err := auditReadUsers(ctx, c, st); err != nil {
		skip("users", err)
	}

	auditCipherZero(f, o, st, rep)
	auditWeakSuites(st, rep)
	auditNullUsers(st, rep)
	auditAuthTypes(st, rep)
	auditDefaultNames(st, rep)
	auditChannelAuth(st, rep)

	slices.SortStableFunc(rep.Findings, func(a, b auditFinding) int {
		return auditSeverityRank[a.Severity] - auditSeverityRank[b.Severity]
	})
	for _, fd := range rep.Findings {
		if fd.Severity == AuditCritical {
			rep.Critical++
		}
	}
	if err := f.Render(rep); err != nil {
		return err
	}
	if rep.Critical > 0 {
		return &cli.SilentError{Code: cli.ExitBMC}
	}
	return nil
}

func auditReadUsers(ctx context.Context, c *ipmi.Client, st *auditState) error {
	for uid, max := uint8(1), uint8(ipmi.MaxUserID); uid <= max; uid++ {
		a, err := c.GetUserAccess(ctx, st.ch, uid)
		if err != nil {
			return err
		}
		max = min(a.MaxUsers, ipmi.MaxUserID)
		name, err := c.GetUserName(ctx, uid)
		if err != nil && !ipmi.IsCompletion(err, ipmi.CodeInvalidDataField) {
			return err
		}
		// BMCs report "enabled" either in the status bits or, like
		// ipmi_sim, only through the IPMI messaging bit.
		enabled := a.EnableStatus == ipmi.UserStatusEnabled ||
			(a.EnableStatus != ipmi.UserStatusDisabled && a.IPMIMessaging)
		st.users = append(st.users, auditUser{id: uid, name: name, enabled: enabled && a.IPMIMessaging,
			priv: a.PrivilegeLimit})
	}
	return nil
}

// auditSuiteEnabled reports whether suite id may be used: its LAN
// parameter 24 entry is not X, or the BMC lists it without giving it a
// privilege entry at all.
func (st *auditState) suiteEnabled(id uint8) (bool, ipmi.Privilege, bool) {
	p, known := st.privs[id]
	if !known {
		return true, 0, false
	}
	return p >= ipmi.PrivilegeCallback && p <= ipmi.PrivilegeOEM, p, true
}

// cipherPrivsFix returns the "lan set cipher_privs" string that turns
// off the given suites and keeps every other entry.
func (st *auditState) cipherPrivsFix(off []uint8) (string, bool) {
	if st.lan == nil || st.lan.CipherPrivileges == nil {
		return "", false
	}
	privs := *st.lan.CipherPrivileges
	any := false
	for _, id := range off {
		if i, ok := st.privIdx[id]; ok {
			privs[i], any = ipmi.PrivilegeNone, true
		}
	}
	return lancmd.PrivString(&privs), any
}

func auditCipherZero(f *cli.Factory, o *auditOptions, st *auditState, rep *auditReport) {
	listed := slices.ContainsFunc(st.suites, func(s ipmi.CipherSuite) bool { return s.ID == 0 && !s.OEM })
	enabled, priv, known := st.suiteEnabled(0)
	var proof string
	probed := false
	if !o.noProbe && f.Opts.Host != "" && (f.Opts.Interface == "" || strings.EqualFold(f.Opts.Interface, "lanplus")) {
		if addr, err := cli.LANTarget(f.Opts.Host, f.Opts.Port); err == nil {
			probed = true
			user := f.Opts.Username
			ctx, cancel := context.WithTimeout(f.Context(), 5*time.Second)
			err := AuditSuite0Probe(ctx, addr, user, ipmi.PrivilegeAdmin)
			cancel()
			if err == nil {
				proof = fmt.Sprintf("the BMC opened a cipher suite 0 session for user %q at ADMINISTRATOR without any password", user)
			} else if f.Opts.Verbose > 0 {
				fmt.Fprintf(f.IO.ErrOut, "ipmictl: audit: cipher suite 0 probe refused: %v\n", err)
			}
		}
	}
	switch {
	case proof != "":
	case probed:
		return // the BMC refused it, whatever its tables say
	case !listed && !known:
		return
	case !enabled:
		return
	}
	detail := proof
	if detail == "" {
		detail = fmt.Sprintf("LAN parameter 24 allows cipher suite 0 up to %s", priv)
		if !known {
			detail = "Get Channel Cipher Suites lists suite 0 and no Cipher Suite Priv Max entry covers it"
		}
	}
	fix := []string{}
	if s, ok := st.cipherPrivsFix([]uint8{0}); ok {
		fix = append(fix, fmt.Sprintf("ipmictl lan set %d cipher_privs %s", st.ch, s))
	} else {
		fix = append(fix, "suite 0 has no LAN parameter 24 entry on this BMC: disable it with the vendor's tool or firmware update")
	}
	rep.Findings = append(rep.Findings, auditFinding{ID: "cipher-suite-0", Severity: AuditCritical,
		Title:  "Cipher suite 0 (no authentication) is enabled",
		Detail: detail,
		Risk:   "anyone who knows or guesses a user name gets a session without a password (CVE-2013-4782/4783/4784)",
		Fix:    fix})
}

// auditWeakSuites flags enabled suites without integrity, without
// confidentiality, or with RC4 or MD5 algorithms.
func auditWeakSuites(st *auditState, rep *auditReport) {
	type class struct {
		id, sev, title, risk string
		ids                  []uint8
	}
	classes := []*class{
		{id: "suite-no-integrity", sev: auditHigh, title: "Cipher suites without integrity protection are enabled",
			risk: "packets of such sessions can be forged or altered on the network"},
		{id: "suite-no-encryption", sev: auditMedium, title: "Cipher suites without encryption are enabled",
			risk: "commands, SOL console traffic and new passwords (user set password) cross the network in clear"},
		{id: "suite-weak-algorithms", sev: auditLow, title: "Cipher suites with RC4 or MD5 algorithms are enabled",
			risk: "xRC4 and MD5 are broken algorithms; prefer suites 3 and 17"},
	}
	for _, s := range st.suites {
		if s.OEM || s.ID == 0 {
			continue
		}
		if en, _, _ := st.suiteEnabled(s.ID); !en {
			continue
		}
		first := func(a []uint8) uint8 {
			if len(a) == 0 {
				return 0
			}
			return a[0]
		}
		integ, conf, auth := first(s.Integrity), first(s.Confidentiality), first(s.Auth)
		switch {
		case integ == 0:
			classes[0].ids = append(classes[0].ids, s.ID)
		case conf == 0:
			classes[1].ids = append(classes[1].ids, s.ID)
		case conf == 2 || conf == 3 || auth == 2 || integ == 2 || integ == 3:
			classes[2].ids = append(classes[2].ids, s.ID)
		}
	}
	// Each fix also turns off suite 0 and the suites of the more severe
	// classes, so applying any one never re-enables those.
	off := []uint8{0}
	for _, c := range classes {
		off = append(off, c.ids...)
		if len(c.ids) == 0 {
			continue
		}
		var names []string
		for _, id := range c.ids {
			names = append(names, fmt.Sprint(id))
		}
		fix := []string{}
		if s, ok := st.cipherPrivsFix(off); ok {
			fix = append(fix, fmt.Sprintf("ipmictl lan set %d cipher_privs %s", st.ch, s))
		} else {
			fix = append(fix, "these suites have no LAN parameter 24 entry on this BMC: restrict them with the vendor's tool")
		}
		rep.Findings = append(rep.Findings, auditFinding{ID: c.id, Severity: c.sev, Title: c.title,
			Detail: "enabled suites " + strings.Join(names, ", "), Risk: c.risk, Fix: fix})
	}
}

func auditNullUsers(st *auditState, rep *auditReport) {
	var found []string
	var fix []string
	for _, u := range st.users {
		if u.enabled && u.name == "" {
			found = append(found, fmt.Sprintf("user %d (%s)", u.id, u.priv))
			fix = append(fix, fmt.Sprintf("ipmictl user disable %d", u.id),
				fmt.Sprintf("ipmictl channel setaccess %d %d ipmi=off", st.ch, u.id))
		}
	}
	if a := st.authcap; a != nil && (a.NullUsers || a.AnonymousLogin) && len(found) == 0 {
		found = append(found, "the channel reports null user names or anonymous login enabled")
		fix = append(fix, "ipmictl user disable 1")
	}
	if len(found) == 0 {
		return
	}
	rep.Findings = append(rep.Findings, auditFinding{ID: "null-user", Severity: AuditCritical,
		Title:  "Anonymous (null name) user enabled",
		Detail: strings.Join(found, ", "),
		Risk:   "a login with an empty user name (and often an empty password) is accepted",
		Fix:    fix})
}

func auditAuthTypes(st *auditState, rep *auditReport) {
	if st.lan == nil || st.lan.AuthEnables == nil {
		return
	}
	levels := []string{"callback", "user", "operator", "admin", "oem"}
	var none, pass []string
	keep := map[int]uint8{}
	for i, bits := range st.lan.AuthEnables {
		if bits&ipmi.AuthTypeBitNone != 0 {
			none = append(none, levels[i])
		}
		if bits&ipmi.AuthTypeBitPassword != 0 {
			pass = append(pass, levels[i])
		}
		if bits&(ipmi.AuthTypeBitNone|ipmi.AuthTypeBitPassword) != 0 {
			keep[i] = bits &^ (ipmi.AuthTypeBitNone | ipmi.AuthTypeBitPassword)
		}
	}
	fix := auditAuthFix(st.ch, keep)
	if len(none) > 0 {
		rep.Findings = append(rep.Findings, auditFinding{ID: "ipmi15-auth-none", Severity: AuditCritical,
			Title:  "IPMI 1.5 logins without authentication (auth type NONE) are allowed",
			Detail: "at privilege " + strings.Join(none, ", "),
			Risk:   "anyone can log in over IPMI 1.5 with any password and forge packets",
			Fix:    fix})
	}
	if len(pass) > 0 {
		rep.Findings = append(rep.Findings, auditFinding{ID: "ipmi15-auth-password", Severity: auditHigh,
			Title:  "IPMI 1.5 straight-password authentication is allowed",
			Detail: "at privilege " + strings.Join(pass, ", "),
			Risk:   "the password crosses the network in clear in every IPMI 1.5 login",
			Fix:    fix})
	}
}

// auditAuthFix builds "lan set auth" commands that keep the other auth
// types of each privilege level; a level left with none gets MD5.
func auditAuthFix(ch uint8, keep map[int]uint8) []string {
	levels := []string{"callback", "user", "operator", "admin", "oem"}
	byTypes := map[uint8][]string{}
	var order []uint8
	for i := range levels {
		bits, ok := keep[i]
		if !ok {
			continue
		}
		if bits&(ipmi.AuthTypeBitMD2|ipmi.AuthTypeBitMD5|ipmi.AuthTypeBitOEM) == 0 {
			bits = ipmi.AuthTypeBitMD5
		}
		if _, seen := byTypes[bits]; !seen {
			order = append(order, bits)
		}
		byTypes[bits] = append(byTypes[bits], levels[i])
	}
	var out []string
	for _, bits := range order {
		names := strings.ToLower(strings.TrimSpace(strings.ReplaceAll(cli.AuthTypeNames(bits), " ", ",")))
		names = strings.TrimSuffix(names, ",")
		out = append(out, fmt.Sprintf("ipmictl lan set %d auth %s %s", ch, strings.Join(byTypes[bits], ","), names))
	}
	return out
}

var auditKnownNames = []string{"ADMIN", "root", "Administrator", "admin"}

func auditDefaultNames(st *auditState, rep *auditReport) {
	var found, fix []string
	for _, u := range st.users {
		if u.enabled && slices.Contains(auditKnownNames, u.name) {
			found = append(found, fmt.Sprintf("user %d %q (%s)", u.id, u.name, u.priv))
			fix = append(fix, fmt.Sprintf("ipmictl user set name %d <new-name>", u.id))
		}
	}
	if len(found) == 0 {
		return
	}
	rep.Findings = append(rep.Findings, auditFinding{ID: "default-user-name", Severity: auditMedium,
		Title:  "Enabled users with well-known default names",
		Detail: strings.Join(found, ", "),
		Risk:   "a known name is all an attacker needs to fetch a crackable RAKP password hash (CVE-2013-4786) or try passwords",
		Fix:    fix})
}

// auditChannelAuth flags per-message and user-level authentication
// turned off; the fix is a raw Set Channel Access (ipmitool has no
// command for these bits either).
func auditChannelAuth(st *auditState, rep *auditReport) {
	checks := []struct {
		id, title, risk string
		off             func(*ipmi.ChannelAccess) bool
		clear           func(*ipmi.ChannelAccess)
	}{
		{"per-message-auth-off", "Per-message authentication is disabled",
			"IPMI 1.5 packets after login carry no authentication code: sessions can be hijacked and commands forged",
			func(a *ipmi.ChannelAccess) bool { return a.PerMessageAuthDisabled },
			func(a *ipmi.ChannelAccess) { a.PerMessageAuthDisabled = false }},
		{"user-level-auth-off", "User-level authentication is disabled",
			"User-privilege IPMI 1.5 commands are accepted without authentication codes",
			func(a *ipmi.ChannelAccess) bool { return a.UserLevelAuthDisabled },
			func(a *ipmi.ChannelAccess) { a.UserLevelAuthDisabled = false }},
	}
	for _, ck := range checks {
		var where, fix []string
		for _, v := range []struct {
			name string
			a    *ipmi.ChannelAccess
			opt  uint8
		}{{"non-volatile", st.nonvol, 0x40}, {"volatile", st.volatile, 0x80}} {
			if v.a == nil || !ck.off(v.a) {
				continue
			}
			where = append(where, v.name)
			a := *v.a
			ck.clear(&a)
			b1 := v.opt | a.AccessMode&7
			if a.AlertingDisabled {
				b1 |= 0x20
			}
			if a.PerMessageAuthDisabled {
				b1 |= 0x10
			}
			if a.UserLevelAuthDisabled {
				b1 |= 0x08
			}
			fix = append(fix, fmt.Sprintf("ipmictl raw 0x06 0x40 0x%02x 0x%02x 0x00", st.ch, b1))
		}
		if len(where) > 0 {
			rep.Findings = append(rep.Findings, auditFinding{ID: ck.id, Severity: auditHigh, Title: ck.title,
				Detail: "in the " + strings.Join(where, " and ") + " channel settings", Risk: ck.risk, Fix: fix})
		}
	}
}
