// Package clitest runs ipmictl's command groups in-process for tests:
// against a fake BMC that answers from a table, an in-process simulated
// BMC, or a live peer.
package clitest

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/cmd/cli"
)

// groups are the command groups of the test binary, set by Main.
var groups []cli.NewGroup

// Main is a test package's TestMain: it keeps the tests away from the
// user's caches (every on-disk cache goes to a directory of the run),
// runs them in UTC, and builds command trees from the given groups.
func Main(m *testing.M, g ...cli.NewGroup) {
	groups = g
	time.Local = time.UTC // recorded answers and goldens were taken in UTC
	dir, err := os.MkdirTemp("", "ipmictl-cmd-test-")
	if err != nil {
		panic(err)
	}
	os.Setenv("XDG_CACHE_HOME", dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// NewFactory returns a factory with the test binary's groups.
func NewFactory() *cli.Factory {
	f := cli.NewFactory()
	f.Groups = groups
	return f
}

// RunLive runs ipmictl in-process against a real BMC at host:port.
func RunLive(t *testing.T, host string, port int, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	f := NewFactory()
	f.IO = &cli.IOStreams{In: bytes.NewReader(nil), Out: &out, ErrOut: &errOut}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	f.Ctx = ctx
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	all := append([]string{"-H", host, "-p", strconv.Itoa(port)}, args...)
	code := cli.Run(f, all)
	return out.String(), errOut.String(), code
}

// TestdataDir is cmd/testdata, where the golden outputs and recorded BMC
// answers live, wherever the test runs from.
func TestdataDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "testdata")
}
