package refdocs

import (
	"os"
	"testing"

	"github.com/ipmictl/ipmictl/cmd"
)

// runAsIpmictl makes the test binary ipmictl itself, for the shell
// scripts the tests run: they call "ipmictl __complete ...".
const runAsIpmictl = "IPMICTL_REFDOCS_RUN_AS_IPMICTL"

func TestMain(m *testing.M) {
	if os.Getenv(runAsIpmictl) == "1" {
		os.Exit(cmd.Main())
	}
	os.Exit(m.Run())
}
