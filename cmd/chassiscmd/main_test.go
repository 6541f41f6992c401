package chassiscmd

import (
	"testing"

	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/cmd/mccmd"
	"github.com/ipmictl/ipmictl/cmd/rawcmd"
)

func TestMain(m *testing.M) { clitest.Main(m, NewPowerCmd, NewCmd, mccmd.NewCmd, rawcmd.NewCmd) }
