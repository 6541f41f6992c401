package lancmd

import (
	"testing"

	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/cmd/mccmd"
)

func TestMain(m *testing.M) { clitest.Main(m, NewCmd, NewLan6Cmd, mccmd.NewCmd) }
