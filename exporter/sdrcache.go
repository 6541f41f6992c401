package exporter

import (
	"context"

	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/sdr"
)

// repository returns the target's SDR repository: the copy in memory
// while the BMC's repository info (count, free space, timestamps) is
// unchanged, which costs one request per scrape; else it is read again
// (through the disk cache when one is configured).
func (e *entry) repository(ctx context.Context, c *ipmi.Client, x *Exporter) (*sdr.Repository, error) {
	e.sdrMu.Lock()
	defer e.sdrMu.Unlock()
	info, err := sdr.GetRepoInfo(ctx, c)
	if ipmi.IsCompletion(err, ipmi.CodeInvalidCommand) {
		info, err = sdr.GetDeviceSDRInfo(ctx, c)
	}
	if err != nil {
		return nil, err
	}
	if e.repo != nil && *e.repo.Info == *info {
		return e.repo, nil
	}
	l := &sdr.Loader{Client: c, Key: "exporter " + e.target + " " + e.module.User}
	if dir := x.config().SDRCacheDir; dir != "" {
		l.Cache = &sdr.Cache{Dir: dir}
	}
	repo, err := l.Load(ctx)
	if err != nil {
		return nil, err
	}
	if !l.FromCache {
		x.metrics.sdrWalks.Inc()
	}
	e.repo = repo
	return repo, nil
}
