//go:build !unix

package safefile

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Without unix ownership, the caches keep their size and type checks and
// the other checks report ErrUnsupported, so a caller decides plainly.

func userName(uid uint32) string { return fmt.Sprintf("uid %d", uid) }

func ReadCache(path string, max int64) ([]byte, error) {
	st, err := os.Lstat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, &Error{Path: path, Err: ErrNotRegular, Found: st.Mode().String()}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err == nil && int64(len(b)) > max {
		err = &Error{Path: path, Err: ErrTooLarge}
	}
	return b, err
}

func WriteCache(dir, name string, data []byte) error {
	if name == "" || name == "." || name == ".." || strings.ContainsAny(name, `/\`) {
		return fmt.Errorf("safefile: cache file name %q is not a plain file name", name)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+name+".tmp-*")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(data)
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), filepath.Join(dir, name))
	}
	if werr != nil {
		os.Remove(tmp.Name())
	}
	return werr
}

func CheckPrivate(path string) error { return &Error{Path: path, Err: ErrUnsupported} }

func ReadPrivate(path string, max int64) ([]byte, error) {
	return nil, &Error{Path: path, Err: ErrUnsupported}
}

func CheckSecret(path string) (string, error) { return "", &Error{Path: path, Err: ErrUnsupported} }

func ReadSecret(path string, max int64) ([]byte, string, error) {
	return nil, "", &Error{Path: path, Err: ErrUnsupported}
}
