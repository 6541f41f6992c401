package refdocs

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
)

var repoRoot = filepath.Join("..", "..", "..")

// TestCommittedManPagesAreCurrent regenerates the man pages with the date
// of the committed ones and compares every page.
func TestCommittedManPagesAreCurrent(t *testing.T) {
	committed := filepath.Join(repoRoot, "docs", "man")
	page, err := os.ReadFile(filepath.Join(committed, "ipmictl.1"))
	if err != nil {
		t.Fatalf("docs/man/ipmictl.1: %v (run make docs)", err)
	}
	m := regexp.MustCompile(`(?m)^\.TH "IPMICTL" "1" "([A-Z][a-z]{2} [0-9]{4})"`).FindSubmatch(page)
	if m == nil {
		t.Fatal("docs/man/ipmictl.1 has no .TH line with a date")
	}
	date, err := time.Parse("Jan 2006", string(m[1]))
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	if err := WriteMan(tmp, date); err != nil {
		t.Fatal(err)
	}
	fresh, _ := os.ReadDir(tmp)
	old, _ := os.ReadDir(committed)
	if len(old) != len(fresh) {
		t.Errorf("docs/man has %d pages, the tree makes %d: run make docs", len(old), len(fresh))
	}
	for _, e := range fresh {
		want, _ := os.ReadFile(filepath.Join(tmp, e.Name()))
		got, err := os.ReadFile(filepath.Join(committed, e.Name()))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("docs/man/%s is out of date: run make docs", e.Name())
		}
	}
}

func TestManPageHasExtraSections(t *testing.T) {
	tmp := t.TempDir()
	if err := WriteMan(tmp, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(tmp, "ipmictl.1"))
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	last := 0
	for _, sh := range []string{"OPTIONS", "EXIT STATUS", "ENVIRONMENT", "FILES", "EXAMPLES", "SEE ALSO"} {
		i := strings.Index(page, "\n.SH "+sh+"\n")
		if i < last {
			t.Errorf("section %s missing or out of order (at %d, after %d)", sh, i, last)
		}
		last = i
	}
	if !strings.Contains(page, `ipmictl \-H bmc1 \-U admin \-E chassis power status`) {
		t.Error("the examples' hyphens are not escaped as minus signs")
	}
	// The subcommands' pages stay as cobra makes them.
	sub, _ := os.ReadFile(filepath.Join(tmp, "ipmictl-mc.1"))
	if bytes.Contains(sub, []byte(".SH EXIT STATUS")) {
		t.Error("ipmictl-mc.1 got the top-level sections")
	}
}

// TestManExitStatusIsREADMEs compares the EXIT STATUS section with the
// README's table.
func TestManExitStatusIsREADMEs(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(b), "### Exit status\n")
	if !ok {
		t.Fatal("README.md has no Exit status section")
	}
	var readme []ManItem
	for _, line := range strings.Split(rest, "\n") {
		if strings.HasPrefix(line, "#") {
			break
		}
		cells := strings.Split(strings.Trim(line, "| "), "|")
		if len(cells) != 2 || strings.HasPrefix(cells[0], "-") || strings.TrimSpace(cells[0]) == "code" {
			continue
		}
		readme = append(readme, ManItem{strings.TrimSpace(cells[0]), strings.TrimSpace(cells[1])})
	}
	if !reflect.DeepEqual(readme, ExitStatus) {
		t.Errorf("README's exit status table:\n%q\nman page's:\n%q", readme, ExitStatus)
	}
}

// TestManEnvironmentNamesEveryVariable scans the program's sources for
// the environment variables it reads and wants each in ENVIRONMENT.
func TestManEnvironmentNamesEveryVariable(t *testing.T) {
	literal := regexp.MustCompile(`"((?:IPMICTL|IPMITOOL|IPMI|XDG|LC)_[A-Z0-9_]+)"`)
	configEnv := regexp.MustCompile(`\benv\("([A-Z0-9_]+)"\)|\b(?:str|num)\(&o\.\w+, "[a-z-]+", "([A-Z0-9_]+)"`)
	seen := map[string]bool{}
	err := filepath.WalkDir(repoRoot, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(repoRoot, path)
		if d.IsDir() {
			switch rel {
			case ".git", "tools", "testdata", filepath.Join("internal", "peers"), filepath.Join("cmd", "clitest"):
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range literal.FindAllStringSubmatch(string(src), -1) {
			seen[m[1]] = true
		}
		for _, m := range configEnv.FindAllStringSubmatch(string(src), -1) {
			seen["IPMICTL_"+m[1]+m[2]] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var documented strings.Builder
	for _, it := range Environment {
		documented.WriteString(it.Tag + ", ")
	}
	for _, want := range []string{"IPMICTL_HOST", "IPMICTL_KG_HEX", "IPMI_KGKEY", "XDG_CACHE_HOME"} {
		if !seen[want] {
			t.Errorf("the source scan missed %s: fix the test's patterns", want)
		}
	}
	for name := range seen {
		if !strings.Contains(documented.String(), name+",") {
			t.Errorf("ipmictl reads %s, but the man page's ENVIRONMENT does not name it", name)
		}
	}
}
