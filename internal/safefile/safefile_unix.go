//go:build unix

package safefile

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// geteuid is the user whose files are trusted (tests replace it).
var geteuid = os.Geteuid

// trusted reports whether uid may own a file we act on: ourselves or root.
func trusted(uid uint32) bool {
	return uid == 0 || int64(uid) == int64(geteuid())
}

func userName(uid uint32) string {
	id := strconv.FormatUint(uint64(uid), 10)
	if u, err := user.LookupId(id); err == nil && u.Username != "" {
		return u.Username + " (uid " + id + ")"
	}
	return "uid " + id
}

func owner(st fs.FileInfo) uint32 {
	if s, ok := st.Sys().(*syscall.Stat_t); ok {
		return s.Uid
	}
	// Not reached on unix; refuse rather than trust.
	return ^uint32(0)
}

// me names the effective user for a chown fix.
func me() string {
	id := strconv.Itoa(geteuid())
	if u, err := user.LookupId(id); err == nil && u.Username != "" {
		return u.Username
	}
	return id
}

// quote makes a path safe to paste into a shell.
func quote(p string) string {
	if p != "" && strings.Trim(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-+,:@%") == "" {
		return p
	}
	return "'" + strings.ReplaceAll(p, "'", `'\''`) + "'"
}

func errNotRegular(path string, st fs.FileInfo) error {
	return &Error{Path: path, Err: ErrNotRegular, Found: describe(owner(st), st.Mode()), Fix: "rm -r " + quote(path)}
}

func errForeign(path string, st fs.FileInfo) error {
	return &Error{Path: path, Err: ErrForeignOwner, Found: describe(owner(st), st.Mode()),
		Fix: "chown " + me() + " " + quote(path) + " (after checking its content), or remove it"}
}

func errWritable(path string, st fs.FileInfo) error {
	return &Error{Path: path, Err: ErrWritable, Found: describe(owner(st), st.Mode()), Fix: "chmod go-w " + quote(path)}
}

func errTooLarge(path string, size, max int64) error {
	return &Error{Path: path, Err: ErrTooLarge, Found: fmt.Sprintf("%d bytes, at most %d expected", size, max), Fix: "rm " + quote(path)}
}

// ReadCache reads a cache file of at most max bytes. The last path
// component must not be a symbolic link, and the file must be a regular
// file owned by the effective user or root. FIFOs, devices and
// directories are refused without being read, so the call never blocks
// and never reads more than max+1 bytes. A missing file is an error
// satisfying errors.Is(err, fs.ErrNotExist); refusals are *Error.
func ReadCache(path string, max int64) ([]byte, error) {
	lst, err := os.Lstat(path)
	if err != nil {
		return nil, err
	}
	if lst.Mode()&fs.ModeSymlink != 0 {
		return nil, &Error{Path: path, Err: ErrSymlink, Found: describe(owner(lst), lst.Mode()), Fix: "rm " + quote(path)}
	}
	if !lst.Mode().IsRegular() {
		return nil, errNotRegular(path, lst)
	}
	// O_NOFOLLOW and O_NONBLOCK keep a file swapped in after the Lstat
	// from being followed or from blocking; the checks that count are
	// made on the descriptor.
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
	if err != nil {
		if errors.Is(err, syscall.ELOOP) {
			return nil, &Error{Path: path, Err: ErrSymlink, Fix: "rm " + quote(path)}
		}
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	switch {
	case !st.Mode().IsRegular():
		return nil, errNotRegular(path, st)
	case !trusted(owner(st)):
		return nil, errForeign(path, st)
	case st.Size() > max:
		return nil, errTooLarge(path, st.Size(), max)
	}
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, errTooLarge(path, int64(len(b)), max)
	}
	return b, nil
}

// WriteCache replaces dir/name with data. dir is created 0700 when
// missing; an existing dir owned by another user (not root) or writable
// by group or others is refused. The data goes to a temporary file
// (0600, created exclusively) in dir, which is then renamed to name, so
// a reader sees the old file or the new one, never half of one, and a
// link planted under the temporary name is not followed. name must be a
// plain file name.
func WriteCache(dir, name string, data []byte) error {
	if name == "" || name == "." || name == ".." || strings.ContainsRune(name, '/') {
		return fmt.Errorf("safefile: cache file name %q is not a plain file name", name)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return err
	}
	defer root.Close()
	// Checked through the open directory: what is checked is what is
	// written to.
	st, err := root.Stat(".")
	if err != nil {
		return err
	}
	if !trusted(owner(st)) {
		return errForeign(dir, st)
	}
	if st.Mode().Perm()&0o022 != 0 {
		return errWritable(dir, st)
	}
	var rnd [8]byte
	rand.Read(rnd[:])
	tmp := "." + name + ".tmp-" + hex.EncodeToString(rnd[:])
	f, err := root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL|syscall.O_NOFOLLOW, 0o600)
	if err != nil {
		return err
	}
	_, werr := f.Write(data)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = root.Rename(tmp, name)
	}
	if werr != nil {
		root.Remove(tmp)
	}
	return werr
}

