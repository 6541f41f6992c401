package selcmd

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/ipmi/bmcsim"
)

// docsJSON is the page whose sel info example TestSelInfoJSONDocsExample
// keeps true.
var docsJSON = filepath.Join(clitest.TestdataDir(), "..", "..", "docs", "json.md")

// docExample compares the example block named name in docs/json.md
// ("<!-- example: NAME -->" then a ```json block) with got, or, with
// IPMICTL_UPDATE_DOCS=1, writes got there.
func docExample(t *testing.T, name string, got []byte) {
	t.Helper()
	page, err := os.ReadFile(docsJSON)
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
		if err := os.WriteFile(docsJSON, out, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("docs/json.md's %q example differs from the output (IPMICTL_UPDATE_DOCS=1 go test -run DocsExample ./cmd/selcmd/ rewrites it)\n got:\n%s\ndoc:\n%s", name, got, page[start:end])
}

// TestSelInfoJSONDocsExample: the sel info example in docs/json.md is what
// ipmictl prints for bmcsim (seed 1, clock stopped): a SEL never erased,
// so last_erase_timestamp is null.
func TestSelInfoJSONDocsExample(t *testing.T) {
	at := time.Date(2026, 11, 23, 20, 0, 0, 0, time.UTC)
	b := bmcsim.New(bmcsim.WithSeed(1), bmcsim.WithClock(func() time.Time { return at }))
	b.Freeze(true)
	out, errOut, code := clitest.Run(t, b.Transport("admin", ipmi.PrivilegeAdmin), "-o", "json", "sel", "info")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	docExample(t, "sel info", []byte(out))
}
