package inband

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// DeviceError says why no IPMI device could be opened, and what to do.
type DeviceError struct {
	Path string // the device path that was tried first
	Err  error  // the error opening it
	Hint string // the diagnosis: what is missing and how to fix it
}

func (e *DeviceError) Error() string {
	if e.Hint == "" {
		return fmt.Sprintf("inband: %s: %v", e.Path, e.Err)
	}
	return fmt.Sprintf("inband: %s: %s", e.Path, e.Hint)
}

func (e *DeviceError) Unwrap() error { return e.Err }

// devicePaths lists the names udev, devfs and old distributions gave
// interface n, in the order ipmitool tries them.
func devicePaths(n int) []string {
	s := strconv.Itoa(n)
	return []string{"/dev/ipmi" + s, "/dev/ipmi/" + s, "/dev/ipmidev/" + s}
}

// openDevice opens the first device node of interface n that exists.
func openDevice(o Options) (*os.File, error) {
	paths := devicePaths(o.Device)
	if o.Path != "" {
		paths = []string{o.Path}
	}
	for _, p := range paths {
		f, err := os.OpenFile(p, os.O_RDWR, 0)
		if err == nil {
			return f, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, openFailure(p, err)
		}
	}
	return nil, &DeviceError{
		Path: paths[0],
		Err:  fs.ErrNotExist,
		Hint: diagnoseMissing("/", o.Device, paths[0]),
	}
}

func openFailure(path string, err error) error {
	if errors.Is(err, fs.ErrPermission) {
		return &DeviceError{Path: path, Err: err,
			Hint: "permission denied: run as root or grant access to " + path}
	}
	if errors.Is(err, syscall.ENXIO) || errors.Is(err, syscall.ENODEV) {
		return &DeviceError{Path: path, Err: err,
			Hint: "the device node exists but no IPMI interface is behind it (the BMC went away, or the node is stale)"}
	}
	return &DeviceError{Path: path, Err: err}
}

// diagnoseMissing explains a missing device node from what sysfs (under
// root) says about the IPMI modules and the interfaces the kernel found.
func diagnoseMissing(root string, n int, path string) string {
	sys := func(p string) string { return filepath.Join(root, "sys", p) }
	exists := func(p string) bool { _, err := os.Stat(sys(p)); return err == nil }

	if ifaces := kernelInterfaces(sys("class/ipmi")); len(ifaces) > 0 {
		name := "ipmi" + strconv.Itoa(n)
		for _, i := range ifaces {
			if i == name {
				dev, _ := os.ReadFile(sys("class/ipmi/" + name + "/dev"))
				mm := strings.Replace(strings.TrimSpace(string(dev)), ":", " ", 1)
				if mm == "" {
					return "the kernel has " + name + " but there is no device node (is /dev mounted into this container?)"
				}
				return fmt.Sprintf("the kernel has %s but there is no device node: mknod %s c %s (or mount /dev into this container)", name, path, mm)
			}
		}
		return fmt.Sprintf("the kernel has no %s; it has %s (use -d %s)",
			name, strings.Join(ifaces, ", "), strings.TrimPrefix(ifaces[0], "ipmi"))
	}

	si := exists("module/ipmi_si") || exists("module/ipmi_ssif")
	devintf := exists("module/ipmi_devintf")
	switch {
	case !si && !devintf:
		return "the IPMI driver is not loaded: modprobe ipmi_si ipmi_devintf"
	case !devintf:
		return "the IPMI device interface is not loaded: modprobe ipmi_devintf"
	case !si:
		return "no IPMI system interface driver is loaded: modprobe ipmi_si"
	}
	return "no BMC found by the kernel (in a VM or container there is usually none)"
}

// kernelInterfaces lists ipmiN entries of /sys/class/ipmi, sorted.
func kernelInterfaces(dir string) []string {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range ents {
		if n, ok := strings.CutPrefix(e.Name(), "ipmi"); ok {
			if _, err := strconv.Atoi(n); err == nil {
				out = append(out, e.Name())
			}
		}
	}
	return out
}
