//go:build unix

package safefile

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// nobody stands for another local user.
const nobody = 65534

// needRoot skips a subtest that has to give a file away to another user.
func needRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("making a file owned by another user (uid 65534) needs root; CI runs these tests as root")
	}
}

// asUser makes the package trust uid (and root) instead of the real
// effective user for the rest of the test.
func asUser(t *testing.T, uid int) {
	old := geteuid
	geteuid = func() int { return uid }
	t.Cleanup(func() { geteuid = old })
}

func write(t *testing.T, path string, b []byte, mode os.FileMode) string {
	t.Helper()
	if err := os.WriteFile(path, b, mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil { // past the umask
		t.Fatal(err)
	}
	return path
}

// quick fails the test when f takes longer than a second: nothing here
// may block.
func quick(t *testing.T, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { f(); close(done) }()
	select {
	case <-done:
	case <-time.After(time.Second):
		t.Fatal("blocked for more than a second")
	}
}

func wantErr(t *testing.T, err, sentinel error) {
	t.Helper()
	if !errors.Is(err, sentinel) {
		t.Fatalf("error %v, want %v", err, sentinel)
	}
	if !IsUnsafe(err) {
		t.Fatalf("error %v is not a *safefile.Error", err)
	}
}

func TestReadCache(t *testing.T) {
	dir := t.TempDir()
	data := []byte("cache content")
	t.Run("regular", func(t *testing.T) {
		p := write(t, filepath.Join(dir, "ok"), data, 0o600)
		b, err := ReadCache(p, 100)
		if err != nil || !bytes.Equal(b, data) {
			t.Fatalf("ReadCache = %q, %v", b, err)
		}
	})
	t.Run("exactly max", func(t *testing.T) {
		p := write(t, filepath.Join(dir, "max"), data, 0o600)
		if _, err := ReadCache(p, int64(len(data))); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("missing", func(t *testing.T) {
		_, err := ReadCache(filepath.Join(dir, "none"), 100)
		if !errors.Is(err, fs.ErrNotExist) || IsUnsafe(err) {
			t.Fatalf("error %v, want not exist", err)
		}
	})
	t.Run("fifo", func(t *testing.T) {
		p := filepath.Join(dir, "fifo")
		if err := syscall.Mkfifo(p, 0o600); err != nil {
			t.Fatal(err)
		}
		var err error
		quick(t, func() { _, err = ReadCache(p, 100) })
		wantErr(t, err, ErrNotRegular)
	})
	t.Run("symlink to /dev/zero", func(t *testing.T) {
		p := filepath.Join(dir, "zero")
		if err := os.Symlink("/dev/zero", p); err != nil {
			t.Fatal(err)
		}
		var err error
		quick(t, func() { _, err = ReadCache(p, 1<<20) })
		wantErr(t, err, ErrSymlink)
	})
	t.Run("symlink to a regular file", func(t *testing.T) {
		target := write(t, filepath.Join(dir, "target"), data, 0o600)
		p := filepath.Join(dir, "link")
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
		_, err := ReadCache(p, 100)
		wantErr(t, err, ErrSymlink)
	})
	t.Run("too large", func(t *testing.T) {
		p := write(t, filepath.Join(dir, "big"), make([]byte, 101), 0o600)
		_, err := ReadCache(p, 100)
		wantErr(t, err, ErrTooLarge)
	})
	t.Run("directory", func(t *testing.T) {
		p := filepath.Join(dir, "sub")
		if err := os.Mkdir(p, 0o700); err != nil {
			t.Fatal(err)
		}
		_, err := ReadCache(p, 100)
		wantErr(t, err, ErrNotRegular)
	})
	t.Run("foreign owner", func(t *testing.T) {
		needRoot(t)
		p := write(t, filepath.Join(dir, "planted"), data, 0o644)
		if err := os.Chown(p, nobody, nobody); err != nil {
			t.Fatal(err)
		}
		_, err := ReadCache(p, 100)
		wantErr(t, err, ErrForeignOwner)
		if !strings.Contains(err.Error(), "65534") || !strings.Contains(err.Error(), p) {
			t.Errorf("message %q does not name the owner and the path", err)
		}
	})
}

// A file owned by root is accepted from a user who is not root (a cache
// root prepared); one owned by a third user is not.
func TestReadCacheTrustsRootAndSelf(t *testing.T) {
	p := write(t, filepath.Join(t.TempDir(), "f"), []byte("x"), 0o644)
	st, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	mine := int(owner(st))
	asUser(t, 4242)
	if mine == 0 {
		if _, err := ReadCache(p, 10); err != nil {
			t.Fatalf("root-owned file refused for uid 4242: %v", err)
		}
	} else if _, err := ReadCache(p, 10); !errors.Is(err, ErrForeignOwner) {
		t.Fatalf("file of uid %d accepted for uid 4242: %v", mine, err)
	}
	asUser(t, mine)
	if _, err := ReadCache(p, 10); err != nil {
		t.Fatalf("own file refused: %v", err)
	}
	if mine == 0 {
		// Root trusts only root: a user's file is foreign to it.
		if err := os.Chown(p, 4242, 4242); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadCache(p, 10); !errors.Is(err, ErrForeignOwner) {
			t.Fatalf("uid 4242's file accepted by root: %v", err)
		}
	}
}

func TestWriteCache(t *testing.T) {
	base := t.TempDir()
	t.Run("creates 0700 dir and 0600 file", func(t *testing.T) {
		dir := filepath.Join(base, "a", "b")
		if err := WriteCache(dir, "f", []byte("one")); err != nil {
			t.Fatal(err)
		}
		if err := WriteCache(dir, "f", []byte("two")); err != nil {
			t.Fatal(err)
		}
		st, _ := os.Stat(dir)
		if st.Mode().Perm() != 0o700 {
			t.Errorf("dir mode %v, want 0700", st.Mode().Perm())
		}
		st, _ = os.Stat(filepath.Join(dir, "f"))
		if st.Mode().Perm() != 0o600 {
			t.Errorf("file mode %v, want 0600", st.Mode().Perm())
		}
		if b, err := ReadCache(filepath.Join(dir, "f"), 10); err != nil || string(b) != "two" {
			t.Errorf("read back %q, %v", b, err)
		}
		ents, _ := os.ReadDir(dir)
		if len(ents) != 1 {
			t.Errorf("temporary files left: %v", ents)
		}
	})
	t.Run("replaces a planted symlink and FIFO without following", func(t *testing.T) {
		dir := t.TempDir()
		victim := write(t, filepath.Join(base, "victim"), []byte("keep"), 0o600)
		if err := os.Symlink(victim, filepath.Join(dir, "l")); err != nil {
			t.Fatal(err)
		}
		if err := syscall.Mkfifo(filepath.Join(dir, "p"), 0o600); err != nil {
			t.Fatal(err)
		}
		quick(t, func() {
			if err := WriteCache(dir, "l", []byte("new")); err != nil {
				t.Error(err)
			}
			if err := WriteCache(dir, "p", []byte("new")); err != nil {
				t.Error(err)
			}
		})
		if b, _ := os.ReadFile(victim); string(b) != "keep" {
			t.Errorf("symlink target overwritten: %q", b)
		}
		for _, n := range []string{"l", "p"} {
			if b, err := ReadCache(filepath.Join(dir, n), 10); err != nil || string(b) != "new" {
				t.Errorf("%s: %q, %v", n, b, err)
			}
		}
	})
	t.Run("world-writable dir", func(t *testing.T) {
		dir := filepath.Join(base, "ww")
		os.Mkdir(dir, 0o700)
		os.Chmod(dir, 0o777)
		err := WriteCache(dir, "f", []byte("x"))
		wantErr(t, err, ErrWritable)
		if !strings.Contains(err.Error(), "chmod go-w "+dir) {
			t.Errorf("message %q does not give the fix", err)
		}
	})
	t.Run("group-writable sticky dir", func(t *testing.T) {
		dir := filepath.Join(base, "gw")
		os.Mkdir(dir, 0o700)
		os.Chmod(dir, 0o770|os.ModeSticky)
		wantErr(t, WriteCache(dir, "f", []byte("x")), ErrWritable)
	})
	t.Run("dir of another user", func(t *testing.T) {
		needRoot(t)
		dir := filepath.Join(base, "theirs")
		os.Mkdir(dir, 0o700)
		if err := os.Chown(dir, nobody, nobody); err != nil {
			t.Fatal(err)
		}
		wantErr(t, WriteCache(dir, "f", []byte("x")), ErrForeignOwner)
	})
	t.Run("bad names", func(t *testing.T) {
		for _, n := range []string{"", ".", "..", "a/b", "../f"} {
			if err := WriteCache(base, n, nil); err == nil {
				t.Errorf("name %q accepted", n)
			}
		}
	})
}

func TestCheckPrivate(t *testing.T) {
	base := t.TempDir()
	good := write(t, filepath.Join(base, "config.yaml"), []byte("a: 1\n"), 0o644)
	t.Run("own file", func(t *testing.T) {
		if err := CheckPrivate(good); err != nil {
			t.Fatal(err)
		}
		b, err := ReadPrivate(good, 100)
		if err != nil || string(b) != "a: 1\n" {
			t.Fatalf("ReadPrivate = %q, %v", b, err)
		}
	})
	t.Run("symlink to own file", func(t *testing.T) {
		l := filepath.Join(base, "link.yaml")
		os.Symlink(good, l)
		if err := CheckPrivate(l); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("group-writable file", func(t *testing.T) {
		p := write(t, filepath.Join(base, "gw.yaml"), nil, 0o664)
		err := CheckPrivate(p)
		wantErr(t, err, ErrWritable)
		for _, s := range []string{p, "-rw-rw-r--", "chmod go-w " + p} {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("message %q lacks %q", err, s)
			}
		}
	})
	t.Run("world-writable parent", func(t *testing.T) {
		dir := filepath.Join(base, "open")
		os.Mkdir(dir, 0o700)
		p := write(t, filepath.Join(dir, "c.yaml"), nil, 0o600)
		os.Chmod(dir, 0o777)
		err := CheckPrivate(p)
		wantErr(t, err, ErrWritable)
		if !strings.Contains(err.Error(), "chmod go-w "+dir) {
			t.Errorf("message %q does not name the directory", err)
		}
		// A link from a safe place does not make it safe: the file is
		// judged where it is.
		l := filepath.Join(base, "via-link.yaml")
		os.Symlink(p, l)
		wantErr(t, CheckPrivate(l), ErrWritable)
	})
	t.Run("world-writable grandparent", func(t *testing.T) {
		dir := filepath.Join(base, "open2", "safe")
		os.MkdirAll(dir, 0o700)
		p := write(t, filepath.Join(dir, "c.yaml"), nil, 0o600)
		os.Chmod(filepath.Dir(dir), 0o777)
		wantErr(t, CheckPrivate(p), ErrWritable)
	})
	t.Run("sticky world-writable parent", func(t *testing.T) {
		dir := filepath.Join(base, "sticky")
		os.Mkdir(dir, 0o700)
		p := write(t, filepath.Join(dir, "c.yaml"), nil, 0o600)
		os.Chmod(dir, 0o777|os.ModeSticky)
		if err := CheckPrivate(p); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("directory", func(t *testing.T) {
		wantErr(t, CheckPrivate(base), ErrNotRegular)
	})
	t.Run("fifo", func(t *testing.T) {
		p := filepath.Join(base, "fifo.yaml")
		syscall.Mkfifo(p, 0o600)
		var err error
		quick(t, func() { _, err = ReadPrivate(p, 100) })
		wantErr(t, err, ErrNotRegular)
	})
	t.Run("too large", func(t *testing.T) {
		_, err := ReadPrivate(good, 2)
		wantErr(t, err, ErrTooLarge)
	})
	t.Run("foreign owner", func(t *testing.T) {
		needRoot(t)
		p := write(t, filepath.Join(base, "theirs.yaml"), []byte("password_command: id\n"), 0o600)
		os.Chown(p, nobody, nobody)
		err := CheckPrivate(p)
		wantErr(t, err, ErrForeignOwner)
		if !strings.Contains(err.Error(), "chown ") {
			t.Errorf("message %q gives no fix", err)
		}
	})
	t.Run("foreign parent", func(t *testing.T) {
		needRoot(t)
		dir := filepath.Join(base, "theirdir")
		os.Mkdir(dir, 0o755)
		p := write(t, filepath.Join(dir, "c.yaml"), nil, 0o600)
		os.Chown(dir, nobody, nobody)
		wantErr(t, CheckPrivate(p), ErrForeignOwner)
	})
	t.Run("root-owned file trusted by a user", func(t *testing.T) {
		needRoot(t) // the file and its directories must belong to root
		asUser(t, 4242)
		if err := CheckPrivate(good); err != nil {
			t.Fatal(err)
		}
	})
}

func TestCheckSecret(t *testing.T) {
	base := t.TempDir()
	t.Run("private file", func(t *testing.T) {
		p := write(t, filepath.Join(base, "pw"), []byte("secret\n"), 0o600)
		w, err := CheckSecret(p)
		if err != nil || w != "" {
			t.Fatalf("CheckSecret = %q, %v", w, err)
		}
		b, w, err := ReadSecret(p, 64)
		if err != nil || w != "" || string(b) != "secret\n" {
			t.Fatalf("ReadSecret = %q, %q, %v", b, w, err)
		}
	})
	t.Run("readable by others", func(t *testing.T) {
		p := write(t, filepath.Join(base, "pw-644"), []byte("s"), 0o644)
		w, err := CheckSecret(p)
		if err != nil || !strings.Contains(w, "chmod 600 "+p) || !strings.Contains(w, "read by other users") {
			t.Fatalf("CheckSecret = %q, %v", w, err)
		}
		p = write(t, filepath.Join(base, "pw-640"), []byte("s"), 0o640)
		if w, err := CheckSecret(p); err != nil || w == "" {
			t.Fatalf("group-readable: %q, %v", w, err)
		}
	})
	t.Run("writable by others", func(t *testing.T) {
		p := write(t, filepath.Join(base, "pw-666"), []byte("s"), 0o666)
		_, err := CheckSecret(p)
		wantErr(t, err, ErrWritable)
	})
	t.Run("world-writable parent", func(t *testing.T) {
		dir := filepath.Join(base, "open")
		os.Mkdir(dir, 0o700)
		p := write(t, filepath.Join(dir, "pw"), []byte("s"), 0o600)
		os.Chmod(dir, 0o777)
		_, err := CheckSecret(p)
		wantErr(t, err, ErrWritable)
	})
	t.Run("directory", func(t *testing.T) {
		_, err := CheckSecret(base)
		wantErr(t, err, ErrNotRegular)
	})
	t.Run("pipe from process substitution", func(t *testing.T) {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		go func() { w.Write([]byte("piped\n")); w.Close() }()
		p := "/dev/fd/" + strconv.Itoa(int(r.Fd()))
		if _, err := os.Stat(p); err != nil {
			t.Skipf("no /dev/fd here: %v", err)
		}
		b, warn, err := ReadSecret(p, 64)
		if err != nil || warn != "" || string(b) != "piped\n" {
			t.Fatalf("ReadSecret(%s) = %q, %q, %v", p, b, warn, err)
		}
	})
	t.Run("too large", func(t *testing.T) {
		p := write(t, filepath.Join(base, "pw-big"), make([]byte, 65), 0o600)
		_, _, err := ReadSecret(p, 64)
		wantErr(t, err, ErrTooLarge)
	})
	t.Run("foreign owner", func(t *testing.T) {
		needRoot(t)
		p := write(t, filepath.Join(base, "pw-theirs"), []byte("s"), 0o600)
		os.Chown(p, nobody, nobody)
		_, err := CheckSecret(p)
		wantErr(t, err, ErrForeignOwner)
	})
	t.Run("foreign FIFO", func(t *testing.T) {
		needRoot(t)
		p := filepath.Join(base, "pw-fifo")
		syscall.Mkfifo(p, 0o666)
		os.Chown(p, nobody, nobody)
		var err error
		quick(t, func() { _, _, err = ReadSecret(p, 64) })
		wantErr(t, err, ErrForeignOwner)
	})
}
