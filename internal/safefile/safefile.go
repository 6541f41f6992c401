// Package safefile opens and checks the files that ipmictl must not take
// from another local user: caches (read back and shown as if the BMC had
// said it), files that hold secrets (password and K_g files) and files
// whose content runs programs (a config with password_command).
//
// The rules, in one place:
//
//   - A cache is read with ReadCache: the final path component must not be
//     a symbolic link, the file must be a regular file owned by the
//     effective user (or root), and no larger than the caller's maximum.
//     The file is opened with O_NONBLOCK, so a FIFO planted in its place
//     is refused at once instead of blocking, and the checks are made on
//     the open descriptor, so nothing can be swapped between check and
//     read. A cache is written with WriteCache: its directory is created
//     0700 and refused when it belongs to another user or others can
//     write to it; the file is written 0600 to a temporary name in that
//     directory and renamed over the old one.
//   - A file that runs programs is checked (or read) with CheckPrivate or
//     ReadPrivate: symbolic links are followed, then the file and every
//     directory above it must be owned by the effective user or root and
//     not writable by group or others (a sticky directory such as /tmp is
//     accepted when the entry in it belongs to the user or root, since
//     nobody else can then rename or remove it). This is the rule OpenSSH
//     applies to authorized_keys.
//   - A secret is checked (or read) with CheckSecret or ReadSecret: the
//     same ownership and write rules are errors; a file that group or
//     others can read is accepted with a warning naming the fix. A pipe
//     owned by the user (`-f <(pass show bmc)`) is accepted.
//
// Every refusal is an *Error that names the path, what was found and the
// command that fixes it, and wraps one of the sentinel errors below so a
// caller can tell them apart with errors.Is.
package safefile

import (
	"errors"
	"fmt"
	"io/fs"
)

// Sentinel errors; every *Error wraps exactly one.
var (
	// ErrNotRegular: a directory, FIFO, device or socket where a file was
	// expected.
	ErrNotRegular = errors.New("not a regular file")
	// ErrSymlink: a cache path whose last component is a symbolic link.
	ErrSymlink = errors.New("is a symbolic link")
	// ErrTooLarge: larger than the caller's maximum.
	ErrTooLarge = errors.New("file too large")
	// ErrForeignOwner: owned by a user other than the effective user or
	// root.
	ErrForeignOwner = errors.New("owned by another user")
	// ErrWritable: writable by group or others.
	ErrWritable = errors.New("writable by group or others")
	// ErrUnsupported: this operating system offers no way to check.
	ErrUnsupported = errors.New("file ownership cannot be checked on this system")
)

// Error is a refusal: Path is the file or directory at fault, Err one of
// the sentinels, Found what was seen there (owner, mode) and Fix the
// command that repairs it (empty when removing the file is the fix).
type Error struct {
	Path  string
	Err   error
	Found string
	Fix   string
}

func (e *Error) Error() string {
	s := e.Path + ": " + e.Err.Error()
	if e.Found != "" {
		s += " (" + e.Found + ")"
	}
	if e.Fix != "" {
		s += "; fix with: " + e.Fix
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// IsUnsafe reports whether err is a refusal of this package (as opposed
// to, say, a missing file or an I/O error).
func IsUnsafe(err error) bool {
	var e *Error
	return errors.As(err, &e)
}

// describe renders an owner and mode in plain words, e.g. "owner nobody
// (uid 65534), mode -rw-rw-rw-".
func describe(uid uint32, mode fs.FileMode) string {
	return fmt.Sprintf("owner %s, mode %v", userName(uid), mode)
}
