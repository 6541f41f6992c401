package exporter

import (
	"container/list"
	"context"
	"sync"
	"time"

	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/sdr"
)

// Dialer opens a session to target with a module's settings. hint is a
// cipher suite that worked with this target before (0: none).
type Dialer func(ctx context.Context, target string, m *Module, hint int) (ipmi.Transport, error)

// suiteReporter is what an RMCP+ session tells about itself.
type suiteReporter interface{ CipherSuite() int }

// pool keeps one open session per target (and module), reused by every
// scrape of that target until it fails, goes idle, or is pushed out by
// newer targets (least recently used first).
//
// Targets are kept in two lists. A target enters on probation (newLRU,
// at most maxNew): its login is in progress or failed. Once a login
// succeeds it moves to the established list (lru, at most max), where
// only other established targets compete for room. So a flood of names
// that lead nowhere (typos, scans, a hostile client) churns the
// probation list only, and never closes a working session.
type pool struct {
	dial    Dialer
	max     int
	maxNew  int
	idle    time.Duration
	ping    time.Duration
	metrics *selfMetrics
	logf    func(string, ...any)

	ctx    context.Context // cancelled by closeAll: stops logins in progress
	cancel context.CancelFunc
	dials  sync.WaitGroup

	bg sync.WaitGroup // Close Sessions running in the background

	mu     sync.Mutex
	lru    *list.List // of *entry with a session opened once, most recently used in front
	newLRU *list.List // of *entry never logged in to, most recently used in front
	byKey  map[string]*entry
	closed bool
}

// entry is one target's session and SDR repository.
type entry struct {
	p      *pool
	key    string
	target string
	module *Module
	// moduleName labels logs and metrics.
	moduleName string
	elem       *list.Element

	// Under pool.mu:
	t        ipmi.Transport
	client   *ipmi.Client
	suite    int
	lastUse  time.Time // last scrape
	lastPing time.Time // last scrape or keepalive
	users    int
	evicted  bool
	pinging  bool
	dialing  *dialCall
	stopDial context.CancelFunc // cancels the login in progress
	proven   bool               // a login succeeded once: e is in lru, not newLRU

	sdrMu   sync.Mutex
	repo    *sdr.Repository
	loading *sdrLoad // a repository read in progress

	selMu      sync.Mutex
	selLog     *selSnapshot
	selLoading *selLoad // a SEL read in progress
}

func newPool(dial Dialer, c *Config, m *selfMetrics, logf func(string, ...any)) *pool {
	ctx, cancel := context.WithCancel(context.Background())
	return &pool{
		dial: dial, max: c.MaxTargets, idle: time.Duration(c.SessionIdle), ping: time.Duration(c.Keepalive),
		maxNew:  c.MaxNewTargets,
		metrics: m, logf: logf, lru: list.New(), newLRU: list.New(), byKey: map[string]*entry{}, ctx: ctx, cancel: cancel,
	}
}

// listOf returns the list e is on.
func (p *pool) listOf(e *entry) *list.List {
	if e.proven {
		return p.lru
	}
	return p.newLRU
}

// trimLocked evicts the least recently used entries of l beyond n,
// sparing keep.
func (p *pool) trimLocked(l *list.List, n int, keep *entry) {
	for l.Len() > max(n, 1) {
		old := l.Back().Value.(*entry)
		if old == keep {
			if old = keep.elemPrev(); old == nil {
				break
			}
		}
		p.evictLocked(old)
	}
}

func (e *entry) elemPrev() *entry {
	if prev := e.elem.Prev(); prev != nil {
		return prev.Value.(*entry)
	}
	return nil
}

// acquire returns the entry for key, marked in use until release. It
// evicts the least recently used idle entries beyond the pool's size.
func (p *pool) acquire(key, target, moduleName string, m *Module) *entry {
	p.mu.Lock()
	defer p.mu.Unlock()
	e := p.byKey[key]
	if e == nil || e.module != m {
		if e != nil {
			p.evictLocked(e) // the module changed (reload): start afresh
		}
		e = &entry{p: p, key: key, target: target, module: m, moduleName: moduleName}
		e.elem = p.newLRU.PushFront(e)
		p.byKey[key] = e
	} else {
		p.listOf(e).MoveToFront(e.elem)
	}
	e.users++
	e.lastUse = time.Now()
	if e.proven {
		p.trimLocked(p.lru, p.max, e)
	} else {
		p.trimLocked(p.newLRU, p.maxNew, e)
	}
	p.metrics.targets.Set(float64(len(p.byKey)))
	return e
}

