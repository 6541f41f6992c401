package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/spf13/cobra"

	"github.com/ipmictl/ipmictl/internal/hostlist"
)

// AnnotationNoFanout marks commands that make no sense on many BMCs at
// once (an interactive console, a server); they refuse a host list.
const AnnotationNoFanout = "ipmictl/no-fanout"

// annotationGroup records which registered group built a top-level
// command, so fan-out children build only that one.
const annotationGroup = "ipmictl/group"

// commandGroup returns the registry index of cmd's top-level command, or -1.
func commandGroup(cmd *cobra.Command) int {
	for c := cmd; c != nil; c = c.Parent() {
		if v, ok := c.Annotations[annotationGroup]; ok {
			if n, err := strconv.Atoi(v); err == nil {
				return n
			}
		}
	}
	return -1
}

// fanoutOptions are the multi-host flags.
type fanoutOptions struct {
	HostsFile   string
	Fanout      int
	Consolidate bool
	HostTimeout time.Duration
	Progress    string // auto, always, never
	MaxHosts    int
}

// DefaultMaxHosts bounds -H ranges and --hosts-file together: a list
// beyond it is a mistake far more often than a fleet (--max-hosts raises
// it).
const DefaultMaxHosts = 100000

// interruptWait is how long an interrupted fan-out waits for the hosts it
// started to stop and close their sessions before it exits.
const interruptWait = 800 * time.Millisecond

func addFanoutFlags(root *cobra.Command, o *fanoutOptions) {
	p := root.PersistentFlags()
	p.StringVar(&o.HostsFile, "hosts-file", "", "run on every host listed in FILE (one host or range per line, # comments)")
	p.IntVar(&o.Fanout, "fanout", 0, "BMCs worked on at once when -H names several (default: all of them, up to 1024 and the open-file limit)")
	p.BoolVar(&o.Consolidate, "consolidate", false, "with several hosts: print each distinct output once, under the hosts that gave it")
	p.DurationVar(&o.HostTimeout, "host-timeout", 2*time.Minute, "with several hosts: give up on one BMC after this long")
	p.StringVar(&o.Progress, "progress", "auto", "progress on stderr: hosts done with several hosts, requests during a long read from one (auto: when stderr is a terminal; always; never)")
	p.IntVar(&o.MaxHosts, "max-hosts", DefaultMaxHosts, "refuse a host list (-H ranges and --hosts-file together) longer than this")
}

// hostCollector gathers the fan-out's hosts, without duplicates, and
// refuses the list as soon as it grows past the limit: a huge file or
// range fails before its names are built, not after.
type hostCollector struct {
	max   int
	hosts []string
	seen  map[string]bool
}

func (c *hostCollector) add(where, pattern string) error {
	hs, err := hostlist.Expand(pattern)
	if err != nil {
		return UsageErrorf("%s: %v", where, err)
	}
	for _, h := range hs {
		if c.seen[h] {
			continue
		}
		if len(c.hosts) >= c.max {
			return UsageErrorf("%s: the host list holds more than %d hosts (--max-hosts); split it, or raise --max-hosts if you mean it", where, c.max)
		}
		c.seen[h] = true
		c.hosts = append(c.hosts, h)
	}
	return nil
}

