package solcmd

import (
	"testing"

	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/cmd/rawcmd"
)

func TestMain(m *testing.M) { clitest.Main(m, NewCmd, rawcmd.NewCmd) }
