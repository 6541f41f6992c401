package pen

import (
	"bufio"
	"strings"
	"testing"
)

const sample = `Decimal
| Organization
0
  Reserved
    Internet Assigned Numbers Authority
2
  IBM (https://w3.ibm.com/standards )
    Glenn Daly
49871
  OpenBMC Project
    someone
`

func TestScanFindsOrganisationLine(t *testing.T) {
	cases := map[uint32]string{0: "Reserved", 2: "IBM (https://w3.ibm.com/standards )", 49871: "OpenBMC Project", 7: ""}
	for id, want := range cases {
		if got := scan(bufio.NewScanner(strings.NewReader(sample)), id); got != want {
			t.Errorf("scan(%d) = %q, want %q", id, got, want)
		}
	}
}

func TestNameFallsBackToBuiltin(t *testing.T) {
	saved := registryPaths
	registryPaths = []string{"/nonexistent/enterprise-numbers"}
	defer func() { registryPaths = saved }()
	mu.Lock()
	cache = map[uint32]string{}
	mu.Unlock()
	t.Setenv("HOME", t.TempDir())
	if got := Name(674); got != "Dell Inc." {
		t.Errorf("Name(674) = %q, want the built-in Dell Inc.", got)
	}
	if got := Name(999999); got != "" {
		t.Errorf("Name(999999) = %q, want empty", got)
	}
}
