package cli

import (
	"bytes"
	"debug/buildinfo"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

func TestVersionFrom(t *testing.T) {
	const rev = "0123456789abcdef0123456789abcdef01234567"
	vcs := func(modified string) []debug.BuildSetting {
		return []debug.BuildSetting{
			{Key: "vcs", Value: "git"},
			{Key: "vcs.revision", Value: rev},
			{Key: "vcs.time", Value: "2026-01-02T03:04:05Z"},
			{Key: "vcs.modified", Value: modified},
		}
	}
	info := func(main string, s []debug.BuildSetting) *debug.BuildInfo {
		return &debug.BuildInfo{Main: debug.Module{Path: "github.com/ipmictl/ipmictl", Version: main}, Settings: s}
	}
	for _, tc := range []struct {
		name    string
		ldflags string
		info    *debug.BuildInfo
		ok      bool
		want    string
	}{
		{"ldflags win over everything", "v1.4.0-3-gabcdef", info("v1.2.3", vcs("false")), true, "v1.4.0-3-gabcdef"},
		{"go install @version", "", info("v1.2.3", nil), true, "v1.2.3"},
		{"go build in a tagged checkout", "", info("v1.2.4-0.20260102030405-0123456789ab+dirty", vcs("true")), true, "v1.2.4-0.20260102030405-0123456789ab+dirty"},
		{"devel with a clean commit", "", info("(devel)", vcs("false")), true, "devel-0123456789ab"},
		{"devel with changes", "", info("(devel)", vcs("true")), true, "devel-0123456789ab-dirty"},
		{"no main version, commit only", "", info("", vcs("false")), true, "devel-0123456789ab"},
		{"short revision kept whole", "", info("(devel)", []debug.BuildSetting{{Key: "vcs.revision", Value: "abc"}}), true, "devel-abc"},
		{"devel without vcs (-buildvcs=false)", "", info("(devel)", nil), true, "dev"},
		{"no build info", "", nil, false, "dev"},
		{"ok but nil", "", nil, true, "dev"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := versionFrom(tc.ldflags, tc.info, tc.ok); got != tc.want {
				t.Errorf("versionFrom = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestVersionFlagPrintsVersion(t *testing.T) {
	old := Version
	t.Cleanup(func() { Version = old })
	Version = "v9.8.7"
	var out, errOut bytes.Buffer
	f := NewFactory()
	f.IO = &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}
	if code := Run(f, []string{"--version"}); code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errOut.String())
	}
	if got := out.String(); got != "ipmictl version v9.8.7\n" {
		t.Errorf("--version printed %q", got)
	}
}

// TestPlainGoBuildReportsBuildInfo builds ipmictl without -ldflags, as
// go build and go install do, and checks that --version prints what the
// binary's own build information gives: the module version or the
// commit when the toolchain recorded them (not "dev").
func TestPlainGoBuildReportsBuildInfo(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "ipmictl")
	build := exec.Command("go", "build", "-o", bin, "./cmd/ipmictl")
	build.Dir = root
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	info, err := buildinfo.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	want := versionFrom("", info, true)
	out, err := exec.Command(bin, "--version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if got := string(out); got != "ipmictl version "+want+"\n" {
		t.Errorf("--version printed %q, want version %q", got, want)
	}
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && want == "dev" {
			t.Errorf("the binary records commit %s but --version says dev", s.Value)
		}
	}
	t.Logf("plain go build: module version %q, --version %q", info.Main.Version, want)
}
