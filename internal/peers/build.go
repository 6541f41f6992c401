package peers

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
)

var ipmictlBuild struct {
	once sync.Once
	path string
	err  error
}

// BuildIpmictl builds ./cmd/ipmictl once per test binary and returns the
// binary's path. A build failure fails the test. The binary lives in
// $TMPDIR/ipmictl-peers-build-PID; directories of finished test processes are
// removed by the next build.
func BuildIpmictl(t testing.TB) string {
	t.Helper()
	ipmictlBuild.once.Do(func() {
		ipmictlBuild.path, ipmictlBuild.err = buildIpmictl()
	})
	if ipmictlBuild.err != nil {
		t.Fatalf("peers: building cmd/ipmictl: %v", ipmictlBuild.err)
	}
	return ipmictlBuild.path
}

const buildDirPrefix = "ipmictl-peers-build-"

func buildIpmictl() (string, error) {
	lab, err := labDir()
	if err != nil {
		return "", err
	}
	removeStaleBuildDirs()
	root := filepath.Dir(filepath.Dir(lab)) // testdata/ipmisim -> module root
	dir := filepath.Join(os.TempDir(), buildDirPrefix+strconv.Itoa(os.Getpid()))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "ipmictl")
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(os.Getenv("GOROOT"), "bin", "go")
	}
	cmd := exec.Command(goTool, "build", "-o", bin, "./cmd/ipmictl")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return "", fmt.Errorf("%v\n%s", err, out)
	}
	return bin, nil
}

func removeStaleBuildDirs() {
	entries, _ := os.ReadDir(os.TempDir())
	for _, e := range entries {
		pid, ok := strings.CutPrefix(e.Name(), buildDirPrefix)
		if !ok || !e.IsDir() {
			continue
		}
		n, err := strconv.Atoi(pid)
		if err != nil || n == os.Getpid() {
			continue
		}
		if _, err := os.Stat("/proc/" + pid); os.IsNotExist(err) {
			os.RemoveAll(filepath.Join(os.TempDir(), e.Name()))
		}
	}
}
