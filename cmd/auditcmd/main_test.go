package auditcmd

import (
	"testing"

	"github.com/ipmictl/ipmictl/cmd/channelcmd"
	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/cmd/lancmd"
	"github.com/ipmictl/ipmictl/cmd/usercmd"
)

func TestMain(m *testing.M) {
	clitest.Main(m, NewCmd, lancmd.NewCmd, usercmd.NewCmd, channelcmd.NewCmd)
}
