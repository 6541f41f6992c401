package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// The suite cache remembers which cipher suite a BMC accepted, so the next
// Run skips the suite-list probe (5 UDP requests for "chassis power status"
// instead of 11 on a BMC with a long list). It holds no secrets: one small
// file per BMC and user, named by a hash, containing the suite number. rmcp
// only takes a hint that has integrity and encryption, so a tampered file
// cannot downgrade a session; a file not owned by us is ignored.

func suiteCacheDir() string {
	dir := os.Getenv("XDG_CACHE_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return ""
		}
		dir = filepath.Join(home, ".cache")
	}
	return filepath.Join(dir, "ipmictl", "suites")
}

func suiteCachePath(addr, user string) string {
	dir := suiteCacheDir()
	if dir == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(addr + "\x00" + user))
	return filepath.Join(dir, hex.EncodeToString(sum[:12]))
}

// loadSuiteHint returns the remembered suite, or -1.
func loadSuiteHint(addr, user string) int {
	p := suiteCachePath(addr, user)
	if p == "" {
		return -1
	}
	st, err := os.Stat(p)
	if err != nil || !st.Mode().IsRegular() || st.Size() > 8 {
		return -1
	}
	if sys, ok := st.Sys().(*syscall.Stat_t); ok && int(sys.Uid) != os.Getuid() {
		return -1
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return -1
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || n < 0 || n > 255 {
		return -1
	}
	return n
}

// saveSuiteHint records suite for addr and user; failures are ignored (a
// read-only home only costs the probe next time).
func saveSuiteHint(addr, user string, suite int) {
	p := suiteCachePath(addr, user)
	if p == "" || suite < 0 || loadSuiteHint(addr, user) == suite {
		return
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), ".suite-*")
	if err != nil {
		return
	}
	_, werr := tmp.WriteString(strconv.Itoa(suite) + "\n")
	if cerr := tmp.Close(); werr != nil || cerr != nil {
		os.Remove(tmp.Name())
		return
	}
	if os.Rename(tmp.Name(), p) != nil {
		os.Remove(tmp.Name())
	}
}