// checkTree checks a path with no symbolic links (as from
// filepath.EvalSymlinks) from the file up to /: each must be owned by the
// effective user or root and not writable by group or others, except
// that a sticky directory (/tmp) may be, since what it holds that belongs
// to us cannot be renamed or removed by others. It returns the file's
// FileInfo.
func checkTree(resolved string) (fs.FileInfo, error) {
	fst, err := os.Lstat(resolved)
	if err != nil {
		return nil, err
	}
	if !trusted(owner(fst)) {
		return nil, errForeign(resolved, fst)
	}
	if fst.Mode().Perm()&0o022 != 0 {
		return nil, errWritable(resolved, fst)
	}
	for p := resolved; ; {
		d := filepath.Dir(p)
		if d == p {
			return fst, nil
		}
		st, err := os.Lstat(d)
		if err != nil {
			return nil, err
		}
		switch {
		case !st.IsDir():
			return nil, errNotRegular(d, st) // a link swapped in since resolving
		case !trusted(owner(st)):
			return nil, errForeign(d, st)
		case st.Mode().Perm()&0o022 != 0 && st.Mode()&fs.ModeSticky == 0:
			return nil, errWritable(d, st)
		}
		p = d
	}
}

// resolve makes path absolute and follows its symbolic links.
func resolve(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	return filepath.EvalSymlinks(abs)
}

// CheckPrivate checks a file whose content ipmictl acts on as
// instructions: a config file (its password_command runs a program). It
// follows symbolic links, then requires the file to be a regular file
// and the file and every directory above it to be owned by the effective
// user or root and not writable by group or others (a sticky directory
// such as /tmp is accepted). A refusal is an *Error naming the path at
// fault, its owner and mode, and the fix. Prefer ReadPrivate, which
// checks and reads the same open file.
func CheckPrivate(path string) error {
	_, err := ReadPrivate(path, -1)
	return err
}

// ReadPrivate is CheckPrivate followed by reading the file (at most max
// bytes; a larger file is ErrTooLarge). With max < 0 it only checks.
func ReadPrivate(path string, max int64) ([]byte, error) {
	resolved, err := resolve(path)
	if err != nil {
		return nil, err
	}
	st, err := checkTree(resolved)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, errNotRegular(resolved, st)
	}
	if max < 0 {
		return nil, nil
	}
	// Every directory above is ours or root's: the name cannot be
	// swapped by anyone else, but the descriptor is checked again.
	f, err := os.OpenFile(resolved, os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readChecked(f, resolved, st, max)
}

// readChecked reads an open file that must still be the one checked (st).
func readChecked(f *os.File, path string, st fs.FileInfo, max int64) ([]byte, error) {
	fst, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !os.SameFile(st, fst) {
		return nil, fmt.Errorf("%s: replaced while being opened", path)
	}
	switch {
	case !trusted(owner(fst)):
		return nil, errForeign(path, fst)
	case fst.Mode().Perm()&0o022 != 0:
		return nil, errWritable(path, fst)
	case fst.Mode().IsRegular() && fst.Size() > max:
		return nil, errTooLarge(path, fst.Size(), max)
	}
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, errTooLarge(path, int64(len(b)), max)
	}
	return b, nil
}

// CheckSecret checks a file holding a secret (a password file, a K_g
// file). A regular file is checked as by CheckPrivate (following
// symbolic links; the file and the directories above it owned by the
// effective user or root and not writable by group or others). A pipe
// owned by the user is accepted, for `-f <(pass show bmc)`. Anything
// else is ErrNotRegular. A file that group or others can read is
// accepted, and warning says so in plain words with the fix.
func CheckSecret(path string) (warning string, err error) {
	_, warning, err = readSecret(path, -1)
	return warning, err
}

// ReadSecret is CheckSecret followed by reading the file (at most max
// bytes) from the descriptor that was checked.
func ReadSecret(path string, max int64) (data []byte, warning string, err error) {
	if max < 0 {
		max = 0
	}
	return readSecret(path, max)
}

func readSecret(path string, max int64) ([]byte, string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, "", err
	}
	checked := path
	switch {
	case st.Mode()&fs.ModeNamedPipe != 0:
		// A pipe (process substitution's /dev/fd/N, or a FIFO): it has
		// no directory of its own to check; its owner is.
		if !trusted(owner(st)) {
			return nil, "", errForeign(path, st)
		}
	case st.Mode().IsRegular():
		resolved, err := resolve(path)
		if err != nil {
			return nil, "", err
		}
		if st, err = checkTree(resolved); err != nil {
			return nil, "", err
		}
		checked = resolved
	default:
		return nil, "", errNotRegular(path, st)
	}
	warning := ""
	if st.Mode().IsRegular() && st.Mode().Perm()&0o044 != 0 {
		warning = fmt.Sprintf("%s can be read by other users (%s); fix with: chmod 600 %s",
			path, describe(owner(st), st.Mode()), quote(path))
	}
	if max < 0 {
		return nil, warning, nil
	}
	// O_NONBLOCK: a FIFO swapped in for the file cannot block the open;
	// Go's poller still waits for the data of a pipe we meant to read.
	f, err := os.OpenFile(checked, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, "", err
	}
	defer f.Close()
	b, err := readChecked(f, checked, st, max)
	if err != nil {
		return nil, "", err
	}
	return b, warning, nil
}
