package cli

import (
	"context"
	"io"
	"os"
	"sync"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/ipmictl/ipmictl/ipmi"
)

// IOStreams are the process's standard streams; tests swap in buffers.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
}

// IsTerminal reports whether w is an interactive terminal.
func IsTerminal(w any) bool {
	f, ok := w.(interface{ Fd() uintptr })
	return ok && term.IsTerminal(int(f.Fd()))
}

// Factory holds what commands share: streams, global options, and the BMC
// connection, opened lazily so --help and flag errors never touch the network.
type Factory struct {
	IO         *IOStreams
	Opts       *GlobalOptions
	FileConfig *FileConfig
	Fanout     *fanoutOptions

	// Groups are the top-level commands NewRootCmd builds.
	Groups []NewGroup

	args   []string // the command line, replayed per host by fan-out
	single bool     // a fan-out child: never fans out again
	// onlyGroup, when >= 0, limits the command tree to one registered
	// group (a fan-out child knows which one it runs).
	onlyGroup int

	Ctx context.Context

	// Open makes the transport; tests replace it with an in-process BMC.
	Open func(ctx context.Context, f *Factory) (ipmi.Transport, error)

	Mu     sync.Mutex
	client *ipmi.Client

	// liveOK: the command may show the single-BMC progress line (set
	// before the command runs); live is that line while a session is open.
	liveOK bool
	liveMu sync.Mutex
	live   *liveProgress
	// leaf is the command running, set before it runs: Render checks
	// that the result is of a type the command declared.
	leaf *cobra.Command
}

// NewFactory returns a Factory on the process's streams.
func NewFactory() *Factory {
	return &Factory{
		IO:        &IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr},
		Opts:      &GlobalOptions{secrets: newSecretCache()},
		Fanout:    &fanoutOptions{MaxHosts: DefaultMaxHosts},
		onlyGroup: -1,
		Ctx:       context.Background(),
		Open:      openTransport,
	}
}

// Context is cancelled on SIGINT and SIGTERM.
func (f *Factory) Context() context.Context { return f.Ctx }

// Client opens the BMC connection on first use and returns the client.
func (f *Factory) Client() (*ipmi.Client, error) {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	if f.client != nil {
		return f.client, nil
	}
	t, err := f.Open(f.Ctx, f)
	if err != nil {
		return nil, err
	}
	f.client = ipmi.NewClient(t)
	f.startLive(f.client)
	return f.client, nil
}

// Close closes the BMC session if one was opened. It runs on every exit
// path, after Ctrl-C too, so it does not use the (cancelled) command context.
func (f *Factory) Close() error {
	f.endLive()
	f.Mu.Lock()
	defer f.Mu.Unlock()
	if f.client == nil {
		return nil
	}
	err := f.client.Close()
	f.client = nil
	return err
}

// Render prints a command's result in the -o format (see output.go).
func (f *Factory) Render(v any) error { return f.render(v) }