// FanoutHosts expands -H (ranges, lists, @tag) and --hosts-file. It
// returns nil when the command targets a single BMC.
func FanoutHosts(f *Factory) ([]string, error) {
	if f.Fanout.MaxHosts < 1 {
		return nil, UsageErrorf("--max-hosts %d: want at least 1", f.Fanout.MaxHosts)
	}
	c := &hostCollector{max: f.Fanout.MaxHosts, seen: map[string]bool{}}
	h := f.Opts.Host
	multi := false
	if tag, ok := strings.CutPrefix(h, "@"); ok {
		names := profilesWithTag(f.FileConfig, tag)
		if len(names) == 0 {
			return nil, UsageErrorf("-H @%s: no profile in the config file has the tag %q", tag, tag)
		}
		for _, n := range names {
			if err := c.add("-H @"+tag, n); err != nil {
				return nil, err
			}
		}
		multi = true
	} else if h != "" && (strings.ContainsAny(h, ",[") && !isSingleBracketedIPv6(h)) {
		if err := c.add("-H", h); err != nil {
			return nil, err
		}
		multi = true
	}
	if file := f.Fanout.HostsFile; file != "" {
		if h != "" && !multi {
			if err := c.add("-H", h); err != nil {
				return nil, err
			}
		}
		if err := readHostsFile(f.Ctx, file, c); err != nil {
			return nil, err
		}
		multi = true
	}
	if !multi {
		return nil, nil
	}
	if len(c.hosts) == 0 {
		return nil, UsageErrorf("the host list is empty")
	}
	return c.hosts, nil
}

func isSingleBracketedIPv6(h string) bool {
	hs, err := hostlist.Expand(h)
	return err == nil && len(hs) == 1 && strings.HasPrefix(h, "[")
}

func profilesWithTag(cfg *FileConfig, tag string) []string {
	var names []string
	if cfg == nil {
		return nil
	}
	for name, p := range cfg.Profiles {
		for _, t := range p.Tags {
			if t == tag {
				names = append(names, name)
			}
		}
	}
	sort.Strings(names)
	return names
}

// readHostsFile adds each line's hosts to c as it reads, so a file far
// beyond the limit is refused after the limit, not after reading it all.
func readHostsFile(ctx context.Context, path string, c *hostCollector) error {
	fh, err := os.Open(path)
	if err != nil {
		return UsageErrorf("--hosts-file: %v", err)
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	n := 0
	for sc.Scan() {
		n++
		if n%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		line, _, _ := strings.Cut(sc.Text(), "#")
		if line = strings.TrimSpace(line); line != "" {
			if err := c.add(fmt.Sprintf("--hosts-file %s line %d", path, n), line); err != nil {
				return err
			}
		}
	}
	if errors.Is(sc.Err(), bufio.ErrTooLong) {
		return UsageErrorf("--hosts-file %s: line %d is longer than %d bytes; put one host or range on each line", path, n+1, bufio.MaxScanTokenSize)
	}
	if err := sc.Err(); err != nil {
		return UsageErrorf("--hosts-file %s: %v", path, err)
	}
	return nil
}

// hostRun is one BMC's outcome.
type hostRun struct {
	Host   string
	Out    []byte
	ErrOut []byte
	Code   int
	// Stopped: the run was interrupted (Ctrl-C, a closed stdout) before
	// it finished.
	Stopped bool
}

// runFanout runs the command line once per host, at most --fanout at a
// time, each with its own session and its own profile's credentials,
// and prints the outputs prefixed or consolidated. The exit status is the
// worst of the hosts'. Interrupted, it starts no more hosts, waits a
// moment for the started ones to close their sessions, and prints one
// summary line.
func runFanout(f *Factory, cmd *cobra.Command, hosts []string) error {
	if cmd.Annotations[AnnotationNoFanout] != "" {
		return UsageErrorf("%s works on one BMC at a time; -H names %d", cmd.CommandPath(), len(hosts))
	}
	if err := prepareFleetSecrets(f, cmd); err != nil {
		return err
	}
	format, _ := parseOutputFormat(f.Opts.Output)
	if f.Opts.CSV && format == OutputText {
		format = OutputCSV
	}
	width := fanoutWidth(f.Fanout.Fanout, len(hosts))
	// Each host's run is short-lived garbage (a command tree, a session,
	// buffers); collecting it at the default pace costs a third of the CPU
	// at a thousand hosts. The live heap stays small, so let it grow more
	// between collections.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	ctx := f.Ctx
	progress := newFanoutProgress(f, len(hosts), format)
	results := make(chan hostRun, width)
	quit := make(chan struct{}) // closed when the parent stops listening
	defer close(quit)
	var launched atomic.Int64
	group := commandGroup(cmd)
	go func() {
		sem := make(chan struct{}, width)
		var wg sync.WaitGroup
		for _, h := range hosts {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
			}
			if ctx.Err() != nil {
				break
			}
			launched.Add(1)
			wg.Add(1)
			go func(h string) {
				defer func() { <-sem; wg.Done() }()
				r := runOneHost(f, h, group)
				select {
				case results <- r:
				case <-quit:
				}
			}(h)
		}
		wg.Wait()
		close(results)
	}()

	progress.draw()
	worst := 0
	var all []hostRun
	interrupted := false
	var giveUp <-chan time.Time
	ctxDone := ctx.Done()
collect:
	for {
		select {
		case r, ok := <-results:
			if !ok {
				break collect
			}
			if r.Stopped || (interrupted && r.Code != 0) {
				continue // counted as stopped in the summary
			}
			progress.finished(r.Code != 0)
			if r.Code > worst {
				worst = r.Code
			}
			if f.Fanout.Consolidate {
				all = append(all, r)
				if !interrupted {
					progress.draw()
				}
				continue
			}
			if f.StdoutBroken() {
				continue
			}
			progress.clear()
			writeHostRun(f.IO, format, r)
			if !interrupted {
				progress.draw()
			}
		case <-ctxDone:
			interrupted = true
			ctxDone = nil
			giveUp = time.After(interruptWait)
		case <-giveUp:
			break collect
		}
	}
	progress.clear()
	if interrupted {
		if f.StdoutBroken() {
			return &SilentError{Code: ExitBrokenPipe}
		}
		if f.Fanout.Consolidate {
			writeConsolidated(f.IO, format, all)
		}
		started := int(launched.Load())
		fmt.Fprintf(f.IO.ErrOut, "ipmictl: interrupted: %d hosts done, %d failed, %d stopped, %d not started\n",
			progress.done-progress.fail, progress.fail, started-progress.done, len(hosts)-started)
		return &SilentError{Code: ExitInterrupted}
	}
	if f.Fanout.Consolidate {
		writeConsolidated(f.IO, format, all)
	}
	if worst != 0 {
		return &SilentError{Code: worst}
	}
	return errFanoutDone
}

