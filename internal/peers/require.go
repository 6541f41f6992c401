package peers

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// RequireEnv is the environment variable that turns missing peers into
// failures instead of skips.
const RequireEnv = "IPMICTL_REQUIRE_PEERS"

// Require skips the test when one of tools is not installed, or fails it
// when IPMICTL_REQUIRE_PEERS=1. A tool is a program name looked up in PATH
// (and, for goipmi-server, in $(go env GOPATH)/bin).
func Require(t testing.TB, tools ...string) {
	t.Helper()
	var missing []string
	for _, tool := range tools {
		if _, err := lookTool(tool); err != nil {
			missing = append(missing, tool)
		}
	}
	if len(missing) == 0 {
		return
	}
	if os.Getenv(RequireEnv) == "1" {
		t.Fatalf("peers: required tool(s) %v not found and %s=1", missing, RequireEnv)
	}
	t.Skipf("\n*** PEER TEST SKIPPED: tool(s) %v not found (set %s=1 to make this a failure) ***", missing, RequireEnv)
}

// lookTool finds a peer program: PATH first, then the Go bin directories,
// where `go install` puts goipmi-server.
func lookTool(name string) (string, error) {
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	for _, dir := range goBinDirs() {
		p := filepath.Join(dir, name)
		if st, err := os.Stat(p); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", exec.ErrNotFound
}

func goBinDirs() []string {
	var dirs []string
	if d := os.Getenv("GOBIN"); d != "" {
		dirs = append(dirs, d)
	}
	if gp := os.Getenv("GOPATH"); gp != "" {
		for _, p := range filepath.SplitList(gp) {
			dirs = append(dirs, filepath.Join(p, "bin"))
		}
	}
	if home, err := os.UserHomeDir(); err == nil {
		dirs = append(dirs, filepath.Join(home, "go", "bin"))
	}
	return dirs
}