// promoteLocked moves e, just logged in to, from probation to the
// established targets, making room there.
func (p *pool) promoteLocked(e *entry) {
	if e.proven || e.evicted {
		return
	}
	p.newLRU.Remove(e.elem)
	e.proven = true
	e.elem = p.lru.PushFront(e)
	p.trimLocked(p.lru, p.max, e)
}

// release ends a use of e; an evicted entry's session closes with its
// last user. scraped says the use was a scrape (not a keepalive), which
// restarts the idle timer.
func (p *pool) release(e *entry, scraped bool) {
	p.mu.Lock()
	e.users--
	if scraped {
		e.lastUse = time.Now()
	}
	var t ipmi.Transport
	if e.evicted && e.users == 0 {
		t = e.takeLocked()
	}
	p.mu.Unlock()
	p.closeAsync(t)
}

// evictLocked removes e from the pool; its session closes now if nobody
// is using it, else when the last user releases it.
func (p *pool) evictLocked(e *entry) {
	if e.evicted {
		return
	}
	e.evicted = true
	p.listOf(e).Remove(e.elem)
	delete(p.byKey, e.key)
	if e.stopDial != nil {
		e.stopDial() // a login nobody will use: stop sending
	}
	if e.users == 0 {
		if t := e.takeLocked(); t != nil && !p.closed {
			p.bg.Add(1)
			go func() {
				defer p.bg.Done()
				p.closeSession(t)
			}()
		} else if t != nil {
			go p.closeSession(t)
		}
	}
	p.metrics.targets.Set(float64(len(p.byKey)))
}

// takeLocked detaches e's session for closing.
func (e *entry) takeLocked() ipmi.Transport {
	t := e.t
	e.t, e.client = nil, nil
	return t
}

// closeAsync closes t in the background: Close Session waits for the
// BMC's answer (up to two seconds when it is silent), and no scrape
// should wait for that. closeAll waits for these closes.
func (p *pool) closeAsync(t ipmi.Transport) {
	if t == nil {
		return
	}
	p.mu.Lock()
	if p.closed { // shutting down: closeAll is waiting, close here
		p.mu.Unlock()
		p.closeSession(t)
		return
	}
	p.bg.Add(1)
	p.mu.Unlock()
	go func() {
		defer p.bg.Done()
		p.closeSession(t)
	}()
}

func (p *pool) closeSession(t ipmi.Transport) {
	if t == nil {
		return
	}
	t.Close()
	p.metrics.sessionsClosed.Inc()
	p.metrics.sessionsOpen.Dec()
}

// dialCall is a session being opened, shared by the scrapes waiting for it.
type dialCall struct {
	done   chan struct{}
	client *ipmi.Client
	err    error
}

// session returns e's open session, opening one if there is none. fresh
// reports a session opened for this call. It returns by ctx's deadline
// even if the BMC is slow to log in; the login then goes on (bounded by
// the module's timeout) and a session it opens serves the next scrape.
func (e *entry) session(ctx context.Context) (c *ipmi.Client, fresh bool, err error) {
	p := e.p
	p.mu.Lock()
	if e.client != nil {
		c := e.client
		p.mu.Unlock()
		return c, false, nil
	}
	if p.closed || e.evicted {
		p.mu.Unlock()
		return nil, false, errPoolClosed
	}
	d := e.dialing
	if d == nil {
		d = &dialCall{done: make(chan struct{})}
		e.dialing = d
		dctx, cancel := context.WithTimeout(p.ctx, e.module.scrapeTimeout())
		e.stopDial = cancel
		p.dials.Add(1)
		go e.dial(dctx, cancel, d, e.suite)
	}
	p.mu.Unlock()
	select {
	case <-d.done:
		return d.client, d.err == nil, d.err
	case <-ctx.Done():
		return nil, false, ctx.Err()
	}
}

