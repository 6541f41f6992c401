package rawcmd

import (
	"testing"

	"github.com/ipmictl/ipmictl/cmd/clitest"
)

func TestMain(m *testing.M) { clitest.Main(m, NewI2CCmd, NewCmd) }