// ExitInterrupted is the status of a run stopped by Ctrl-C (128+SIGINT);
// Main reports another signal's own number.
const ExitInterrupted = 130

// errFanoutDone stops the parent command after a successful fan-out.
var errFanoutDone = &SilentError{Code: 0}

func needsLANPassword(o *GlobalOptions) bool {
	iface := strings.ToLower(o.Interface)
	return iface == "" || iface == "lan" || iface == "lanplus"
}

// prepareFleetSecrets sets up the secrets the hosts share. A password or
// K_g given on the command line is for every host: it is read (or asked
// for) once, here, before any host starts. Otherwise each host resolves
// its own profile's source through the shared cache, so a file is read
// and a command run once per distinct source, and only for the hosts
// whose profile names it.
func prepareFleetSecrets(f *Factory, cmd *cobra.Command) error {
	o := f.Opts
	if o.secrets == nil {
		o.secrets = newSecretCache()
	}
	c := o.secrets
	c.ctx = f.Ctx
	c.canPrompt = isTerminalReader(f.IO.In)
	flags := cmd.Flags()
	if needsLANPassword(o) && slices.ContainsFunc(passwordFlags, flags.Changed) {
		pw, err := resolvePassword(f.Ctx, o, f.IO)
		if err != nil {
			return err
		}
		c.password = append([]byte{}, pw...)
	}
	if o.KgAsk {
		kg, err := resolveKg(o, f.IO)
		if err != nil {
			return err
		}
		c.kg = append([]byte{}, kg...)
	}
	return nil
}