func (e *entry) dial(ctx context.Context, cancel context.CancelFunc, d *dialCall, hint int) {
	p := e.p
	defer p.dials.Done()
	t, err := p.dial(ctx, e.target, e.module, hint)
	cancel()
	if err == nil {
		if err = checkSession(t, e.module); err != nil {
			p.metrics.sessionsOpened.Inc()
			p.metrics.sessionsOpen.Inc()
			p.closeAsync(t)
			t = nil
		}
	}
	if err != nil {
		p.metrics.dialErrors.Inc()
	} else {
		p.metrics.sessionsOpened.Inc()
		p.metrics.sessionsOpen.Inc()
	}
	p.mu.Lock()
	e.dialing, e.stopDial = nil, nil
	switch {
	case err != nil:
		d.err = err
	case p.closed || e.evicted:
		d.err = errPoolClosed
	default:
		e.t, e.client = t, ipmi.NewClient(t)
		if s, ok := t.(suiteReporter); ok {
			e.suite = s.CipherSuite()
		}
		e.lastPing = time.Now()
		d.client = e.client
		p.promoteLocked(e)
	}
	p.mu.Unlock()
	if err == nil && d.err != nil {
		p.closeAsync(t)
	}
	close(d.done)
}

// drop closes e's session if it is still c, so the next scrape dials a
// new one (the BMC dropped it, or it stopped answering).
func (e *entry) drop(c *ipmi.Client) {
	p := e.p
	p.mu.Lock()
	var t ipmi.Transport
	if e.client == c && c != nil {
		t = e.takeLocked()
	}
	p.mu.Unlock()
	if t != nil {
		p.metrics.sessionsDropped.Inc()
		p.closeAsync(t) // a silent BMC holds Close Session for seconds
	}
}

// touch records traffic on e's session (a scrape), so no keepalive is due.
func (e *entry) touch() {
	e.p.mu.Lock()
	e.lastPing = time.Now()
	e.p.mu.Unlock()
}

// sweep closes sessions idle longer than the idle timeout and pings the
// others that have been quiet for a keepalive interval.
func (p *pool) sweep(now time.Time) {
	p.mu.Lock()
	var ping []*entry
	for _, l := range []*list.List{p.lru, p.newLRU} {
		for el := l.Back(); el != nil; {
			e := el.Value.(*entry)
			el = el.Prev()
			switch {
			case e.users > 0:
			case now.Sub(e.lastUse) >= p.idle:
				p.evictLocked(e)
			case p.ping > 0 && e.client != nil && !e.pinging && now.Sub(e.lastPing) >= p.ping:
				e.pinging = true
				e.users++ // keeps the session from closing under the ping
				ping = append(ping, e)
			}
		}
	}
	p.mu.Unlock()
	for _, e := range ping {
		go p.keepalive(e)
	}
}

// keepalive sends Get Device ID on e's session; a failure drops it.
func (p *pool) keepalive(e *entry) {
	p.mu.Lock()
	c := e.client
	p.mu.Unlock()
	m := e.module
	if c != nil {
		ctx, cancel := context.WithTimeout(context.Background(), m.requestTimeout()*time.Duration(m.retries()+1))
		_, err := c.GetDeviceID(ctx)
		cancel()
		p.metrics.keepalives.Inc()
		if err != nil {
			p.logf("target=%q: keepalive failed, closing the session: %v", e.target, err)
			e.drop(c)
		} else {
			e.touch()
		}
	}
	p.mu.Lock()
	e.pinging = false
	p.mu.Unlock()
	p.release(e, false)
}

// closeAll closes every session and refuses new ones.
func (p *pool) closeAll() {
	p.mu.Lock()
	p.closed = true
	var ts []ipmi.Transport
	for _, e := range p.byKey {
		e.evicted = true
		if t := e.takeLocked(); t != nil {
			ts = append(ts, t)
		}
	}
	p.byKey = map[string]*entry{}
	p.lru.Init()
	p.newLRU.Init()
	p.metrics.targets.Set(0)
	p.mu.Unlock()
	p.cancel()
	p.dials.Wait() // a login that finishes now closes its own session
	p.bg.Wait()    // and so do the background closes begun before
	var wg sync.WaitGroup
	for _, t := range ts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.closeSession(t)
		}()
	}
	wg.Wait()
}

// flush closes every session but keeps the pool open (config reload).
func (p *pool) flush() {
	p.mu.Lock()
	for _, e := range p.byKey {
		p.evictLocked(e)
	}
	p.mu.Unlock()
}
