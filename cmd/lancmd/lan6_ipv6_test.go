package lancmd

import (
	"testing"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/cmd/clitest"
)

func TestLanTargetIPv6Forms(t *testing.T) {
	for host, want := range map[string]string{
		"::1":               "[::1]:623",
		"[::1]":             "[::1]:623",
		"[::1]:6230":        "[::1]:6230",
		"fe80::1%eth0":      "[fe80::1%eth0]:623",
		"[fe80::1%eth0]:99": "[fe80::1%eth0]:99",
		"2001:db8::1":       "[2001:db8::1]:623",
		"[2001:db8::1]:623": "[2001:db8::1]:623",
		"bmc6.example":      "bmc6.example:623",
	} {
		got, err := cli.LANTarget(host, 623)
		if err != nil || got != want {
			t.Errorf("-H %s: %q %v, want %q", host, got, err, want)
		}
		f := clitest.NewFactory()
		f.Opts.Host = host
		if hosts, err := cli.FanoutHosts(f); err != nil || hosts != nil {
			t.Errorf("-H %s is taken for a host list: %v %v", host, hosts, err)
		}
	}
	if _, err := cli.LANTarget("[::1]:0", 623); err == nil {
		t.Error("port 0 accepted")
	}
}
