// Package interop holds the end-to-end tests against real peers: OpenIPMI's
// ipmi_sim as the BMC, ipmitool and FreeIPMI as clients, goipmi-server,
// and ipmictl's own binary. `go test -short ./...` runs none of them.
package interop

import (
	"testing"

	"github.com/ipmictl/ipmictl/cmd"
	"github.com/ipmictl/ipmictl/cmd/clitest"
)

func TestMain(m *testing.M) { clitest.Main(m, cmd.Groups...) }
