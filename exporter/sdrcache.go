package exporter

import (
	"context"
	"time"

	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/sdr"
)

// sdrLoadTimeout bounds a repository read that outlives its scrape.
const sdrLoadTimeout = 2 * time.Minute

// sdrLoad is a repository read in progress, shared by the scrapes that
// need it.
type sdrLoad struct {
	done chan struct{}
	repo *sdr.Repository
	err  error
}

// repository returns the target's SDR repository: the copy in memory
// while the BMC's repository info (count, free space, timestamps) is
// unchanged, which costs one request per scrape. Otherwise it is read
// again (through the disk cache when one is configured) by a read that
// is not tied to the scrape: a BMC whose repository takes longer to read
// than a scrape may last still gets it read, and later scrapes use it.
func (e *entry) repository(ctx context.Context, c *ipmi.Client, x *Exporter) (*sdr.Repository, error) {
	info, err := sdr.GetRepoInfo(ctx, c)
	if ipmi.IsCompletion(err, ipmi.CodeInvalidCommand) {
		info, err = sdr.GetDeviceSDRInfo(ctx, c)
	}
	if err != nil {
		return nil, err
	}
	e.sdrMu.Lock()
	if e.repo != nil && *e.repo.Info == *info {
		repo := e.repo
		e.sdrMu.Unlock()
		return repo, nil
	}
	load := e.loading
	if load == nil {
		load = &sdrLoad{done: make(chan struct{})}
		e.loading = load
		go e.loadRepository(load, c, x)
	}
	e.sdrMu.Unlock()
	select {
	case <-load.done:
		return load.repo, load.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (e *entry) loadRepository(load *sdrLoad, c *ipmi.Client, x *Exporter) {
	ctx, cancel := context.WithTimeout(context.Background(), sdrLoadTimeout)
	defer cancel()
	l := &sdr.Loader{Client: c, Key: "exporter " + e.target + " " + e.module.User}
	if dir := x.config().SDRCacheDir; dir != "" {
		l.Cache = &sdr.Cache{Dir: dir}
	}
	load.repo, load.err = l.Load(ctx)
	if load.err == nil && !l.FromCache {
		x.metrics.sdrWalks.Inc()
	}
	e.sdrMu.Lock()
	if load.err == nil {
		e.repo = load.repo
	}
	e.loading = nil
	e.sdrMu.Unlock()
	close(load.done)
}
