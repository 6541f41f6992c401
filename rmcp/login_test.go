package rmcp

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// proposals returns the suites the fake BMC was asked for.
func (b *fakeBMC) proposed() []uint8 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return slices.Clone(b.proposals)
}

// Dial chooses only suites with integrity and encryption: a BMC offering
// nothing else gets a typed error naming its suites and how to opt in,
// and is never even asked for a weaker suite.
func TestAutoSuiteNeedsIntegrityAndEncryption(t *testing.T) {
	b := startFakeBMC(t, 1, 2)
	_, err := Dial(context.Background(), b.config())
	var se *SuiteError
	if !errors.As(err, &se) || !errors.Is(err, ErrNoAcceptableSuite) || !errors.Is(err, ErrCipherSuiteRefused) {
		t.Fatalf("BMC offering 1, 2: got %v, want a *SuiteError", err)
	}
	msg := err.Error()
	for _, want := range []string{"cipher suites 1, 2", "none has integrity and encryption", "-C N", "suite 1 also needs --insecure"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not say %q", msg, want)
		}
	}
	if strings.Contains(msg, "rmcp.") || strings.Contains(msg, "*") {
		t.Errorf("error %q names Go types", msg)
	}
	for _, id := range b.proposed() {
		if !autoSuite(int(id)) {
			t.Errorf("Open Session proposed suite %d on its own", id)
		}
	}

	// Named, an integrity-only suite is fine; one without integrity also
	// needs AllowInsecure.
	cfg := b.config()
	cfg.CipherSuite = 2
	s, err := Dial(context.Background(), cfg)
	if err != nil || s.CipherSuite() != 2 {
		t.Fatalf("-C 2: %v", err)
	}
	s.Close()
	cfg.CipherSuite = 1
	_, err = Dial(context.Background(), cfg)
	if !errors.Is(err, ErrInsecure) || !strings.Contains(err.Error(), "--insecure") {
		t.Errorf("-C 1 without AllowInsecure: %v", err)
	}
	cfg.AllowInsecure = true
	if s, err = Dial(context.Background(), cfg); err != nil || s.CipherSuite() != 1 {
		t.Fatalf("-C 1 with AllowInsecure: %v", err)
	}
	s.Close()
	// AllowInsecure alone widens nothing Dial chooses itself.
	cfg.CipherSuite = -1
	if _, err := Dial(context.Background(), cfg); !errors.As(err, &se) {
		t.Errorf("AllowInsecure without a named suite: %v", err)
	}
}

// First contact: 17 is proposed at once, 3 when 17 is refused, and the
// suite list is read only when both are: the setup costs 3 datagrams on
// a BMC with 17, 4 on one with 3 only, and never ends weaker than the
// strongest acceptable suite the BMC has.
func TestFirstContactDatagrams(t *testing.T) {
	lo := net.IPv4(127, 0, 0, 1)
	for _, c := range []struct {
		name      string
		suites    []uint8
		noList    bool
		silent    bool
		wantSuite int
		max       int64 // datagrams to the BMC during Dial
	}{
		{"17 and 3", []uint8{17, 3}, false, false, 17, 3},
		{"3 only", []uint8{3}, false, false, 3, 4},
		{"17 only", []uint8{17}, false, false, 17, 3},
		{"3 only, no list", []uint8{3}, true, false, 3, 4},
		{"8 and 2", []uint8{2, 8}, false, false, 8, 6},
		{"3, drops what it does not support, no list", []uint8{3}, true, true, 3, 2 + 2 + 3},
		{"17, 8, drops what it does not support", []uint8{8, 17}, false, true, 17, 3},
		{"8, drops what it does not support", []uint8{8, 2}, false, true, 8, 2 + 1 + 3},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := startFakeBMCOn(t, lo, nil, c.noList, c.suites...)
			b.silent.Store(c.silent)
			cfg := b.config()
			cfg.Timeout = 100 * time.Millisecond
			start := time.Now()
			s, err := Dial(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			n := b.packets.Load()
			t.Logf("%d datagrams, %v, proposals %v", n, time.Since(start).Round(time.Millisecond), b.proposed())
			if s.CipherSuite() != c.wantSuite {
				t.Errorf("suite %d, want %d", s.CipherSuite(), c.wantSuite)
			}
			if n > c.max {
				t.Errorf("%d datagrams to set up the session, budget %d", n, c.max)
			}
		})
	}
}

