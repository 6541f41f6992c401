package cmd

import (
	"os"
	"testing"
)

// TestMain keeps the tests away from the user's caches and config: every
// on-disk cache (SDRs, cipher suites) goes to a directory of the run.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "ipmictl-cmd-test-")
	if err != nil {
		panic(err)
	}
	os.Setenv("XDG_CACHE_HOME", dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
