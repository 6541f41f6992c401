package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"
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
}

func addFanoutFlags(root *cobra.Command, o *fanoutOptions) {
	p := root.PersistentFlags()
	p.StringVar(&o.HostsFile, "hosts-file", "", "run on every host listed in FILE (one host or range per line, # comments)")
	p.IntVar(&o.Fanout, "fanout", 64, "BMCs worked on at once when -H names several")
	p.BoolVar(&o.Consolidate, "consolidate", false, "with several hosts: print each distinct output once, under the hosts that gave it")
	p.DurationVar(&o.HostTimeout, "host-timeout", 2*time.Minute, "with several hosts: give up on one BMC after this long")
	p.StringVar(&o.Progress, "progress", "auto", "with several hosts: progress on stderr (auto: when stderr is a terminal; always; never)")
}

// FanoutHosts expands -H (ranges, lists, @tag) and --hosts-file. It
// returns nil when the command targets a single BMC.
func FanoutHosts(f *Factory) ([]string, error) {
	var patterns []string
	h := f.Opts.Host
	if tag, ok := strings.CutPrefix(h, "@"); ok {
		names := profilesWithTag(f.FileConfig, tag)
		if len(names) == 0 {
			return nil, UsageErrorf("-H @%s: no profile in the config file has the tag %q", tag, tag)
		}
		patterns = append(patterns, names...)
	} else if h != "" && (strings.ContainsAny(h, ",[") && !isSingleBracketedIPv6(h)) {
		patterns = append(patterns, h)
	}
	if file := f.Fanout.HostsFile; file != "" {
		if h != "" && len(patterns) == 0 {
			patterns = append(patterns, h)
		}
		lines, err := readHostsFile(file)
		if err != nil {
			return nil, err
		}
		patterns = append(patterns, lines...)
	}
	if len(patterns) == 0 {
		return nil, nil
	}
	var hosts []string
	for _, p := range patterns {
		hs, err := hostlist.Expand(p)
		if err != nil {
			return nil, UsageErrorf("-H: %v", err)
		}
		hosts = append(hosts, hs...)
	}
	if len(hosts) == 0 {
		return nil, UsageErrorf("the host list is empty")
	}
	return hosts, nil
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

func readHostsFile(path string) ([]string, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, UsageErrorf("--hosts-file: %v", err)
	}
	defer fh.Close()
	var out []string
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out, sc.Err()
}

// hostRun is one BMC's outcome.
type hostRun struct {
	Host   string
	Out    []byte
	ErrOut []byte
	Code   int
}

// runFanout runs the command line once per host, at most --fanout at a
// time, each with its own session, and prints the outputs prefixed or
// consolidated. The exit status is the worst of the hosts'.
func runFanout(f *Factory, cmd *cobra.Command, hosts []string) error {
	if cmd.Annotations[AnnotationNoFanout] != "" {
		return UsageErrorf("%s works on one BMC at a time; -H names %d", cmd.CommandPath(), len(hosts))
	}
	// Ask for secrets once, not once per host.
	if needsLANPassword(f.Opts) {
		pw, err := resolvePassword(f.Ctx, f.Opts, f.IO)
		if err != nil {
			return err
		}
		f.Opts.presetPassword = pw
		if f.Opts.presetPassword == nil {
			f.Opts.presetPassword = []byte{}
		}
	}
	format, _ := parseOutputFormat(f.Opts.Output)
	if f.Opts.CSV && format == OutputText {
		format = OutputCSV
	}
	width := f.Fanout.Fanout
	if width < 1 {
		width = 1
	}
	// Each host's run is short-lived garbage (a command tree, a session,
	// buffers); collecting it at the default pace costs a third of the CPU
	// at a thousand hosts. The live heap stays small, so let it grow more
	// between collections.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	progress := newProgress(f, len(hosts), format)
	results := make(chan hostRun, width)
	group := commandGroup(cmd)
	go func() {
		sem := make(chan struct{}, width)
		var wg sync.WaitGroup
		for _, h := range hosts {
			sem <- struct{}{}
			wg.Add(1)
			go func(h string) {
				defer func() { <-sem; wg.Done() }()
				results <- runOneHost(f, h, group)
			}(h)
		}
		wg.Wait()
		close(results)
	}()

	worst := 0
	var all []hostRun
	for r := range results {
		progress.done(r.Code != 0)
		if r.Code > worst {
			worst = r.Code
		}
		if f.Fanout.Consolidate {
			all = append(all, r)
			continue
		}
		progress.clear()
		writeHostRun(f.IO, format, r)
	}
	progress.clear()
	if f.Fanout.Consolidate {
		writeConsolidated(f.IO, format, all)
	}
	if worst != 0 {
		return &SilentError{Code: worst}
	}
	return errFanoutDone
}

// errFanoutDone stops the parent command after a successful fan-out.
var errFanoutDone = &SilentError{Code: 0}

func needsLANPassword(o *GlobalOptions) bool {
	iface := strings.ToLower(o.Interface)
	return iface == "" || iface == "lan" || iface == "lanplus"
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
	child.Opts.presetPassword = parent.Opts.presetPassword
	child.FileConfig = parent.FileConfig
	args := append(append([]string{}, parent.args...), "--host", host)
	code := Run(child, args)
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

// progress shows hosts done / failed / rate on a terminal's stderr.
type progress struct {
	w                  io.Writer
	total, done_, fail int
	start              time.Time
	on                 bool
	shown              bool
}

func newProgress(f *Factory, total int, format OutputFormat) *progress {
	on := false
	switch f.Fanout.Progress {
	case "always":
		on = true
	case "auto":
		on = IsTerminal(f.IO.ErrOut) && format != OutputJSON
	}
	return &progress{w: f.IO.ErrOut, total: total, start: time.Now(), on: on}
}

func (p *progress) done(failed bool) {
	p.done_++
	if failed {
		p.fail++
	}
	if !p.on {
		return
	}
	rate := float64(p.done_) / time.Since(p.start).Seconds()
	fmt.Fprintf(p.w, "\r\x1b[K%d/%d hosts done, %d failed, %.0f hosts/s", p.done_, p.total, p.fail, rate)
	p.shown = true
}

func (p *progress) clear() {
	if p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.shown = false
	}
}
