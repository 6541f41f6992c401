package simcmd

import (
	"bufio"
	"fmt"
	"net/netip"
	"os"
	"strings"
	"time"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/ipmi/bmcsim"
	"github.com/spf13/cobra"
)

// SimOptions are the flags of `ipmictl sim`.
type SimOptions struct {
	Listen      string
	Count       int
	Addresses   string
	AddrPort    int
	User        string
	Seed        int64
	Slots       int
	Freeze      bool
	Loss        float64
	Delay       time.Duration
	Duplicate   float64
	Reorder     float64
	Corrupt     float64
	Busy        float64
	ShortReads  int
	NoSessions  bool
	RebootEvery time.Duration
	RebootDown  time.Duration
	Idle        time.Duration
}

// NewCmd builds the `sim` command group.
func NewCmd(f *cli.Factory) *cobra.Command {
	o := &SimOptions{}
	c := cli.Interactive(&cobra.Command{
		Use:   "sim",
		Short: "Run simulated BMCs on loopback addresses",
		Long: `Run one or many simulated BMCs that answer IPMI over LAN (RMCP+ "lanplus"
cipher suites 0-3, 6-8, 11-12, 15-17, and IPMI 1.5 "lan" with MD5 or
straight password) on loopback addresses only, until Ctrl-C or SIGTERM.

Each BMC has its own state: chassis power and boot options, users with
enforced privileges, LAN and channel settings, sensors whose readings move
and cross thresholds, a SEL recording those crossings, FRU inventory, four
session slots (a session idle for --session-timeout, 60s by default,
is closed) and a SOL console.

Users (unless --user/--password-file replace the first):
  admin/password     ADMINISTRATOR
  operator/oppass    OPERATOR
  user/userpass      USER

Examples:
  ipmictl sim --listen 127.0.0.1:6230 --count 1000     # ports 6230-7229
  ipmictl sim --addresses 127.0.1.1-127.0.4.232        # port 623 on each
  ipmictl sim --listen 127.0.0.1:6230 --loss 30 --delay 50ms
  ipmitool -I lanplus -C 17 -H 127.0.0.1 -p 6230 -U admin -P password sdr list`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return simRun(f, o) },
	})
	fl := c.Flags()
	fl.StringVar(&o.Listen, "listen", "127.0.0.1:6230", "loopback address and first port")
	fl.IntVar(&o.Count, "count", 1, "number of BMCs, on consecutive ports from --listen")
	fl.StringVar(&o.Addresses, "addresses", "", "serve one BMC per address of this range (e.g. 127.0.1.1-127.0.4.232) instead")
	fl.IntVar(&o.AddrPort, "addresses-port", 623, "UDP port on each address of --addresses")
	fl.StringVar(&o.User, "user", "", "name of the administrator account (default admin); its password comes from --password-file (default password)")
	fl.Int64Var(&o.Seed, "seed", 1, "seed for sensor movement and fault decisions")
	fl.IntVar(&o.Slots, "session-slots", 4, "session slots per BMC (1-63)")
	fl.DurationVar(&o.Idle, "session-timeout", 60*time.Second, "close a session after this long without a packet from its console")
	fl.BoolVar(&o.Freeze, "freeze", false, "keep sensor readings still")
	fl.Float64Var(&o.Loss, "loss", 0, "fault: percent of packets lost")
	fl.DurationVar(&o.Delay, "delay", 0, "fault: delay before every answer")
	fl.Float64Var(&o.Duplicate, "duplicate", 0, "fault: percent of answers sent twice")
	fl.Float64Var(&o.Reorder, "reorder", 0, "fault: percent of answers held back behind the next")
	fl.Float64Var(&o.Corrupt, "corrupt", 0, "fault: percent of answers with a damaged integrity code")
	fl.Float64Var(&o.Busy, "busy", 0, "fault: percent of requests answered 0xC0 (node busy)")
	fl.IntVar(&o.ShortReads, "short-reads", 0, "fault: Get SDR / Read FRU Data answer 0xCA beyond this many bytes")
	fl.BoolVar(&o.NoSessions, "exhaust-sessions", false, "fault: every BMC refuses new sessions (no free slot)")
	fl.DurationVar(&o.RebootEvery, "reboot-every", 0, "fault: reboot every BMC at this interval, dropping all sessions")
	fl.DurationVar(&o.RebootDown, "reboot-downtime", 0, "fault: how long a rebooting BMC stays silent")
	return c
}

// simAddrs resolves the listen addresses from the options.
func simAddrs(o *SimOptions) ([]netip.AddrPort, error) {
	if o.Addresses != "" {
		addrs, err := bmcsim.AddrRange(o.Addresses, o.AddrPort)
		if err != nil {
			return nil, cli.UsageErrorf("--addresses: %v", err)
		}
		for _, a := range addrs {
			if !a.Addr().IsLoopback() {
				return nil, cli.UsageErrorf("--addresses: %v is not a loopback address (127.0.0.0/8)", a.Addr())
			}
		}
		return addrs, nil
	}
	ap, err := netip.ParseAddrPort(o.Listen)
	if err != nil {
		return nil, cli.UsageErrorf("--listen %q: want IP:port, e.g. 127.0.0.1:6230", o.Listen)
	}
	if !ap.Addr().Unmap().IsLoopback() {
		return nil, cli.UsageErrorf("--listen: %v is not a loopback address; the simulator serves 127.0.0.0/8 and ::1 only", ap.Addr())
	}
	if o.Count < 1 || o.Count > 65535 {
		return nil, cli.UsageErrorf("--count %d: want 1-65535", o.Count)
	}
	addrs, err := bmcsim.PortRange(ap.Addr().Unmap(), int(ap.Port()), o.Count)
	if err != nil {
		return nil, cli.UsageErrorf("--listen/--count: %v", err)
	}
	return addrs, nil
}

