package execcmd

import (
	"testing"

	"github.com/ipmictl/ipmictl/cmd/chassiscmd"
	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/cmd/mccmd"
	"github.com/ipmictl/ipmictl/cmd/rawcmd"
	"github.com/ipmictl/ipmictl/cmd/sdrcmd"
	"github.com/ipmictl/ipmictl/cmd/solcmd"
	"github.com/ipmictl/ipmictl/cmd/usercmd"
)

// exec and shell run other groups' commands: the tests build a tree with
// the ones they use.
func TestMain(m *testing.M) {
	clitest.Main(m, NewCmd, NewShellCmd, chassiscmd.NewCmd, chassiscmd.NewPowerCmd, mccmd.NewCmd,
		rawcmd.NewCmd, sdrcmd.NewCmd, sdrcmd.NewSensorCmd, solcmd.NewCmd, usercmd.NewCmd)
}
