package cli

import (
	"errors"
	"fmt"

	"github.com/ipmictl/ipmictl/ipmi"
)

// Exit codes. Scripts depend on these; docs/exit-codes.md lists them.
const (
	ExitOK         = 0 // success
	ExitBMC        = 1 // the BMC answered with a non-zero completion code, or the command failed
	ExitUsage      = 2 // bad flags or arguments
	ExitConnection = 3 // BMC unreachable, authentication or session failure
)

// UsageError marks bad command-line input; it exits with ExitUsage.
type UsageError struct{ msg string }

func (e *UsageError) Error() string { return e.msg }

func UsageErrorf(format string, a ...any) error {
	return &UsageError{msg: fmt.Sprintf(format, a...)}
}

// ConnectionError marks a failure to reach or log in to the BMC; it exits
// with ExitConnection.
type ConnectionError struct{ Err error }

func (e *ConnectionError) Error() string { return e.Err.Error() }
func (e *ConnectionError) Unwrap() error { return e.Err }

// SilentError carries an exit code for a failure already reported.
type SilentError struct{ Code int }

func (e *SilentError) Error() string { return fmt.Sprintf("exit status %d", e.Code) }

// exitCode maps an error to the process exit status.
func exitCode(err error) int {
	var (
		ue *UsageError
		ce *ConnectionError
		se *SilentError
		cc *ipmi.CompletionError
	)
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &se):
		return se.Code
	case errors.As(err, &ue):
		return ExitUsage
	case errors.As(err, &ce):
		return ExitConnection
	case errors.As(err, &cc):
		return ExitBMC
	}
	return ExitBMC
}
