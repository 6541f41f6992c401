package cli

import (
	"errors"
	"os"
	"sync/atomic"
	"syscall"
)

// ExitBrokenPipe is the exit status after the reader of standard output
// went away (`ipmictl ... | head -1`): 128+SIGPIPE, what a shell reports
// for a program the signal killed, so pipelines see the usual status.
const ExitBrokenPipe = 128 + int(syscall.SIGPIPE)

// stdoutWriter is the process's standard output as commands see it. A
// write that fails with EPIPE marks the output broken and calls
// onBroken (which cancels the run's context, so the command stops and
// its BMC session is closed); later writes fail at once without trying.
// Before each write it clears a progress line drawn on a terminal.
//
// Go kills a process that writes to a broken pipe on fd 1 unless SIGPIPE
// is handled; Main asks for SIGPIPE with os/signal, so the write returns
// EPIPE here instead and the session is closed before exit.
type stdoutWriter struct {
	f        *os.File
	broken   atomic.Bool
	onBroken func()
	before   func()
}

func (w *stdoutWriter) Write(p []byte) (int, error) {
	if w.broken.Load() {
		return 0, syscall.EPIPE
	}
	if w.before != nil {
		w.before()
	}
	n, err := w.f.Write(p)
	if err != nil && errors.Is(err, syscall.EPIPE) && !w.broken.Swap(true) && w.onBroken != nil {
		w.onBroken()
	}
	return n, err
}

// Fd lets IsTerminal see through to the file.
func (w *stdoutWriter) Fd() uintptr { return w.f.Fd() }

// WatchBrokenPipe makes f's standard output report a closed reader:
// cancel is called on the first EPIPE, and Run then exits with
// ExitBrokenPipe and prints nothing more. f.IO.Out must be the process's
// stdout (an *os.File); anything else is left alone.
func WatchBrokenPipe(f *Factory, cancel func()) {
	file, ok := f.IO.Out.(*os.File)
	if !ok {
		return
	}
	f.IO.Out = &stdoutWriter{f: file, onBroken: cancel, before: f.clearLive}
}

// StdoutBroken reports whether a write to standard output found its
// reader gone.
func (f *Factory) StdoutBroken() bool {
	w, ok := f.IO.Out.(*stdoutWriter)
	return ok && w.broken.Load()
}
