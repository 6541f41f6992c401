package selcmd

import (
	"testing"

	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/cmd/frucmd"
)

func TestMain(m *testing.M) { clitest.Main(m, NewCmd, frucmd.NewCmd) }
