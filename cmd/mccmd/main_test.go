package mccmd

import (
	"testing"

	"github.com/ipmictl/ipmictl/cmd/clitest"
)

func TestMain(m *testing.M) { clitest.Main(m, NewCmd) }
