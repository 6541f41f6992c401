package clitest

import (
	"bytes"
	"context"
	"os/exec"
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/internal/peers"
)

// RunIpmictlBin runs the built ipmictl binary against sim.
func RunIpmictlBin(t *testing.T, bin string, sim *peers.IPMISim, args ...string) (string, string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	full := append(append(sim.IpmitoolArgs(), "--sdr-cache", "off"), args...)
	cmd := exec.CommandContext(ctx, bin, full...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	return out.String(), errOut.String(), err
}
