package solcmd

import (
	"errors"
	"io"
	"sync"
	"syscall"

	"golang.org/x/term"
)

// solTerm puts the user's terminal in raw mode and restores it, from any
// goroutine and more than once (suspend, panics, every exit path).
type solTerm struct {
	mu    sync.Mutex
	fd    int
	saved *term.State
	msg   io.Writer
}

func newSolTerm(in io.Reader, msg io.Writer) *solTerm {
	t := &solTerm{fd: -1, msg: msg}
	if f, ok := in.(interface{ Fd() uintptr }); ok {
		t.fd = int(f.Fd())
	}
	return t
}

func (t *solTerm) raw() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.fd < 0 {
		return errors.New("stdin is not a terminal")
	}
	if t.saved != nil {
		return nil
	}
	st, err := term.MakeRaw(t.fd)
	if err != nil {
		return err
	}
	t.saved = st
	return nil
}

// restore puts the terminal back as it was; a no-op when not raw.
func (t *solTerm) restore() {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.saved != nil {
		term.Restore(t.fd, t.saved)
		t.saved = nil
	}
}

// suspend restores the terminal, stops the process like ^Z does, and
// makes the terminal raw again once the shell resumes it.
func (t *solTerm) suspend() error {
	t.restore()
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGTSTP); err != nil {
		return err
	}
	return t.raw()
}

// recoverPanic restores the terminal if the calling goroutine panics,
// then lets the panic continue.
func (t *solTerm) recoverPanic() {
	if r := recover(); r != nil {
		t.restore()
		panic(r)
	}
}
