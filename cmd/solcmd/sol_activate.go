package solcmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/rmcp"
	"github.com/ipmictl/ipmictl/sol"
	"github.com/spf13/cobra"
)

// solActivateOptions are the flags of "sol activate".
type solActivateOptions struct {
	instance     int
	escape       string
	force        bool
	logFile      string
	linger       time.Duration
	keepalive    time.Duration
	solKeepalive bool
	noKeepalive  bool
}

func newSolActivateCmd(f *cli.Factory) *cobra.Command {
	o := &solActivateOptions{instance: 1, escape: "~", linger: time.Second, keepalive: sol.DefaultKeepalive}
	cmd := cli.Interactive(&cobra.Command{
		Use:   "activate [--instance N] [-e CHAR] [--force] [--log FILE] [usesolkeepalive|nokeepalive] [instance=N]",
		Short: "Connect to the host's serial console (leave with ~.)",
		Long: `Connect the terminal to the host's serial console over SOL. The terminal is put
in raw mode (Ctrl-C goes to the host) and restored on every exit. Escapes, at
the start of a line only: ~. quit, ~B send a break, ~^Z suspend, ~? help,
~~ a literal ~ (change the escape character with the global -e,
as in ipmitool -e '&' ... sol activate).

When stdin is not a terminal, stdin is sent to the console and the console
output goes to stdout, without escapes, until stdin ends and the console has
been quiet for --linger, or the BMC deactivates the payload. --log appends the
console output to FILE with a UTC timestamp on every line.

If another session holds the payload, --force deactivates it first.`,
		Annotations: map[string]string{cli.AnnotationNoFanout: "1"},
		RunE: func(cmd *cobra.Command, args []string) error {
			err := solInstanceArgs(args, &o.instance, func(a string) bool {
				switch a {
				case "usesolkeepalive":
					o.solKeepalive = true
				case "nokeepalive":
					o.noKeepalive = true
				default:
					return false
				}
				return true
			})
			if err != nil {
				return err
			}
			o.escape = f.Opts.EscapeChar
			if len(o.escape) != 1 {
				return cli.UsageErrorf("-e %q: the escape character must be a single character", o.escape)
			}
			return solActivateRun(f, o)
		},
	})
	fl := cmd.Flags()
	fl.IntVar(&o.instance, "instance", 1, "SOL payload instance (1-15; ipmi_sim's 2 replays the console history)")
	fl.BoolVar(&o.force, "force", false, "deactivate the payload first if another session holds it")
	fl.StringVar(&o.logFile, "log", "", "append the console output to FILE, each line timestamped")
	fl.DurationVar(&o.linger, "linger", time.Second, "without a terminal: after stdin ends, exit once the console is quiet this long (negative: stay until deactivated or signalled)")
	fl.DurationVar(&o.keepalive, "keepalive", sol.DefaultKeepalive, "keepalive period that keeps a quiet session from being dropped")
	return cmd
}

// solPayloadConn is what an RMCP+ session offers SOL.
type solPayloadConn interface {
	SendPayload(ctx context.Context, payloadType uint8, data []byte) error
	Payload(payloadType uint8) <-chan []byte
}

func solActivateRun(f *cli.Factory, o *solActivateOptions) error {
	esc := o.escape[0]
	var logw *solLogWriter
	if o.logFile != "" {
		lf, err := os.OpenFile(o.logFile, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
		if err != nil {
			return cli.UsageErrorf("--log: %v", err)
		}
		defer lf.Close()
		logw = newSolLogWriter(lf)
		defer logw.Close()
	}
	c, err := f.Client()
	if err != nil {
		return err
	}
	pc, ok := c.Transport().(solPayloadConn)
	if v, isV := c.Transport().(interface{ Version() rmcp.Version }); !ok || (isV && v.Version() == rmcp.V15) {
		return errors.New("Error: This command is only available over the lanplus interface (IPMI v2.0 RMCP+)")
	}
	ctx := f.Context()
	inst := uint8(o.instance)
	if o.force {
		err := sol.Deactivate(ctx, c, inst)
		switch {
		case err == nil:
			fmt.Fprintf(f.IO.ErrOut, "[SOL instance %d was active: deactivated it]\n", inst)
		case !errors.Is(err, sol.ErrAlreadyDeactivated):
			return fmt.Errorf("--force: %w", err)
		}
	}
	cfg := sol.Config{Instance: inst, Keepalive: o.keepalive, KeepaliveSOL: o.solKeepalive,
		Logf: cli.VerboseLogf(f.Opts, f.IO)}
	if o.noKeepalive {
		cfg.Keepalive = -1
	}
	con, err := sol.Open(ctx, c, pc, cfg)
	if errors.Is(err, sol.ErrAlreadyActive) {
		return fmt.Errorf("Info: %w (--force deactivates it and takes over)", err)
	}
	if err != nil {
		return fmt.Errorf("Info: %w", err)
	}
	defer func() {
		if err := con.Close(); err != nil && f.Opts.Verbose > 0 {
			fmt.Fprintf(f.IO.ErrOut, "ipmictl: deactivating SOL: %v\n", err)
		}
		if f.Opts.Verbose > 0 {
			fmt.Fprintf(f.IO.ErrOut, "ipmictl: SOL stats %+v\n", con.Stats())
		}
	}()
	fmt.Fprintf(f.IO.ErrOut, "[SOL Session operational.  Use %c? for help]\n", esc)

	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGHUP, syscall.SIGTERM, syscall.SIGINT)
	defer signal.Stop(sigs)

	s := &solSession{f: f, con: con, log: logw, esc: esc, sigs: sigs, linger: o.linger,
		outAct: make(chan struct{}, 1), outDone: make(chan error, 1), input: make(chan []byte)}
	if cli.IsTerminal(f.IO.In) {
		return s.interactive()
	}
	return s.stream()
}

