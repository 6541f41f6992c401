//go:build linux && inband_e2e

// End-to-end tests against a real kernel and BMC: testdata/qemu/run.sh
// builds them with -tags inband_e2e into the initramfs of a QEMU guest with
// an emulated KCS BMC. TestE2EKCS* run before the IPMI driver is loaded,
// TestE2EOpen* after.
package inband

import (
	"context"
	"errors"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/ipmictl/ipmictl/ipmi"
)

var (
	getDeviceID     = &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: 0x01}
	getChassisState = &ipmi.Request{NetFn: ipmi.NetFnChassis, Cmd: 0x01}
	bogusCommand    = &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: 0xee}
	getSELEntry0    = &ipmi.Request{NetFn: ipmi.NetFnStorage, Cmd: 0x43, Data: []byte{0, 0, 0, 0, 0, 0xff}}
)

// exercise runs the requests every BMC answers alike, then many at once.
func exercise(t *testing.T, tr ipmi.Transport) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	resp, err := tr.Send(ctx, getDeviceID)
	if err != nil || resp.Code != 0 || len(resp.Data) < 11 {
		t.Fatalf("Get Device ID: %v %+v", err, resp)
	}
	t.Logf("Get Device ID: % x", resp.Data)
	if resp, err = tr.Send(ctx, getChassisState); err != nil || resp.Code != 0 || len(resp.Data) < 3 {
		t.Fatalf("Get Chassis Status: %v %+v", err, resp)
	}
	if resp, err = tr.Send(ctx, bogusCommand); err != nil || resp.Code != 0xc1 {
		t.Fatalf("bogus command: %v %+v, want cc 0xc1", err, resp)
	}
	if resp, err = tr.Send(ctx, getSELEntry0); err != nil {
		t.Fatalf("Get SEL Entry: %v", err)
	}
	t.Logf("Get SEL Entry 0: cc %#02x % x", uint8(resp.Code), resp.Data)

	var wg sync.WaitGroup
	for g := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 10 {
				req, min := getDeviceID, 11
				if (g+i)%2 == 1 {
					req, min = getChassisState, 3
				}
				resp, err := tr.Send(ctx, req)
				if err != nil || resp.Code != 0 || len(resp.Data) < min {
					t.Errorf("goroutine %d, %v: %v %+v", g, req, err, resp)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestE2EKCS(t *testing.T) {
	table, err := os.ReadFile(dmiTablePath)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := ParseSMBIOSIPMI(table)
	if err != nil || len(recs) == 0 {
		t.Fatalf("SMBIOS type 38: %v %+v", err, recs)
	}
	t.Logf("SMBIOS type 38: %+v", recs)
	k, err := OpenKCS(KCSOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	if k.Base() != 0xca2 || k.Spacing() != 1 {
		t.Errorf("KCS at 0x%x spacing %d; QEMU's isa-ipmi-kcs is at 0xca2, spacing 1", k.Base(), k.Spacing())
	}
	exercise(t, k)
	if _, err := k.Send(context.Background(), &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: 1, Target: &ipmi.Address{Addr: 0x72}}); err == nil {
		t.Error("KCS accepted a bridged request")
	}
}

func TestE2EKCSOpenWithoutDriver(t *testing.T) {
	_, err := Open(Options{})
	var de *DeviceError
	if !errors.As(err, &de) || !strings.Contains(err.Error(), "the IPMI driver is not loaded: modprobe ipmi_si ipmi_devintf") {
		t.Fatalf("Open without the driver: %v", err)
	}
}

func TestE2EOpen(t *testing.T) {
	tr, err := Open(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	if tr.Path() != "/dev/ipmi0" {
		t.Errorf("opened %s", tr.Path())
	}
	exercise(t, tr)
}

func TestE2EOpenStaleReplySkipped(t *testing.T) {
	tr, err := Open(Options{Retries: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	ctx := context.Background()
	tr.timeout = time.Nanosecond // the reply cannot be waited for
	var te *TimeoutError
	if _, err := tr.Send(ctx, getChassisState); !errors.As(err, &te) {
		t.Fatalf("1 ns try: %v, want a TimeoutError", err)
	}
	tr.timeout = 10 * time.Second
	resp, err := tr.Send(ctx, getDeviceID)
	if err != nil || resp.Code != 0 || len(resp.Data) < 11 {
		t.Fatalf("Get Device ID after a timed-out request: %v %+v", err, resp)
	}
	if tr.skipped != 1 {
		t.Errorf("skipped %d messages, want the 1 stale chassis reply", tr.skipped)
	}
}

func TestE2EOpenCancel(t *testing.T) {
	tr, err := Open(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := tr.Send(ctx, getDeviceID); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled context: %v", err)
	}
	if resp, err := tr.Send(context.Background(), getDeviceID); err != nil || len(resp.Data) < 11 {
		t.Fatalf("after a cancelled request: %v %+v", err, resp)
	}
}

func TestE2EOpenCloseWakesSend(t *testing.T) {
	tr, err := Open(Options{})
	if err != nil {
		t.Fatal(err)
	}
	tr.Close()
	if _, err := tr.Send(context.Background(), getDeviceID); err == nil {
		t.Fatal("Send on a closed transport succeeded")
	}
}

func TestE2EOpenBridged(t *testing.T) {
	tr, err := Open(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	// Addressed to the BMC itself: the system interface.
	resp, err := tr.Send(ctx, &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: 1, Target: &ipmi.Address{Addr: ipmi.BMCSlaveAddr}})
	if err != nil || resp.Code != 0 {
		t.Fatalf("Target = BMC: %v %+v", err, resp)
	}
	// Another controller on IPMB 0: the kernel sends it through the BMC
	// and always answers, with the target's reply or an error code. No
	// controller answers at 0x72, so shorten the kernel's IPMB wait
	// (default 1 s and 4 retries) to get its timeout reply (0xc3) sooner.
	setIPMBTiming(t, tr, 0, 500)
	start := time.Now()
	resp, err = tr.Send(ctx, &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: 1, Target: &ipmi.Address{Channel: 0, Addr: 0x72}})
	if err != nil {
		t.Fatalf("bridged to 0x72: %v", err)
	}
	t.Logf("bridged to IPMB 0x72: cc %#02x % x after %v", uint8(resp.Code), resp.Data, time.Since(start))
	if resp.Code != 0xc3 && resp.Code != 0 {
		t.Errorf("bridged to 0x72: cc %#02x, want the kernel's timeout (0xc3) or a reply", uint8(resp.Code))
	}
	if _, err := tr.Send(ctx, &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: 1,
		Target: &ipmi.Address{Addr: 0x72}, Transit: &ipmi.Address{Addr: 0x82}}); err == nil {
		t.Error("double bridge accepted")
	}
}

func TestE2EOpenOtherDevice(t *testing.T) {
	_, err := Open(Options{Device: 1})
	if err == nil || !strings.Contains(err.Error(), "the kernel has no ipmi1; it has ipmi0 (use -d 0)") {
		t.Fatalf("Open -d 1: %v", err)
	}
}

func TestE2EOpenKCSRefusedWhileDriverLoaded(t *testing.T) {
	_, err := OpenKCS(KCSOptions{})
	if err == nil || !strings.Contains(err.Error(), "owns port 0xca2") {
		t.Fatalf("OpenKCS with ipmi_si loaded: %v", err)
	}
}

// setIPMBTiming sets how often and how long the kernel retries IPMB
// requests of this open file (IPMICTL_SET_TIMING_PARMS_CMD).
func setIPMBTiming(t *testing.T, tr *Transport, retries int32, retryMs uint32) {
	t.Helper()
	parms := struct {
		retries int32
		retryMs uint32
	}{retries, retryMs}
	cmd := ior(ipmiIOCMagic, 22, unsafe.Sizeof(parms))
	if cmd != 0x80086916 {
		t.Fatalf("IPMICTL_SET_TIMING_PARMS_CMD = %#x, kernel has 0x80086916", cmd)
	}
	var errno syscall.Errno
	tr.rc.Control(func(fd uintptr) {
		_, _, errno = unix.Syscall(unix.SYS_IOCTL, fd, cmd, uintptr(unsafe.Pointer(&parms)))
	})
	if errno != 0 {
		t.Fatalf("IPMICTL_SET_TIMING_PARMS_CMD: %v", errno)
	}
}
