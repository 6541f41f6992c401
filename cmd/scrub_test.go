package cmd

import (
	"bytes"
	"os"
	"strings"
	"testing"

	cli "github.com/ipmictl/ipmictl/cmd/cli"
	clitest "github.com/ipmictl/ipmictl/cmd/clitest"
)

// heap returns a string in writable memory, as argv strings are.
func heap(s string) string { return string([]byte(s)) }

func TestScrubArgsOnlyTouchesThePasswordFlag(t *testing.T) {
	args := []string{heap("ipmictl"), heap("-P"), heap("on"), heap("chassis"), heap("power"), heap("on"),
		heap("-Pon"), heap("--password=on"), heap("--password"), heap("on")}
	cli.ScrubArgs(args, "on")
	want := "ipmictl -P XX chassis power on -PXX --password=XX --password XX"
	if got := strings.Join(args, " "); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestProtectArgvPasswordKeepsAPrivateCopyAndWarns(t *testing.T) {
	saved := os.Args
	defer func() { os.Args = saved }()
	arg := heap("s3cret")
	os.Args = []string{"ipmictl", "-P", arg, "mc", "info"}
	var errOut bytes.Buffer
	got := cli.ProtectArgvPassword(&cli.IOStreams{ErrOut: &errOut}, arg)
	if got != "s3cret" {
		t.Errorf("private copy %q", got)
	}
	if os.Args[2] != "XXXXXX" {
		t.Errorf("argv still holds %q", os.Args[2])
	}
	if !strings.Contains(errOut.String(), "-E, -f FILE") {
		t.Errorf("no warning: %q", errOut.String())
	}
}

func TestReadablePasswordFileWarns(t *testing.T) {
	dir := t.TempDir()
	for mode, warn := range map[os.FileMode]bool{0o600: false, 0o644: true, 0o640: true} {
		p := dir + "/pw"
		clitest.WriteFile(t, p, "pw\n", mode)
		os.Chmod(p, mode)
		var errOut bytes.Buffer
		cli.WarnReadableSecretFile(&cli.IOStreams{ErrOut: &errOut}, p)
		if got := errOut.Len() > 0; got != warn {
			t.Errorf("mode %o: warned=%v", mode, got)
		}
	}
}
