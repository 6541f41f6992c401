package peers

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// writeFileAtomic replaces a state file so that a concurrent reader (the
// polling simulator, the chassis script) never sees it half written.
func writeFileAtomic(t testing.TB, path, content string) {
	t.Helper()
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tmp.WriteString(content); err != nil {
		tmp.Close()
		t.Fatal(err)
	}
	if err := tmp.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		t.Fatal(err)
	}
}

func runScript(script string, args ...string) (string, error) {
	out, err := exec.Command(script, args...).Output()
	return string(out), err
}
