package sdr

import (
	"context"

	"github.com/ipmictl/ipmictl/ipmi"
)

// Loader fetches a BMC's repository, through the cache when it has one.
type Loader struct {
	Client *ipmi.Client
	// Cache, when set, is consulted with Key; a hit costs one request.
	Cache *Cache
	// Key identifies the BMC in the cache (host, port, GUID if known).
	Key string

	// FromCache reports, after Load, whether the records came from the cache.
	FromCache bool
}

// Load returns the repository: Get SDR Repository Info, then the cached
// records when they are current, else a walk (saved to the cache). A
// controller without a repository (Get SDR Repository Info is an invalid
// command) is read through its Device SDRs instead.
func (l *Loader) Load(ctx context.Context) (*Repository, error) {
	device := false
	info, err := GetRepoInfo(ctx, l.Client)
	if ipmi.IsCompletion(err, ipmi.CodeInvalidCommand) {
		if dinfo, derr := GetDeviceSDRInfo(ctx, l.Client); derr == nil {
			info, err, device = dinfo, nil, true
		}
	}
	if err != nil {
		return nil, err
	}
	chunk := 0
	if l.Cache != nil {
		var repo *Repository
		if repo, chunk = l.Cache.Load(l.Key, info); repo != nil {
			l.FromCache = true
			return repo, nil
		}
	}
	w := &Walker{Client: l.Client, ChunkSize: chunk, Device: device}
	repo, err := w.Walk(ctx, info)
	if err != nil {
		return nil, err
	}
	if l.Cache != nil {
		// A cache that cannot be written only costs speed next time.
		_ = l.Cache.Save(l.Key, repo)
	}
	return repo, nil
}
