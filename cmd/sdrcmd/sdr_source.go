package sdrcmd

import (
	"context"
	"encoding/hex"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/sdr"
)

// sdrGUIDer is implemented by transports that learned the BMC's system
// GUID while opening the session (RMCP+ RAKP 2 carries it), so the cache
// key can name the machine without another request.
type sdrGUIDer interface {
	SystemGUID() ([16]byte, bool)
}

// sdrCacheKey names the BMC in the SDR cache: interface, address and
// port, and the system GUID when the transport knows it.
func sdrCacheKey(o *cli.GlobalOptions, t ipmi.Transport) string {
	var b strings.Builder
	iface := strings.ToLower(o.Interface)
	if o.Host == "" {
		fmt.Fprintf(&b, "open:/dev/ipmi%d", o.Device)
	} else {
		if iface == "" {
			iface = "lanplus"
		}
		b.WriteString(iface + ":" + o.Host + ":" + strconv.Itoa(o.Port))
	}
	if o.TargetAddr != "" || o.TransitAddr != "" {
		fmt.Fprintf(&b, " t=%s/%s T=%s/%s", o.TargetAddr, o.TargetChan, o.TransitAddr, o.TransitChan)
	}
	if g, ok := t.(sdrGUIDer); ok {
		if guid, ok := g.SystemGUID(); ok {
			b.WriteString(" guid=" + hex.EncodeToString(guid[:]))
		}
	}
	return b.String()
}

// Session is what the sdr and sensor commands work with: the records,
// and the client for readings (nil until first needed with -S FILE).
type Session struct {
	f    *cli.Factory
	Repo *sdr.Repository
	// cache and key locate this BMC's files in the SDR cache (cache nil:
	// --sdr-cache off, or -S FILE).
	cache *sdr.Cache
	key   string
}

// client opens the BMC session lazily (with -S FILE, a command that only
// prints records never connects).
func (s *Session) client() (*ipmi.Client, error) { return s.f.Client() }

func (s *Session) ctx() context.Context { return s.f.Context() }

// Open loads the repository: from -S FILE, else from the BMC through
// the cache (--sdr-cache off|DIR; default the XDG cache directory).
func Open(f *cli.Factory) (*Session, error) {
	s := &Session{f: f}
	if f.Opts.SDRFile != "" {
		b, err := os.ReadFile(f.Opts.SDRFile)
		if err != nil {
			return nil, err
		}
		repo, err := sdr.ParseDump(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Opts.SDRFile, err)
		}
		s.Repo = repo
		return s, nil
	}
	c, err := f.Client()
	if err != nil {
		return nil, err
	}
	l := &sdr.Loader{Client: c}
	if cache := sdrCache(f.Opts.SDRCache); cache != nil {
		cache.Warn = func(err error) { fmt.Fprintf(f.IO.ErrOut, "ipmictl: warning: SDR cache not used: %v\n", err) }
		l.Cache, l.Key = cache, sdrCacheKey(f.Opts, c.Transport())
		s.cache, s.key = cache, l.Key
	}
	repo, err := l.Load(f.Context())
	if err != nil {
		return nil, fmt.Errorf("reading the SDR repository: %w", err)
	}
	if f.Opts.Verbose > 0 {
		src := "BMC"
		if l.FromCache {
			src = "cache"
		}
		fmt.Fprintf(f.IO.ErrOut, "SDR: %d records from the %s\n", len(repo.Records), src)
		for _, e := range repo.Skipped {
			fmt.Fprintf(f.IO.ErrOut, "SDR: skipped %v\n", e)
		}
	}
	s.Repo = repo
	return s, nil
}

// sdrCache turns --sdr-cache into a cache (nil for "off" or when no cache
// directory can be found).
func sdrCache(opt string) *sdr.Cache {
	switch opt {
	case "off", "none", "no":
		return nil
	case "":
		dir, err := sdr.DefaultCacheDir()
		if err != nil {
			return nil
		}
		return &sdr.Cache{Dir: dir}
	}
	return &sdr.Cache{Dir: opt}
}

// sdrFindByName returns the first record whose ID string equals name, as
// ipmitool's lookup does.
func (s *Session) FindByName(name string) *sdr.Record {
	for _, r := range s.Repo.Records {
		if sdrDisplayName(r) == name {
			return r
		}
	}
	return nil
}

// sdrDisplayName is the name printed for a record: the decoded ID string,
// capped at 16 bytes like ipmitool's buffer.
func sdrDisplayName(r *sdr.Record) string {
	return r.Name()
}
