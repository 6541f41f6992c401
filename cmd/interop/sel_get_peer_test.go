package interop

import (
	"strings"
	"testing"

	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/internal/peers"
)

// selGetSameDate checks a `sel get` Timestamp line pair — ipmitool 1.8.19
// prints the date twice, ipmictl date and time (docs/compat.md) — and
// returns both outputs with the line reduced to the date.
func selGetSameDate(t *testing.T, got, want string) (string, string) {
	t.Helper()
	const label = " Timestamp             : "
	norm := func(s string, ipmitool bool) string {
		lines := strings.Split(s, "\n")
		for i, l := range lines {
			rest, ok := strings.CutPrefix(l, label)
			if !ok {
				continue
			}
			f := strings.Fields(rest)
			if len(f) < 2 || (ipmitool && f[1] != f[0]) {
				t.Errorf("unexpected timestamp line %q", l)
				continue
			}
			lines[i] = label + f[0]
		}
		return strings.Join(lines, "\n")
	}
	return norm(got, false), norm(want, true)
}

// On the same ipmi_sim, `sel get` prints what ipmitool 1.8.19 prints: the
// entries, their sensors' details, the FRU devices of their entities and
// the separators, all but the Timestamp line byte for byte.
func TestSelGetMatchesIpmitoolOnIPMISim(t *testing.T) {
	bin := peers.BuildIpmictl(t)
	sim := peers.StartIPMISim(t)
	t.Setenv("LC_ALL", "C")
	for _, args := range [][]string{
		{"sel", "get", "1", "2", "3", "4", "5", "6", "7", "8", "9", "0xa", "0xb"},
		{"sel", "get", "5"}, {"sel", "get", "0xa", "3"},
		{"-v", "sel", "get", "3", "5"},
	} {
		want, _, err := peers.Ipmitool(t, sim, args...)
		if err != nil {
			t.Fatalf("ipmitool %v: %v", args, err)
		}
		got, errOut, err := clitest.RunIpmictlBin(t, bin, sim, args...)
		if err != nil {
			t.Fatalf("ipmictl %v: %v\n%s", args, err, errOut)
		}
		if !strings.Contains(want, "Sensor ID              : ") {
			t.Fatalf("ipmitool %v printed no sensor block:\n%s", args, want)
		}
		if g, w := selGetSameDate(t, got, want); g != w {
			t.Errorf("ipmictl %v differs from ipmitool\n got:\n%s\nwant:\n%s", args, g, w)
		}
	}
}
