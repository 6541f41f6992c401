package execcmd

import (
	"testing"

	"github.com/ipmictl/ipmictl/cmd/chassiscmd"
	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/cmd/frucmd"
	"github.com/ipmictl/ipmictl/cmd/lancmd"
	"github.com/ipmictl/ipmictl/cmd/mccmd"
	"github.com/ipmictl/ipmictl/cmd/sdrcmd"
	"github.com/ipmictl/ipmictl/cmd/selcmd"
	"github.com/ipmictl/ipmictl/cmd/sessioncmd"
	"github.com/ipmictl/ipmictl/cmd/usercmd"
)

// The scripts these tests run use the groups below, in cmd.Groups' order.
func TestMain(m *testing.M) {
	clitest.Main(m,
		lancmd.NewCmd, chassiscmd.NewCmd, chassiscmd.NewPowerCmd, mccmd.NewCmd,
		sdrcmd.NewCmd, sdrcmd.NewSensorCmd, frucmd.NewCmd, selcmd.NewCmd,
		usercmd.NewCmd, sessioncmd.NewCmd, NewCmd, NewShellCmd)
}
