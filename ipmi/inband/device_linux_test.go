package inband

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeSys builds a /sys tree under a temp root with the given directories
// and files ("path=content").
func fakeSys(t *testing.T, entries ...string) string {
	t.Helper()
	root := t.TempDir()
	for _, e := range entries {
		p, content, isFile := strings.Cut(e, "=")
		full := filepath.Join(root, "sys", p)
		if !isFile {
			if err := os.MkdirAll(full, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func TestDiagnoseMissing(t *testing.T) {
	for _, c := range []struct {
		name string
		sys  []string
		dev  int
		want string
	}{
		{"nothing loaded", nil, 0, "the IPMI driver is not loaded: modprobe ipmi_si ipmi_devintf"},
		{"only msghandler", []string{"module/ipmi_msghandler"}, 0, "modprobe ipmi_si ipmi_devintf"},
		{"no devintf", []string{"module/ipmi_msghandler", "module/ipmi_si"}, 0, "modprobe ipmi_devintf"},
		{"no si", []string{"module/ipmi_msghandler", "module/ipmi_devintf", "class/ipmi"}, 0, "modprobe ipmi_si"},
		{"ssif counts as si", []string{"module/ipmi_ssif", "module/ipmi_devintf", "class/ipmi"}, 0, "no BMC found by the kernel"},
		{"all loaded, no BMC", []string{"module/ipmi_msghandler", "module/ipmi_si", "module/ipmi_devintf", "class/ipmi"}, 0,
			"no BMC found by the kernel (in a VM or container there is usually none)"},
		{"node missing", []string{"module/ipmi_si", "module/ipmi_devintf", "class/ipmi/ipmi0/dev=239:0\n"}, 0,
			"mknod /dev/ipmi0 c 239 0"},
		{"other device", []string{"module/ipmi_si", "module/ipmi_devintf", "class/ipmi/ipmi1/dev=239:1\n"}, 0,
			"the kernel has no ipmi0; it has ipmi1 (use -d 1)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := diagnoseMissing(fakeSys(t, c.sys...), c.dev, devicePaths(c.dev)[0])
			if !strings.Contains(got, c.want) {
				t.Errorf("got %q, want it to contain %q", got, c.want)
			}
		})
	}
}

func TestOpenMissingDevice(t *testing.T) {
	_, err := Open(Options{Path: filepath.Join(t.TempDir(), "ipmi0")})
	var de *DeviceError
	if !errors.As(err, &de) || !errors.Is(err, fs.ErrNotExist) || de.Hint == "" {
		t.Fatalf("Open of a missing node: %v; want a *DeviceError wrapping ErrNotExist with a hint", err)
	}
}

func TestOpenPermissionDenied(t *testing.T) {
	if os.Geteuid() == 0 {
		// root opens anything: exercise the classification instead.
		err := openFailure("/dev/ipmi0", &fs.PathError{Op: "open", Path: "/dev/ipmi0", Err: fs.ErrPermission})
		if !strings.Contains(err.Error(), "run as root or grant access to /dev/ipmi0") {
			t.Fatalf("got %v", err)
		}
		return
	}
	p := filepath.Join(t.TempDir(), "ipmi0")
	if err := os.WriteFile(p, nil, 0); err != nil {
		t.Fatal(err)
	}
	_, err := Open(Options{Path: p})
	if err == nil || !strings.Contains(err.Error(), "run as root or grant access to "+p) {
		t.Fatalf("got %v", err)
	}
}

func TestDevicePaths(t *testing.T) {
	got := strings.Join(devicePaths(3), " ")
	if got != "/dev/ipmi3 /dev/ipmi/3 /dev/ipmidev/3" {
		t.Fatalf("devicePaths(3) = %s", got)
	}
}

func TestOpenRefusesUnpollableFile(t *testing.T) {
	// A regular file cannot join the runtime poller, so a wait on it could
	// not be interrupted: Open must refuse it rather than block forever.
	p := filepath.Join(t.TempDir(), "ipmi0")
	if err := os.WriteFile(p, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	tr, err := Open(Options{Path: p})
	if err == nil {
		tr.Close()
		t.Fatal("Open of a regular file succeeded")
	}
	if !strings.Contains(err.Error(), "cannot be polled") {
		t.Fatalf("got %v", err)
	}
}
