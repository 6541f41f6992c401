package refdocs

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestCommittedDocsAreCurrent regenerates the Markdown reference and the
// completion scripts and compares them with docs/: a flag or command
// changed without `make docs` fails here.
func TestCommittedDocsAreCurrent(t *testing.T) {
	tmp := t.TempDir()
	if err := WriteMarkdownAndCompletions(tmp); err != nil {
		t.Fatal(err)
	}
	committed := filepath.Join("..", "..", "..", "docs")
	for _, sub := range []string{"cli", "completion"} {
		fresh, err := os.ReadDir(filepath.Join(tmp, sub))
		if err != nil {
			t.Fatal(err)
		}
		old, err := os.ReadDir(filepath.Join(committed, sub))
		if err != nil {
			t.Fatalf("docs/%s: %v (run make docs)", sub, err)
		}
		if len(old) != len(fresh) {
			t.Errorf("docs/%s has %d files, the tree makes %d: run make docs", sub, len(old), len(fresh))
		}
		for _, e := range fresh {
			want, _ := os.ReadFile(filepath.Join(tmp, sub, e.Name()))
			got, err := os.ReadFile(filepath.Join(committed, sub, e.Name()))
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("docs/%s/%s is out of date: run make docs", sub, e.Name())
			}
		}
	}
	man, err := os.ReadDir(filepath.Join(committed, "man"))
	if err != nil || len(man) == 0 {
		t.Errorf("docs/man: %v, %d pages (run make docs)", err, len(man))
	}
}
