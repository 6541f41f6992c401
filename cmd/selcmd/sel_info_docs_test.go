package selcmd

import (
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/ipmi/bmcsim"
)

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
	clitest.DocExample(t, "sel info", []byte(out))
}
