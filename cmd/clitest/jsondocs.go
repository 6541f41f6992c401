package clitest

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// JSONDocs is docs/json.md, whose examples the tests keep true.
var JSONDocs = filepath.Join(TestdataDir(), "..", "..", "docs", "json.md")

// DocExample compares the example block named name in docs/json.md
// ("<!-- example: NAME -->" then a ```json block) with got, or, with
// IPMICTL_UPDATE_DOCS=1, writes got there.
func DocExample(t *testing.T, name string, got []byte) {
	t.Helper()
	page, err := os.ReadFile(JSONDocs)
	if err != nil {
		t.Fatal(err)
	}
	marker := []byte("<!-- example: " + name + " -->\n```json\n")
	start := bytes.Index(page, marker)
	if start < 0 {
		t.Fatalf("docs/json.md has no %q example", name)
	}
	start += len(marker)
	end := bytes.Index(page[start:], []byte("```\n"))
	if end < 0 {
		t.Fatalf("docs/json.md: the %q example is not closed", name)
	}
	end += start
	got = append(bytes.TrimRight(got, "\n"), '\n')
	if bytes.Equal(page[start:end], got) {
		return
	}
	if os.Getenv("IPMICTL_UPDATE_DOCS") == "1" {
		out := append(append(append([]byte(nil), page[:start]...), got...), page[end:]...)
		if err := os.WriteFile(JSONDocs, out, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("docs/json.md's %q example differs from the output (IPMICTL_UPDATE_DOCS=1 go test -run DocsExample ./cmd/... rewrites it)\n got:\n%s\ndoc:\n%s", name, got, page[start:end])
}
