//go:build unix

package sdr

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/internal/safefile"
	"github.com/ipmictl/ipmictl/ipmi"
)

// The cache directory is not trusted to hold only what ipmictl wrote: a
// file that is not ours, not a regular file or too large is not read,
// the repository comes from the BMC, the command goes on, and Warn says
// why.

// hostileCache warms a cache for key "k" from a fake BMC, lets plant
// replace the cache file, then loads again through a Loader.
func hostileCache(t *testing.T, plant func(path string)) (l *Loader, warned []error, took time.Duration) {
	t.Helper()
	bmc := newFakeBMC(t, simDump)
	c := &Cache{Dir: t.TempDir()}
	if _, err := (&Loader{Client: ipmi.NewClient(bmc), Cache: c, Key: "k"}).Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	p := c.path("k")
	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}
	plant(p)
	c.Warn = func(err error) { warned = append(warned, err) }
	l = &Loader{Client: ipmi.NewClient(bmc), Cache: c, Key: "k"}
	done := make(chan error, 1)
	start := time.Now()
	go func() { _, err := l.Load(context.Background()); done <- err }()
	select {
	case err := <-done:
		took = time.Since(start)
		if err != nil {
			t.Fatalf("load with a hostile cache file: %v", err)
		}
	case <-time.After(time.Second):
		t.Fatal("load blocked on the cache file for more than a second")
	}
	if l.FromCache {
		t.Fatal("hostile cache file used")
	}
	return l, warned, took
}

func wantWarned(t *testing.T, warned []error, sentinel error) {
	t.Helper()
	for _, w := range warned {
		if errors.Is(w, sentinel) {
			return
		}
	}
	t.Fatalf("warnings %v, want one for %v", warned, sentinel)
}

func TestCacheFIFOReturnsAtOnce(t *testing.T) {
	_, warned, took := hostileCache(t, func(p string) {
		if err := syscall.Mkfifo(p, 0o600); err != nil {
			t.Fatal(err)
		}
	})
	wantWarned(t, warned, safefile.ErrNotRegular)
	t.Logf("FIFO in place of the cache: BMC read instead after %v", took)
}

func TestCacheDevZeroSymlinkNotRead(t *testing.T) {
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	_, warned, took := hostileCache(t, func(p string) {
		if err := os.Symlink("/dev/zero", p); err != nil {
			t.Fatal(err)
		}
	})
	runtime.ReadMemStats(&ms1)
	wantWarned(t, warned, safefile.ErrSymlink)
	// The walk of the fake repository itself allocates a little; reading
	// /dev/zero up to the cache limit alone would be 4 MiB.
	if alloc := ms1.TotalAlloc - ms0.TotalAlloc; alloc > 2<<20 {
		t.Fatalf("loading with /dev/zero planted allocated %d bytes", alloc)
	}
	t.Logf("/dev/zero in place of the cache: refused after %v, %d bytes allocated in all", took, ms1.TotalAlloc-ms0.TotalAlloc)
}

func TestCacheSymlinkToOwnFileRefused(t *testing.T) {
	target := filepath.Join(t.TempDir(), "elsewhere.sdr")
	_, warned, _ := hostileCache(t, func(p string) {
		b, err := EncodeCacheFile(&CacheEntry{Key: "k", Info: newFakeBMC(t, simDump).info})
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(target, b, 0o600)
		os.Symlink(target, p)
	})
	wantWarned(t, warned, safefile.ErrSymlink)
}

func TestCacheOversizedFileRefused(t *testing.T) {
	_, warned, _ := hostileCache(t, func(p string) {
		os.WriteFile(p, make([]byte, maxCacheFile+1), 0o600)
	})
	wantWarned(t, warned, safefile.ErrTooLarge)
}

// A planted file that is valid in every byte (right key, right
// repository info, good checksum) but belongs to another user is not
// shown; the BMC's records are, and the file is replaced by ours.
func TestCachePlantedByAnotherUserIgnored(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("planting a file owned by another user (uid 65534) needs root; CI runs these tests as root")
	}
	bmc := newFakeBMC(t, simDump)
	l, warned, _ := hostileCache(t, func(p string) {
		raw := append([]byte(nil), bmc.records[0]...)
		b, err := EncodeCacheFile(&CacheEntry{Key: "k", Info: bmc.info, Records: [][]byte{raw}})
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chown(p, 65534, 65534); err != nil {
			t.Fatal(err)
		}
	})
	wantWarned(t, warned, safefile.ErrForeignOwner)
	st, err := os.Stat(l.Cache.path("k"))
	if err != nil {
		t.Fatal(err)
	}
	if st.Sys().(*syscall.Stat_t).Uid != 0 {
		t.Fatal("the planted file was not replaced by the walk's")
	}
	repo, _ := l.Cache.Load("k", &bmc.info)
	if repo == nil || len(repo.Records) != 23 {
		t.Fatal("rewritten cache does not hold the BMC's repository")
	}
}

func TestThresholdCacheRefusesHostileFiles(t *testing.T) {
	now := time.Now()
	set := testThresholdSet(now)
	for _, tc := range []struct {
		name     string
		root     bool
		sentinel error
		plant    func(t *testing.T, p string)
	}{
		{"fifo", false, safefile.ErrNotRegular, func(t *testing.T, p string) { syscall.Mkfifo(p, 0o600) }},
		{"dev zero", false, safefile.ErrSymlink, func(t *testing.T, p string) { os.Symlink("/dev/zero", p) }},
		{"too large", false, safefile.ErrTooLarge, func(t *testing.T, p string) { os.WriteFile(p, make([]byte, maxThresholdFile+1), 0o600) }},
		{"other user", true, safefile.ErrForeignOwner, func(t *testing.T, p string) {
			b, _ := EncodeThresholdFile(set)
			os.WriteFile(p, b, 0o600)
			os.Chown(p, 65534, 65534)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.root && os.Geteuid() != 0 {
				t.Skip("planting a file owned by another user (uid 65534) needs root; CI runs these tests as root")
			}
			var warned []error
			c := &Cache{Dir: t.TempDir(), Warn: func(err error) { warned = append(warned, err) }}
			tc.plant(t, c.thresholdPath(set.Key))
			done := make(chan *ThresholdSet, 1)
			go func() { done <- c.LoadThresholds(set.Key, &set.Info, time.Minute, now) }()
			select {
			case got := <-done:
				if got != nil {
					t.Fatal("hostile threshold file used")
				}
			case <-time.After(time.Second):
				t.Fatal("blocked for more than a second")
			}
			wantWarned(t, warned, tc.sentinel)
			// Saving replaces what was planted.
			if err := c.SaveThresholds(set); err != nil {
				t.Fatal(err)
			}
			if c.LoadThresholds(set.Key, &set.Info, time.Minute, now) == nil {
				t.Fatal("saved thresholds not loaded")
			}
		})
	}
}

func TestCacheRefusesDirectoryOthersCanWrite(t *testing.T) {
	dir := t.TempDir()
	os.Chmod(dir, 0o777)
	var warned []error
	c := &Cache{Dir: dir, Warn: func(err error) { warned = append(warned, err) }}
	bmc := newFakeBMC(t, simDump)
	l := &Loader{Client: ipmi.NewClient(bmc), Cache: c, Key: "k"}
	if _, err := l.Load(context.Background()); err != nil {
		t.Fatalf("a cache that cannot be written failed the command: %v", err)
	}
	wantWarned(t, warned, safefile.ErrWritable)
	if _, err := os.Stat(c.path("k")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("cache written to a directory others can write: %v", err)
	}
}
