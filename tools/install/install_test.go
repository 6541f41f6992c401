// Package install tests make install and make uninstall.
package install

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var repoRoot = filepath.Join("..", "..")

func makeCmd(t *testing.T, args ...string) string {
	t.Helper()
	mk, err := exec.LookPath("make")
	if err != nil {
		t.Skip("make is not installed")
	}
	root, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(mk, append([]string{"-C", root}, args...)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("make %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// installed lists what make install must put under the prefix, with the
// file of the repository each must equal ("" for the binary).
func installed(t *testing.T) map[string]string {
	t.Helper()
	files := map[string]string{
		"bin/ipmictl": "",
		"share/bash-completion/completions/ipmictl":    "docs/completion/ipmictl.bash",
		"share/zsh/site-functions/_ipmictl":            "docs/completion/ipmictl.zsh",
		"share/fish/vendor_completions.d/ipmictl.fish": "docs/completion/ipmictl.fish",
	}
	pages, err := filepath.Glob(filepath.Join(repoRoot, "docs", "man", "*.1"))
	if err != nil || len(pages) < 2 {
		t.Fatalf("docs/man: %d pages, %v", len(pages), err)
	}
	for _, p := range pages {
		files["share/man/man1/"+filepath.Base(p)] = "docs/man/" + filepath.Base(p)
	}
	return files
}

func TestMakeInstallIntoDestdir(t *testing.T) {
	tmp := t.TempDir()
	dest := filepath.Join(tmp, "stage")
	const prefix = "/opt/ipmictl"
	const version = "v0.0.0-installtest"
	vars := []string{"DESTDIR=" + dest, "PREFIX=" + prefix}
	makeCmd(t, append([]string{"install", "BIN=" + filepath.Join(tmp, "ipmictl"), "VERSION=" + version}, vars...)...)

	root := filepath.Join(dest, prefix)
	files := installed(t)
	for rel, src := range files {
		p := filepath.Join(root, rel)
		st, err := os.Stat(p)
		if err != nil {
			t.Errorf("not installed: %v", err)
			continue
		}
		wantMode := os.FileMode(0o644)
		if src == "" {
			wantMode = 0o755
		}
		if st.Mode().Perm() != wantMode {
			t.Errorf("%s: mode %v, want %v", rel, st.Mode().Perm(), wantMode)
		}
		if src == "" {
			continue
		}
		got, _ := os.ReadFile(p)
		want, err := os.ReadFile(filepath.Join(repoRoot, src))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s", rel, src)
		}
	}
	// Nothing else: no stray files, nothing outside PREFIX.
	var extra []string
	filepath.Walk(dest, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			rel, _ := filepath.Rel(root, p)
			if _, ok := files[filepath.ToSlash(rel)]; !ok {
				extra = append(extra, p)
			}
		}
		return nil
	})
	if len(extra) > 0 {
		t.Errorf("make install put more files than expected: %q", extra)
	}

	out, err := exec.Command(filepath.Join(root, "bin", "ipmictl"), "--version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if got := string(out); got != "ipmictl version "+version+"\n" {
		t.Errorf("installed binary: --version printed %q, want %s from make's VERSION", got, version)
	}

	makeCmd(t, append([]string{"uninstall"}, vars...)...)
	for rel := range files {
		if _, err := os.Stat(filepath.Join(root, rel)); err == nil {
			t.Errorf("make uninstall left %s", rel)
		}
	}
}

// TestMakeInstallDefaultPrefix checks the defaults without installing
// anything: PREFIX is /usr/local and DESTDIR prefixes every path.
func TestMakeInstallDefaultPrefix(t *testing.T) {
	out := makeCmd(t, "-n", "install", "DESTDIR=/stage")
	for _, want := range []string{
		"'/stage/usr/local/bin/ipmictl'",
		"'/stage/usr/local/share/man/man1/'",
		"'/stage/usr/local/share/bash-completion/completions/ipmictl'",
		"'/stage/usr/local/share/zsh/site-functions/_ipmictl'",
		"'/stage/usr/local/share/fish/vendor_completions.d/ipmictl.fish'",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("make -n install DESTDIR=/stage does not install to %s:\n%s", want, out)
		}
	}
	out = makeCmd(t, "-n", "install")
	if strings.Contains(out, "/stage") || !strings.Contains(out, " '/usr/local/bin/ipmictl'") {
		t.Errorf("make -n install without DESTDIR:\n%s", out)
	}
}
