package rmcp

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"sync"
)

// SuiteMemory remembers, per BMC and user, the cipher suite Dial chose
// last time, so that the next Dial proposes it at once (Config.Suites).
// It holds no secrets. Dial takes a recalled suite only if it would have
// chosen it itself (integrity and encryption), so a memory that lies can
// cost a round trip but never weaken a session.
type SuiteMemory interface {
	// Recall returns the suite remembered for addr ("host:port") and
	// user, or -1.
	Recall(addr, user string) int
	// Remember records suite for addr and user. Failures are silent: a
	// memory that cannot write costs a round trip next time, no more.
	Remember(addr, user string, suite int)
}

// suiteFileMax is the largest suite file read: "255\n" and some slack.
const suiteFileMax = 16

// SuiteFile is a SuiteMemory kept on disk, one small file per BMC and
// user named by a hash of both, holding the suite number in decimal. The
// directory is created 0700 and the files 0600; a file is read only if
// it is a regular file (opened without following symbolic links, and
// without blocking on a FIFO), at most 16 bytes, and owned by the user
// running the program: anything else is ignored, not trusted. On systems
// without those checks (not Unix) it remembers nothing.
type SuiteFile struct {
	dir string
}

// NewSuiteFile returns a SuiteMemory kept in dir (created on the first
// Remember). DefaultSuiteDir is where ipmictl keeps it.
func NewSuiteFile(dir string) *SuiteFile { return &SuiteFile{dir: dir} }

// DefaultSuiteDir returns $XDG_CACHE_HOME/ipmictl/suites, or
// ~/.cache/ipmictl/suites, or "" when neither is known.
func DefaultSuiteDir() string {
	dir := os.Getenv("XDG_CACHE_HOME")
	if dir == "" || !filepath.IsAbs(dir) {
		home, err := os.UserHomeDir()
		if err != nil || home == "" {
			return ""
		}
		dir = filepath.Join(home, ".cache")
	}
	return filepath.Join(dir, "ipmictl", "suites")
}

// Dir returns the directory the memory lives in.
func (f *SuiteFile) Dir() string { return f.dir }

func (f *SuiteFile) path(addr, user string) string {
	sum := sha256.Sum256([]byte(addr + "\x00" + user))
	return filepath.Join(f.dir, hex.EncodeToString(sum[:12]))
}

// Recall implements SuiteMemory.
func (f *SuiteFile) Recall(addr, user string) int {
	if f == nil || f.dir == "" || !suiteFilesSupported || !trustedDir(f.dir) {
		return -1
	}
	b, err := readSuiteFile(f.path(addr, user))
	if err != nil {
		return -1
	}
	n, err := parseSuiteFile(b)
	if err != nil {
		return -1
	}
	return n
}

// Remember implements SuiteMemory. Only suites Dial may choose itself are
// written.
func (f *SuiteFile) Remember(addr, user string, suite int) {
	if f == nil || f.dir == "" || !suiteFilesSupported || !autoSuite(suite) || f.Recall(addr, user) == suite {
		return
	}
	if err := os.MkdirAll(f.dir, 0o700); err != nil {
		return
	}
	if st, err := os.Lstat(f.dir); err != nil || !st.IsDir() || !ownedByMe(st) {
		return
	}
	os.Chmod(f.dir, 0o700) // ours: tighten an older, looser one
	if !trustedDir(f.dir) {
		return
	}
	tmp, err := os.CreateTemp(f.dir, ".suite-*") // 0600
	if err != nil {
		return
	}
	_, werr := tmp.WriteString(strconv.Itoa(suite) + "\n")
	if cerr := tmp.Close(); werr != nil || cerr != nil {
		os.Remove(tmp.Name())
		return
	}
	if os.Rename(tmp.Name(), f.path(addr, user)) != nil {
		os.Remove(tmp.Name())
	}
}

// errSuiteFile says a suite file is not one to trust.
var errSuiteFile = errors.New("suite file ignored")

// readSuiteFile reads path if it is a regular file of ours, at most
// suiteFileMax bytes, never following a symbolic link or blocking.
func readSuiteFile(path string) ([]byte, error) {
	fd, err := openNoFollow(path)
	if err != nil {
		return nil, err
	}
	defer fd.Close()
	st, err := fd.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() || st.Size() > suiteFileMax || st.Mode().Perm()&0o022 != 0 || !ownedByMe(st) {
		return nil, errSuiteFile
	}
	return io.ReadAll(io.LimitReader(fd, suiteFileMax+1))
}

// trustedDir reports whether dir is a directory (not a symbolic link)
// owned by us and writable by nobody else.
func trustedDir(dir string) bool {
	st, err := os.Lstat(dir)
	return err == nil && st.IsDir() && ownedByMe(st) && st.Mode().Perm()&0o022 == 0
}

// parseSuiteFile decodes a suite file: a decimal number 0..255 and an
// optional newline, nothing else.
func parseSuiteFile(b []byte) (int, error) {
	if len(b) > suiteFileMax {
		return -1, formatErr("suite file", suiteFileMax, "%d bytes, at most %d", len(b), suiteFileMax)
	}
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
	}
	if len(b) == 0 || len(b) > 3 {
		return -1, formatErr("suite file", 0, "want a number of 1 to 3 digits")
	}
	n := 0
	for i, c := range b {
		if c < '0' || c > '9' {
			return -1, formatErr("suite file", i, "byte 0x%02x is not a digit", c)
		}
		n = n*10 + int(c-'0')
	}
	if n > 255 {
		return -1, formatErr("suite file", 0, "suite %d is out of range", n)
	}
	return n, nil
}

// SuiteMap is a SuiteMemory in memory, safe for concurrent use: for a
// long-running program (the exporter) or tests.
type SuiteMap struct {
	mu sync.Mutex
	m  map[string]int
}

// NewSuiteMap returns an empty SuiteMap.
func NewSuiteMap() *SuiteMap { return &SuiteMap{m: map[string]int{}} }

// Recall implements SuiteMemory.
func (m *SuiteMap) Recall(addr, user string) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	if n, ok := m.m[addr+"\x00"+user]; ok {
		return n
	}
	return -1
}

// Remember implements SuiteMemory; only suites Dial may choose itself are
// kept.
func (m *SuiteMap) Remember(addr, user string, suite int) {
	if !autoSuite(suite) {
		return
	}
	m.mu.Lock()
	m.m[addr+"\x00"+user] = suite
	m.mu.Unlock()
}