// simUsers returns the accounts, with the administrator renamed or its
// password read from the password file when asked.
func simUsers(f *cli.Factory, o *SimOptions) ([]bmcsim.UserSpec, error) {
	users := append([]bmcsim.UserSpec(nil), bmcsim.DefaultUsers...)
	if o.User != "" {
		if len(o.User) > 16 {
			return nil, cli.UsageErrorf("--user: %d bytes, IPMI allows 16", len(o.User))
		}
		users[0].Name = o.User
	}
	if p := f.Opts.PasswordFile; p != "" {
		fh, err := os.Open(p)
		if err != nil {
			return nil, cli.UsageErrorf("--password-file: %v", err)
		}
		defer fh.Close()
		line, _ := bufio.NewReader(fh).ReadString('\n')
		pw := strings.TrimRight(line, "\r\n")
		if pw == "" || len(pw) > 20 {
			return nil, cli.UsageErrorf("--password-file: want a password of 1-20 bytes on the first line")
		}
		users[0].Password = pw
	}
	return users, nil
}

func simRun(f *cli.Factory, o *SimOptions) error {
	addrs, err := simAddrs(o)
	if err != nil {
		return err
	}
	users, err := simUsers(f, o)
	if err != nil {
		return err
	}
	if o.Slots < 1 || o.Slots > 63 {
		return cli.UsageErrorf("--session-slots %d: want 1-63", o.Slots)
	}
	if o.Idle == 0 {
		o.Idle = 60 * time.Second
	}
	if o.Idle < 100*time.Millisecond || o.Idle > 24*time.Hour {
		return cli.UsageErrorf("--session-timeout %v: want 100ms to 24h", o.Idle)
	}
	faults := bmcsim.Faults{
		LossPercent: o.Loss, Delay: o.Delay, DuplicatePercent: o.Duplicate, ReorderPercent: o.Reorder,
		CorruptPercent: o.Corrupt, BusyPercent: o.Busy, ShortReads: o.ShortReads, ExhaustSessions: o.NoSessions,
	}
	var logf func(string, ...any)
	if f.Opts.Verbose > 0 {
		logf = func(format string, a ...any) { fmt.Fprintf(f.IO.ErrOut, format+"\n", a...) }
	}
	fleet, err := bmcsim.ServeFleet(addrs, func(i int) *bmcsim.BMC {
		b := bmcsim.New(bmcsim.WithIndex(i), bmcsim.WithSeed(o.Seed), bmcsim.WithUsers(users...), bmcsim.WithSessionSlots(o.Slots), bmcsim.WithSessionTimeout(o.Idle))
		b.SetFaults(faults)
		b.Freeze(o.Freeze)
		return b
	}, logf)
	if err != nil {
		return err
	}
	defer fleet.Close()
	simAnnounce(f, fleet, users, o)
	ctx := f.Context()
	var tick <-chan time.Time
	if o.RebootEvery > 0 {
		t := time.NewTicker(o.RebootEvery)
		defer t.Stop()
		tick = t.C
	}
	for {
		select {
		case <-ctx.Done():
			fmt.Fprintf(f.IO.ErrOut, "ipmictl sim: stopping %d BMCs\n", len(fleet.BMCs))
			return nil
		case <-tick:
			for _, b := range fleet.BMCs {
				b.RebootFor(o.RebootDown)
			}
		}
	}
}

// simAnnounce prints where the BMCs listen and how to log in; scripts
// wait for the first line.
func simAnnounce(f *cli.Factory, fleet *bmcsim.Fleet, users []bmcsim.UserSpec, o *SimOptions) {
	addrs := fleet.Addrs()
	w := f.IO.Out
	first, last := addrs[0], addrs[len(addrs)-1]
	consecutive := true
	for i, a := range addrs {
		consecutive = consecutive && a.Addr() == first.Addr() && int(a.Port()) == int(first.Port())+i
	}
	switch {
	case len(addrs) == 1:
		fmt.Fprintf(w, "ipmictl sim: 1 BMC listening on %v\n", first)
	case consecutive:
		fmt.Fprintf(w, "ipmictl sim: %d BMCs listening on %v ports %d-%d\n", len(addrs), first.Addr(), first.Port(), last.Port())
	case first.Addr() != last.Addr():
		fmt.Fprintf(w, "ipmictl sim: %d BMCs listening on %v-%v port %d\n", len(addrs), first.Addr(), last.Addr(), first.Port())
	default: // --listen with port 0: a free port each, not consecutive
		fmt.Fprintf(w, "ipmictl sim: %d BMCs listening on %v ports", len(addrs), first.Addr())
		for _, a := range addrs {
			fmt.Fprintf(w, " %d", a.Port())
		}
		fmt.Fprintln(w)
	}
	for i, u := range users {
		pw := u.Password
		if i == 0 && f.Opts.PasswordFile != "" {
			pw = "<from " + f.Opts.PasswordFile + ">"
		}
		fmt.Fprintf(w, "  user %-10s password %-12s %s\n", u.Name, pw, simPrivName(u.Privilege))
	}
	fmt.Fprintf(w, "  try: ipmitool -I lanplus -C 17 -H %v -p %d -U %s -P %s sdr list\n", first.Addr(), first.Port(), users[0].Name, simTryPassword(f, users[0]))
	if f, ok := w.(interface{ Sync() error }); ok {
		f.Sync()
	}
}

func simPrivName(p ipmi.Privilege) string { return p.String() }

func simTryPassword(f *cli.Factory, u bmcsim.UserSpec) string {
	if f.Opts.PasswordFile != "" {
		return "\"$(cat " + f.Opts.PasswordFile + ")\""
	}
	return u.Password
}