// solSession moves bytes between the user and the console.
type solSession struct {
	f      *cli.Factory
	con    *sol.Console
	log    *solLogWriter
	esc    byte
	term   *solTerm
	sigs   chan os.Signal
	linger time.Duration

	outAct  chan struct{} // console output arrived
	outDone chan error    // the console ended (nil: deactivated by the BMC)
	input   chan []byte   // stdin chunks; nil after EOF
}

// pumpOutput copies console output to stdout (and the log).
func (s *solSession) pumpOutput() {
	defer s.term.recoverPanic()
	buf := make([]byte, 4096)
	for {
		n, err := s.con.Read(buf)
		if n > 0 {
			s.f.IO.Out.Write(buf[:n])
			if s.log != nil {
				s.log.Write(buf[:n])
			}
			select {
			case s.outAct <- struct{}{}:
			default:
			}
		}
		if err != nil {
			if err == io.EOF && errors.Is(s.con.Err(), sol.ErrDeactivated) {
				err = nil
			} else if err == io.EOF {
				err = s.con.Err()
			}
			s.outDone <- err
			return
		}
	}
}

// pumpInput reads stdin; it ends with a nil chunk at EOF. A blocked read
// of a terminal cannot be cancelled; the process exit ends it.
func (s *solSession) pumpInput() {
	defer s.term.recoverPanic()
	buf := make([]byte, 1024)
	for {
		n, err := s.f.IO.In.Read(buf)
		if n > 0 {
			s.input <- append([]byte(nil), buf[:n]...)
		}
		if err != nil {
			s.input <- nil
			return
		}
	}
}

// ended turns the end of the console into the command's result.
func (s *solSession) ended(err error, nl string) error {
	if err == nil {
		fmt.Fprintf(s.f.IO.ErrOut, "%s[SOL session deactivated by the BMC]%s", nl, nl)
		return nil
	}
	return fmt.Errorf("SOL session ended: %w", err)
}

func (s *solSession) signalled(sig os.Signal) error {
	if sig == syscall.SIGINT || sig == syscall.SIGTERM {
		return context.Canceled
	}
	return fmt.Errorf("SOL session ended by %v", sig)
}

// interactive runs the console on a raw terminal with escapes.
func (s *solSession) interactive() (err error) {
	s.term = newSolTerm(s.f.IO.In, s.f.IO.ErrOut)
	if err := s.term.raw(); err != nil {
		return fmt.Errorf("putting the terminal in raw mode: %w", err)
	}
	defer s.term.restore() // also while panicking
	go s.pumpOutput()
	go s.pumpInput()
	escaper := newSolEscaper(s.esc)
	e := string(s.esc)
	for {
		select {
		case <-s.f.Context().Done():
			return s.f.Context().Err()
		case sig := <-s.sigs:
			return s.signalled(sig)
		case err := <-s.outDone:
			return s.ended(err, "\r\n")
		case chunk := <-s.input:
			if chunk == nil {
				return nil // the terminal went away
			}
			for _, step := range escaper.feed(chunk) {
				switch step.action {
				case solSendData:
					if _, err := s.con.Write(step.data); err != nil {
						return err
					}
				case solQuit:
					fmt.Fprintf(s.f.IO.ErrOut, "%s. [terminated ipmictl]\r\n", e)
					return nil
				case solBreak:
					fmt.Fprintf(s.f.IO.ErrOut, "%sB [send break]\r\n", e)
					if err := s.con.SendBreak(); err != nil {
						return err
					}
				case solHelp:
					io.WriteString(s.f.IO.ErrOut, solEscapeHelp(s.esc))
				case solSuspend:
					fmt.Fprintf(s.f.IO.ErrOut, "%s^Z [suspend ipmictl]\r\n", e)
					if err := s.term.suspend(); err != nil {
						return err
					}
				}
			}
		}
	}
}

// stream runs the console for scripts: no terminal, no escapes.
func (s *solSession) stream() error {
	go s.pumpOutput()
	go s.pumpInput()
	var quiet <-chan time.Time
	var quietTimer *time.Timer
	eof := false
	for {
		select {
		case <-s.f.Context().Done():
			return s.f.Context().Err()
		case sig := <-s.sigs:
			return s.signalled(sig)
		case err := <-s.outDone:
			return s.ended(err, "\n")
		case <-s.outAct:
			if quietTimer != nil {
				quietTimer.Reset(s.linger)
			}
		case <-quiet:
			return nil
		case chunk := <-s.input:
			if chunk != nil {
				if _, err := s.con.Write(chunk); err != nil {
					return err
				}
				continue
			}
			if !eof && s.linger >= 0 {
				quietTimer = time.NewTimer(s.linger)
				defer quietTimer.Stop()
				quiet = quietTimer.C
			}
			eof = true
		}
	}
}
