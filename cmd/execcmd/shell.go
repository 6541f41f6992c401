package execcmd

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/peterh/liner"
	"github.com/spf13/cobra"
)

// NewShellCmd builds `shell`, the interactive exec.
func NewShellCmd(f *cli.Factory) *cobra.Command {
	return cli.Interactive(&cobra.Command{
		Use:   "shell",
		Short: "Interactive prompt: run commands on one open BMC session",
		Long: `Read ipmictl commands at an "ipmictl> " prompt and run them on one BMC
session, opened by the first command that needs it and kept alive while you
think (a Get Device ID after 20 s idle; a session the BMC dropped anyway is
reopened, with a note on stderr).

Line editing, history (kept in $XDG_STATE_HOME/ipmictl/history, mode 0600;
lines carrying a password or key are not kept) and tab completion of commands
and flags. exit, quit or Ctrl-D leave; Ctrl-C stops the running command.`,
		Args:        cobra.NoArgs,
		Annotations: map[string]string{cli.AnnotationNoFanout: "1", cli.ExecAnnotation: "1"},
		RunE:        func(cmd *cobra.Command, args []string) error { return shellRun(f, cmd) },
	})
}

// shellPrompt is ipmitool's prompt with our name.
const shellPrompt = "ipmictl> "

// shellReader reads command lines: liner on a terminal, plain lines from
// a pipe or file.
type shellReader interface {
	Prompt(prompt string) (string, error)
	AppendHistory(line string)
	Close() error
}

func shellRun(f *cli.Factory, cmd *cobra.Command) error {
	// Ctrl-C cancels the running command, not the shell; SIGTERM and
	// SIGHUP end the shell.
	base, cancel := context.WithCancel(context.WithoutCancel(f.Context()))
	defer cancel()
	term := make(chan os.Signal, 1)
	signal.Notify(term, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(term)
	go func() {
		select {
		case <-term:
			cancel()
		case <-base.Done():
		}
	}()
	f.Mu.Lock()
	saved := f.Ctx
	f.Ctx = base
	f.Mu.Unlock()
	defer func() { f.Mu.Lock(); f.Ctx = saved; f.Mu.Unlock() }()

	var r shellReader
	if in, ok := f.IO.In.(*os.File); ok && in == os.Stdin && cli.IsTerminal(os.Stdin) && cli.IsTerminal(f.IO.Out) {
		r = newShellLiner(cli.NewRootCmd(&cli.Factory{Opts: &cli.GlobalOptions{}, Groups: f.Groups}), f.IO.ErrOut)
	} else {
		r = &shellPlainReader{sc: bufio.NewScanner(f.IO.In)}
	}
	defer r.Close()
	return shellLoop(f, cmd, base, r)
}

func shellLoop(f *cli.Factory, cmd *cobra.Command, base context.Context, r shellReader) error {
	s := cli.NewExecSession(f, cmd)
	s.Interactive = true
	defer s.Stop()
	for n := 1; base.Err() == nil; n++ {
		line, err := r.Prompt(shellPrompt)
		if errors.Is(err, liner.ErrPromptAborted) {
			continue // Ctrl-C at the prompt: a fresh prompt, as a shell does
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if !cli.LineHasSecret(line) {
			r.AppendHistory(line)
		}
		ctx, stop := signal.NotifyContext(base, os.Interrupt)
		_, quit := s.RunLine(ctx, n, line)
		interrupted := ctx.Err() != nil
		stop()
		if quit && base.Err() == nil && !interrupted {
			return nil
		}
	}
	return nil
}

// shellPlainReader reads lines without a prompt or editing (stdin is not a
// terminal).
type shellPlainReader struct{ sc *bufio.Scanner }

func (p *shellPlainReader) Prompt(string) (string, error) {
	if p.sc.Scan() {
		return p.sc.Text(), nil
	}
	if err := p.sc.Err(); err != nil {
		return "", fmt.Errorf("shell: reading commands: %w", err)
	}
	return "", io.EOF
}

func (p *shellPlainReader) AppendHistory(string) {}
func (p *shellPlainReader) Close() error         { return nil }
