// Package cmd is ipmictl's command line: the list of command groups and
// the process entry point. Each group lives in a package of its own under
// cmd/; the plumbing they share (factory, options, config, credentials,
// output formats, exit codes, fan-out) is package cli.
package cmd

import (
	"context"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"

	"github.com/ipmictl/ipmictl/cmd/auditcmd"
	"github.com/ipmictl/ipmictl/cmd/channelcmd"
	"github.com/ipmictl/ipmictl/cmd/chassiscmd"
	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/cmd/dcmicmd"
	"github.com/ipmictl/ipmictl/cmd/eventcmd"
	"github.com/ipmictl/ipmictl/cmd/execcmd"
	"github.com/ipmictl/ipmictl/cmd/exportercmd"
	"github.com/ipmictl/ipmictl/cmd/frucmd"
	"github.com/ipmictl/ipmictl/cmd/lancmd"
	"github.com/ipmictl/ipmictl/cmd/mccmd"
	"github.com/ipmictl/ipmictl/cmd/pefcmd"
	"github.com/ipmictl/ipmictl/cmd/pingcmd"
	"github.com/ipmictl/ipmictl/cmd/rawcmd"
	"github.com/ipmictl/ipmictl/cmd/sdrcmd"
	"github.com/ipmictl/ipmictl/cmd/selcmd"
	"github.com/ipmictl/ipmictl/cmd/sessioncmd"
	"github.com/ipmictl/ipmictl/cmd/simcmd"
	"github.com/ipmictl/ipmictl/cmd/solcmd"
	"github.com/ipmictl/ipmictl/cmd/usercmd"
)

// Groups are ipmictl's top-level commands, in the order of ipmitool's
// help where it has them.
var Groups = []cli.NewGroup{
	rawcmd.NewCmd,
	rawcmd.NewI2CCmd,
	frucmd.NewSPDCmd,
	lancmd.NewCmd,
	lancmd.NewLan6Cmd,
	chassiscmd.NewCmd,
	chassiscmd.NewPowerCmd,
	eventcmd.NewCmd,
	mccmd.NewCmd,
	sdrcmd.NewCmd,
	sdrcmd.NewSensorCmd,
	frucmd.NewCmd,
	selcmd.NewCmd,
	pefcmd.NewCmd,
	solcmd.NewCmd,
	usercmd.NewCmd,
	channelcmd.NewCmd,
	sessioncmd.NewCmd,
	dcmicmd.NewCmd,
	execcmd.NewCmd,
	execcmd.NewShellCmd,
	auditcmd.NewCmd,
	pingcmd.NewCmd,
	exportercmd.NewCmd,
	simcmd.NewCmd,
}

// NewFactory returns a factory on the process's streams with every group.
func NewFactory() *cli.Factory {
	f := cli.NewFactory()
	f.Groups = Groups
	return f
}

// Main runs ipmictl and returns its exit status.
func Main() int {
	f := NewFactory()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(sigs)
	var got atomic.Value
	go func() {
		if s, ok := <-sigs; ok {
			got.Store(s)
			cancel()
		}
	}()
	// With SIGPIPE handled, a write to a closed stdout returns EPIPE
	// instead of killing the process before the BMC session is closed;
	// the first such write cancels the run (cli.WatchBrokenPipe).
	pipes := make(chan os.Signal, 1)
	signal.Notify(pipes, syscall.SIGPIPE)
	defer signal.Stop(pipes)
	f.Ctx = ctx
	cli.WatchBrokenPipe(f, cancel)
	code := cli.Run(f, os.Args[1:])
	// Like a shell, report death by signal as 128+N; the session was
	// closed by Run before we get here.
	if s, ok := got.Load().(syscall.Signal); ok && code != 0 {
		return 128 + int(s)
	}
	return code
}
