package interop

import (
	"bytes"
	"context"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/internal/peers"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/ipmi/bmcsim"
	"github.com/ipmictl/ipmictl/rmcp"
)

// lan6Backend puts the store in front of bmcsim's LAN backend, so that
// ipmitool can read the same parameters over RMCP+.
type lan6Backend struct {
	rmcp.Backend
	s *clitest.Lan6Store
}

func (b lan6Backend) ServeIPMI(ctx context.Context, id uint32, req *ipmi.Request) *ipmi.Response {
	if r, ok := b.s.Serve(req); ok {
		return r
	}
	return b.Backend.ServeIPMI(ctx, id, req)
}

func lan6Serve(t *testing.T, s *clitest.Lan6Store) int {
	t.Helper()
	conn, err := rmcp.ListenLoopback("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv, err := rmcp.NewServer(lan6Backend{bmcsim.New().Backend(), s}, conn, nil)
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve()
	t.Cleanup(func() { srv.Close() })
	return int(srv.Addr().Port())
}

// ipmitool lan6 print/set against the same parameters over RMCP+: the
// printed text and the bytes written are the same as ours.
func TestLan6MatchesIpmitool(t *testing.T) {
	if testing.Short() {
		t.Skip("interop: -short")
	}
	peers.Require(t, "ipmitool")
	s := clitest.NewLan6Store()
	s.Refuse[52] = 0xD4
	port := lan6Serve(t, s)
	ipmitool := func(args ...string) (string, string) {
		t.Helper()
		cmd := exec.Command("ipmitool", append([]string{"-I", "lanplus", "-C", "3", "-H", "127.0.0.1", "-p", strconv.Itoa(port),
			"-U", "admin", "-P", "password"}, args...)...)
		var o, e bytes.Buffer
		cmd.Stdout, cmd.Stderr = &o, &e
		if err := cmd.Run(); err != nil {
			t.Fatalf("ipmitool %v: %v %s", args, err, e.String())
		}
		return o.String(), e.String()
	}
	want, wantErr := ipmitool("lan6", "print", "1")
	got, gotErr, code := clitest.RunLive(t, "127.0.0.1", port, "-U", "admin", "-P", "password", "-C", "3", "lan6", "print", "1")
	if code != 0 || got != want {
		t.Errorf("lan6 print: exit %d\nipmictl:\n%s\nipmitool:\n%s", code, got, want)
	}
	failed := func(s string) (lines []string) {
		for _, l := range strings.Split(s, "\n") {
			if strings.HasPrefix(l, "Failed to get") {
				lines = append(lines, l)
			}
		}
		return lines
	}
	if g, w := failed(gotErr), failed(wantErr); strings.Join(g, "\n") != strings.Join(w, "\n") || len(w) != 1 {
		t.Errorf("refusals: ipmictl %q, ipmitool %q", g, w)
	}
	for _, args := range [][]string{
		{"enables", "ipv6"},
		{"static_addr", "1", "enable", "2001:db8::77", "60"},
		{"nolock", "static_rtr", "2", "fe80::9", "00:aa:bb:cc:dd:0e", "2001:db8:9::", "48"},
		{"nolock", "dhcp6_cfg", "0", "0102", "0304"},
		{"nolock", "flow_label", "74565"},
	} {
		s.Mu.Lock()
		s.Sets = nil
		s.Mu.Unlock()
		ipmitool(append([]string{"lan6", "set", "1"}, args...)...)
		s.Mu.Lock()
		theirs := s.Sets
		s.Sets = nil
		s.Mu.Unlock()
		if _, errOut, code := clitest.RunLive(t, "127.0.0.1", port, append([]string{"-U", "admin", "-P", "password", "-C", "3", "lan6", "set", "1"}, args...)...); code != 0 {
			t.Errorf("lan6 set %v: exit %d %s", args, code, errOut)
		}
		s.Mu.Lock()
		ours := s.Sets
		s.Mu.Unlock()
		if len(ours) != len(theirs) {
			t.Errorf("lan6 set %v: ipmictl sent % x, ipmitool % x", args, ours, theirs)
			continue
		}
		for i := range ours {
			if !bytes.Equal(ours[i], theirs[i]) {
				t.Errorf("lan6 set %v request %d: ipmictl % x, ipmitool % x", args, i, ours[i], theirs[i])
			}
		}
	}
}