// The suite memory: Dial records what it chose and proposes it first next
// time (one datagram fewer on a BMC with 3 only); a weak remembered suite
// is ignored and overwritten.
func TestSuiteMemoryInDial(t *testing.T) {
	b := startFakeBMC(t, 3)
	mem := NewSuiteMap()
	cfg := b.config()
	cfg.Suites = mem
	s, err := Dial(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if got := mem.Recall(b.addr(), "admin"); got != 3 {
		t.Fatalf("remembered %d, want 3", got)
	}
	before := b.packets.Load()
	s, err = Dial(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	// Open Session, RAKP 1, RAKP 3 (and Close Session).
	if n := b.packets.Load() - before; n != 4 {
		t.Errorf("remembered suite: %d datagrams with Close Session, want 4", n)
	}
	// A memory that says 1 (tampered, or from an -C 1 run) is not used.
	b = startFakeBMC(t, 1, 3, 17)
	mem.m[b.addr()+"\x00admin"] = 1
	cfg = b.config()
	cfg.Suites = mem
	if s, err = Dial(context.Background(), cfg); err != nil || s.CipherSuite() != 17 {
		t.Fatalf("weak memory: %v", err)
	}
	s.Close()
	if slices.Contains(b.proposed(), 1) {
		t.Error("suite 1 proposed from memory")
	}
	if got := mem.Recall(b.addr(), "admin"); got != 17 {
		t.Errorf("memory now %d, want 17", got)
	}
}

func TestSuiteFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cache", "suites")
	f := NewSuiteFile(dir)
	if got := f.Recall("bmc:623", "admin"); got != -1 {
		t.Fatalf("empty memory recalls %d", got)
	}
	f.Remember("bmc:623", "admin", 1) // weak: not written
	if _, err := os.Stat(dir); err == nil {
		t.Error("a weak suite was written")
	}
	f.Remember("bmc:623", "admin", 17)
	if got := f.Recall("bmc:623", "admin"); got != 17 {
		t.Fatalf("recalled %d, want 17", got)
	}
	if got := f.Recall("bmc:623", "root"); got != -1 {
		t.Errorf("another user recalls %d", got)
	}
	path := f.path("bmc:623", "admin")
	if st, _ := os.Stat(dir); st.Mode().Perm() != 0o700 {
		t.Errorf("directory mode %v", st.Mode().Perm())
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("file mode %v", st.Mode().Perm())
	}
	// The name is the one cmd/suitecache.go used: old caches keep working.
	if sum := sha256.Sum256([]byte("bmc:623\x00admin")); filepath.Base(path) != hex.EncodeToString(sum[:12]) {
		t.Errorf("file name %s", filepath.Base(path))
	}

	replace := func(make func(p string) error) {
		t.Helper()
		os.Remove(path)
		if err := make(path); err != nil {
			t.Fatal(err)
		}
	}
	// A symbolic link to a good file is not followed.
	good := filepath.Join(t.TempDir(), "good")
	os.WriteFile(good, []byte("3\n"), 0o600)
	replace(func(p string) error { return os.Symlink(good, p) })
	if got := f.Recall("bmc:623", "admin"); got != -1 {
		t.Errorf("symlink: recalled %d", got)
	}
	// A FIFO neither blocks nor counts.
	replace(func(p string) error { return syscall.Mkfifo(p, 0o600) })
	done := make(chan int)
	go func() { done <- f.Recall("bmc:623", "admin") }()
	select {
	case got := <-done:
		if got != -1 {
			t.Errorf("FIFO: recalled %d", got)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Recall blocked on a FIFO")
	}
	// Too big, writable by others, or junk: ignored.
	for _, c := range []struct {
		body string
		mode os.FileMode
	}{{"17\n" + strings.Repeat(" ", 20), 0o600}, {"17\n", 0o666}, {"x17\n", 0o600}, {"-1\n", 0o600}, {"300\n", 0o600}} {
		replace(func(p string) error { return os.WriteFile(p, []byte(c.body), c.mode) })
		os.Chmod(path, c.mode)
		if got := f.Recall("bmc:623", "admin"); got != -1 {
			t.Errorf("%q mode %v: recalled %d", c.body, c.mode, got)
		}
	}
	// Owned by someone else: ignored (needs root to arrange).
	replace(func(p string) error { return os.WriteFile(p, []byte("17\n"), 0o600) })
	if os.Geteuid() == 0 {
		os.Chown(path, 4242, 4242)
		if got := f.Recall("bmc:623", "admin"); got != -1 {
			t.Errorf("file of another user: recalled %d", got)
		}
		os.Chown(path, 0, 0)
		os.Chown(dir, 4242, 4242)
		if got := f.Recall("bmc:623", "admin"); got != -1 {
			t.Errorf("directory of another user: recalled %d", got)
		}
		f.Remember("bmc:623", "admin", 3)
		os.Chown(dir, 0, 0)
		if got := f.Recall("bmc:623", "admin"); got != 17 {
			t.Errorf("wrote into another user's directory: recalled %d", got)
		}
	} else {
		t.Log("not root: the other-owner cases are not exercised")
	}
	// A loose directory of ours is tightened on the next write.
	os.Chmod(dir, 0o777)
	if got := f.Recall("bmc:623", "admin"); got != -1 {
		t.Errorf("world-writable directory: recalled %d", got)
	}
	f.Remember("bmc:623", "admin", 3)
	if got := f.Recall("bmc:623", "admin"); got != 3 {
		t.Errorf("after tightening: recalled %d", got)
	}
}

func FuzzSuiteFile(f *testing.F) {
	for _, s := range []string{"17\n", "3", "255\n", "256\n", "", "\n", "0017", "1 7", "-1", "12345678901234567"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		n, err := parseSuiteFile(b)
		if err != nil {
			if n != -1 {
				t.Fatalf("error with value %d", n)
			}
			return
		}
		if n < 0 || n > 255 || len(b) > 4 {
			t.Fatalf("%q: %d", b, n)
		}
	})
}
