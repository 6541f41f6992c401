package clitest

import (
	"testing"

	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/ipmi/bmcsim"
)

func RunOnBMCSim(t *testing.T, b *bmcsim.BMC, args ...string) (string, string, int) {
	t.Helper()
	return Run(t, b.Transport("admin", ipmi.PrivilegeAdmin), append([]string{"-H", "bmc"}, args...)...)
}
