package inband

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
)

const (
	dmiTablePath = "/sys/firmware/dmi/tables/DMI"
	devPortPath  = "/dev/port"
	ioportsPath  = "/proc/ioports"
)

// OpenKCS drives the KCS interface the SMBIOS names (or o.Base) through
// /dev/port. It needs root, and no kernel driver may own the ports.
func OpenKCS(o KCSOptions) (*KCS, error) {
	base, spacing := o.Base, o.Spacing
	if base == 0 {
		si, err := findKCS(dmiTablePath)
		if err != nil {
			return nil, err
		}
		base, spacing = uint16(si.Base), si.RegSpacing
	}
	if spacing == 0 {
		spacing = 1
	}
	if owner := ioportOwner(ioportsPath, base); owner != "" {
		return nil, fmt.Errorf("inband: kcs: the kernel driver %s owns port 0x%x: use -I open, or unload it (rmmod ipmi_si)", owner, base)
	}
	f, err := os.OpenFile(devPortPath, os.O_RDWR, 0)
	switch {
	case errors.Is(err, fs.ErrPermission):
		return nil, fmt.Errorf("inband: kcs: %s: permission denied: direct KCS access needs root (CAP_SYS_RAWIO)", devPortPath)
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("inband: kcs: no %s (a kernel without CONFIG_DEVPORT): use -I open", devPortPath)
	case err != nil:
		return nil, fmt.Errorf("inband: kcs: %w", err)
	}
	p := &devPort{f: f, data: int64(base), status: int64(base) + int64(spacing)}
	st, err := p.readStatus()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("inband: kcs: reading port 0x%x: %w", p.status, err)
	}
	if st == 0xff {
		f.Close()
		return nil, fmt.Errorf("inband: kcs: nothing answers at port 0x%x (status reads 0xff)", p.status)
	}
	return newKCS(p, f, base, spacing, o), nil
}

// findKCS picks the I/O-mapped KCS interface from the SMBIOS table.
func findKCS(path string) (SystemInterface, error) {
	table, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrPermission):
		return SystemInterface{}, fmt.Errorf("inband: kcs: %s: permission denied: run as root", path)
	case errors.Is(err, fs.ErrNotExist):
		return SystemInterface{}, fmt.Errorf("inband: kcs: no SMBIOS table (%s): cannot find the KCS interface", path)
	case err != nil:
		return SystemInterface{}, fmt.Errorf("inband: kcs: %w", err)
	}
	recs, perr := ParseSMBIOSIPMI(table)
	for _, r := range recs {
		if r.Type != InterfaceKCS {
			continue
		}
		if !r.IOSpace {
			return r, fmt.Errorf("inband: kcs: the KCS interface is memory-mapped at 0x%x, which -I kcs does not drive: use -I open", r.Base)
		}
		if r.Base == 0 || r.Base > 0xffff-uint64(r.RegSpacing) {
			return r, fmt.Errorf("inband: kcs: SMBIOS gives KCS I/O port 0x%x, which is not a port", r.Base)
		}
		return r, nil
	}
	if len(recs) > 0 {
		return SystemInterface{}, fmt.Errorf("inband: kcs: the BMC's system interface is %v, not KCS: use -I open", recs[0].Type)
	}
	if perr != nil {
		return SystemInterface{}, fmt.Errorf("inband: kcs: %s: %w", path, perr)
	}
	return SystemInterface{}, errors.New("inband: kcs: SMBIOS lists no IPMI interface (type 38): this machine reports no BMC")
}

// ioportOwner names the driver that claimed port in /proc/ioports, if it
// is an IPMI driver.
func ioportOwner(path string, port uint16) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		rng, name, ok := strings.Cut(strings.TrimSpace(s.Text()), " : ")
		lo, hi, ok2 := strings.Cut(rng, "-")
		if !ok || !ok2 || !strings.Contains(name, "ipmi") {
			continue
		}
		l, err1 := strconv.ParseUint(lo, 16, 32)
		h, err2 := strconv.ParseUint(hi, 16, 32)
		if err1 == nil && err2 == nil && l <= uint64(port) && uint64(port) <= h {
			return name
		}
	}
	return ""
}

// devPort reaches I/O ports through /dev/port: the file offset is the port.
type devPort struct {
	f            *os.File
	data, status int64
}

func (d *devPort) in(port int64) (byte, error) {
	var b [1]byte
	_, err := d.f.ReadAt(b[:], port)
	return b[0], err
}

func (d *devPort) out(port int64, v byte) error {
	_, err := d.f.WriteAt([]byte{v}, port)
	return err
}

func (d *devPort) readData() (byte, error)   { return d.in(d.data) }
func (d *devPort) writeData(v byte) error    { return d.out(d.data, v) }
func (d *devPort) readStatus() (byte, error) { return d.in(d.status) }
func (d *devPort) writeCommand(v byte) error { return d.out(d.status, v) }