// runOneHost runs the original command line against one host with its own
// factory, session and buffers.
func runOneHost(parent *Factory, host string, group int) hostRun {
	var out, errOut bytes.Buffer
	child := NewFactory()
	child.Groups = parent.Groups
	child.IO = &IOStreams{In: bytes.NewReader(nil), Out: &out, ErrOut: &errOut}
	child.Open = parent.Open
	child.single = true
	child.onlyGroup = group
	ctx, cancel := context.WithTimeout(parent.Ctx, parent.Fanout.HostTimeout)
	defer cancel()
	child.Ctx = ctx
	child.Opts.secrets = parent.Opts.secrets
	child.FileConfig = parent.FileConfig
	args := append(append([]string{}, parent.args...), "--host", host)
	code := Run(child, args)
	if parent.Ctx.Err() != nil && code != 0 {
		return hostRun{Host: host, Code: code, Stopped: true}
	}
	if ctx.Err() == context.DeadlineExceeded && code != 0 {
		fmt.Fprintf(&errOut, "ipmictl: %s: gave up after --host-timeout %v\n", host, parent.Fanout.HostTimeout)
	}
	return hostRun{Host: host, Out: out.Bytes(), ErrOut: errOut.Bytes(), Code: code}
}

// writeHostRun prints one host's output, FreeIPMI style ("host: line"),
// or as one JSON object per line.
func writeHostRun(ios *IOStreams, format OutputFormat, r hostRun) {
	if format == OutputJSON {
		obj := map[string]any{"host": r.Host, "exit_code": r.Code}
		var compact bytes.Buffer
		if len(bytes.TrimSpace(r.Out)) > 0 && json.Compact(&compact, r.Out) == nil {
			obj["result"] = json.RawMessage(compact.Bytes())
		}
		if msg := strings.TrimSpace(string(r.ErrOut)); msg != "" {
			obj["error"] = strings.TrimPrefix(msg, "ipmictl: ")
		}
		b, _ := json.Marshal(obj)
		ios.Out.Write(append(b, '\n'))
		return
	}
	prefixLines(ios.Out, r.Host, r.Out)
	prefixLines(ios.ErrOut, r.Host, r.ErrOut)
}

func prefixLines(w io.Writer, host string, b []byte) {
	if len(b) == 0 {
		return
	}
	var buf bytes.Buffer
	for _, line := range strings.SplitAfter(string(b), "\n") {
		if line == "" {
			continue
		}
		buf.WriteString(host + ": " + line)
		if !strings.HasSuffix(line, "\n") {
			buf.WriteString("\n")
		}
	}
	w.Write(buf.Bytes())
}

// writeConsolidated prints each distinct result once under the hosts that
// produced it (FreeIPMI's -C), largest group first.
func writeConsolidated(ios *IOStreams, format OutputFormat, runs []hostRun) {
	if format == OutputJSON {
		sort.Slice(runs, func(i, j int) bool { return runs[i].Host < runs[j].Host })
		for _, r := range runs {
			writeHostRun(ios, format, r)
		}
		return
	}
	type group struct {
		hosts       []string
		out, errOut []byte
	}
	var order []string
	groups := map[string]*group{}
	for _, r := range runs {
		key := string(r.Out) + "\x00" + string(r.ErrOut) + "\x00" + strconv.Itoa(r.Code)
		g, ok := groups[key]
		if !ok {
			g = &group{out: r.Out, errOut: r.ErrOut}
			groups[key] = g
			order = append(order, key)
		}
		g.hosts = append(g.hosts, r.Host)
	}
	sort.SliceStable(order, func(i, j int) bool { return len(groups[order[i]].hosts) > len(groups[order[j]].hosts) })
	for _, k := range order {
		g := groups[k]
		sort.Strings(g.hosts)
		fmt.Fprintf(ios.Out, "----------------\n%s\n----------------\n", hostlist.Compress(g.hosts))
		ios.Out.Write(g.out)
		ios.ErrOut.Write(g.errOut)
	}
}
