package cli

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/ipmictl/ipmictl/ipmi"
)

// Progress on stderr, for people at a terminal. Scripts never see it:
// --progress auto (the default) draws only when stderr is a terminal.
//
// A fan-out shows "12/200 hosts done, 1 failed, 40 hosts/s" below the
// hosts' output, redrawn after each host's lines. A single BMC read that
// takes longer than liveDelay (an SDR, SEL or FRU walk on a slow BMC)
// shows "ipmictl: 340 requests to the BMC, 3s" until it ends; it is
// cleared before anything is written to stdout.

const (
	liveDelay = time.Second
	liveEvery = 250 * time.Millisecond
)

// progressWanted reports whether --progress asks for a progress line.
func progressWanted(f *Factory) bool {
	switch f.Fanout.Progress {
	case "always":
		return true
	case "auto":
		return IsTerminal(f.IO.ErrOut)
	}
	return false
}

// liveCommandOK reports whether cmd is a one-shot read or action that may
// show the single-BMC progress line: interactive and long-running
// commands (a console, a shell, exec) never do.
func liveCommandOK(cmd *cobra.Command) bool {
	for c := cmd; c != nil; c = c.Parent() {
		if c.Annotations[AnnotationNoFanout] != "" || c.Annotations[ExecAnnotation] != "" {
			return false
		}
	}
	return true
}

// liveProgress is the single-BMC progress line.
type liveProgress struct {
	w     io.Writer
	c     *ipmi.Client
	start time.Time
	stop  chan struct{}
	done  chan struct{}

	mu      sync.Mutex
	shown   bool
	stopped bool
}

// startLive begins watching c's requests when a progress line may be
// shown.
func (f *Factory) startLive(c *ipmi.Client) {
	f.liveMu.Lock()
	defer f.liveMu.Unlock()
	if f.single || !f.liveOK || f.live != nil || !progressWanted(f) {
		return
	}
	p := &liveProgress{w: f.IO.ErrOut, c: c, start: time.Now(), stop: make(chan struct{}), done: make(chan struct{})}
	f.live = p
	go p.run()
}

// endLive stops and erases the single-BMC progress line.
func (f *Factory) endLive() {
	f.liveMu.Lock()
	p := f.live
	f.live = nil
	f.liveMu.Unlock()
	if p != nil {
		p.end()
	}
}

func (p *liveProgress) run() {
	defer close(p.done)
	first := time.NewTimer(liveDelay)
	defer first.Stop()
	select {
	case <-p.stop:
		return
	case <-first.C:
	}
	tick := time.NewTicker(liveEvery)
	defer tick.Stop()
	for {
		p.draw()
		select {
		case <-p.stop:
			return
		case <-tick.C:
		}
	}
}

func (p *liveProgress) draw() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stopped {
		return
	}
	n := p.c.Requests()
	what := "requests"
	if n == 1 {
		what = "request"
	}
	fmt.Fprintf(p.w, "\r\x1b[Kipmictl: %d %s to the BMC, %ds", n, what, int(time.Since(p.start).Seconds()))
	p.shown = true
}

// clear erases the line if it is drawn; the next tick draws it again.
func (p *liveProgress) clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.shown = false
	}
}

// end stops the line for good and erases it.
func (p *liveProgress) end() {
	p.mu.Lock()
	if p.stopped {
		p.mu.Unlock()
		return
	}
	p.stopped = true
	close(p.stop)
	if p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.shown = false
	}
	p.mu.Unlock()
	<-p.done
}

// clearLive erases the single-BMC progress line before output.
func (f *Factory) clearLive() {
	if p := f.liveLine(); p != nil {
		p.clear()
	}
}

func (f *Factory) liveLine() *liveProgress {
	f.liveMu.Lock()
	defer f.liveMu.Unlock()
	return f.live
}

// fanoutProgress is the fan-out's line: hosts done, failed, rate.
type fanoutProgress struct {
	w                 io.Writer
	total, done, fail int
	start             time.Time
	on                bool
	shown             bool
}

func newFanoutProgress(f *Factory, total int, format OutputFormat) *fanoutProgress {
	on := progressWanted(f) && (format != OutputJSON || f.Fanout.Progress == "always")
	return &fanoutProgress{w: f.IO.ErrOut, total: total, start: time.Now(), on: on}
}

// finished counts one host.
func (p *fanoutProgress) finished(failed bool) {
	p.done++
	if failed {
		p.fail++
	}
}

// draw shows the line (again) below whatever was printed last.
func (p *fanoutProgress) draw() {
	if !p.on {
		return
	}
	rate := float64(p.done) / max(time.Since(p.start).Seconds(), 1e-3)
	fmt.Fprintf(p.w, "\r\x1b[K%d/%d hosts done, %d failed, %.0f hosts/s", p.done, p.total, p.fail, rate)
	p.shown = true
}

// clear erases the line before output is printed.
func (p *fanoutProgress) clear() {
	if p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.shown = false
	}
}
