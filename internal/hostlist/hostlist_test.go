package hostlist

import (
	"reflect"
	"strings"
	"testing"
)

func TestExpand(t *testing.T) {
	cases := map[string][]string{
		"bmc1":                    {"bmc1"},
		"node[1-3]":               {"node1", "node2", "node3"},
		"node[01-03],spare1":      {"node01", "node02", "node03", "spare1"},
		"r[1-2]-n[8-10]-bmc":      {"r1-n8-bmc", "r1-n9-bmc", "r1-n10-bmc", "r2-n8-bmc", "r2-n9-bmc", "r2-n10-bmc"},
		"n[1,3,5-6]":              {"n1", "n3", "n5", "n6"},
		"10.0.0.[1-2]":            {"10.0.0.1", "10.0.0.2"},
		"a,a,b":                   {"a", "b"},
		"[::1]:6230":              {"[::1]:6230"},
		"host[1-2]:623,127.0.0.1": {"host1:623", "host2:623", "127.0.0.1"},
	}
	for in, want := range cases {
		got, err := Expand(in)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("Expand(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if got, _ := Expand("rack[1-4]-node[01-40]-bmc,spare1"); len(got) != 161 || got[0] != "rack1-node01-bmc" || got[159] != "rack4-node40-bmc" {
		t.Errorf("rack example: %d hosts, first %q", len(got), got[0])
	}
}

func TestExpandRejectsBadPatterns(t *testing.T) {
	for _, in := range []string{"n[1-", "n]1", "n[3-1]", "n[a-b]", "n[1-2000000]", "[3-888888]", "n[0-65536]", "a,n[1-65536]", "n[,]", "x[0-2000][0-2000]"} {
		if _, err := Expand(in); err == nil {
			t.Errorf("Expand(%q) accepted", in)
		}
	}
}

// TestExpandLimit: a fan-out's worth of hosts expands; one more fails.
func TestExpandLimit(t *testing.T) {
	if hosts, err := Expand("n[1-65536]"); err != nil || len(hosts) != MaxHosts {
		t.Fatalf("n[1-65536]: %d hosts, %v", len(hosts), err)
	}
}

func TestCompressRoundTrips(t *testing.T) {
	for _, in := range []string{"node[1-3]", "node[01-03,07],spare", "r1-n[8-10]-bmc,r2-n[8-10]-bmc"} {
		hosts, err := Expand(in)
		if err != nil {
			t.Fatal(err)
		}
		if got := Compress(hosts); got != in {
			t.Errorf("Compress(Expand(%q)) = %q", in, got)
		}
	}
}

func FuzzExpand(f *testing.F) {
	for _, s := range []string{"a[1-3]", "x[01-10],y", "[::1]", "n[1,2][3-4]", "]]", "[["} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		hosts, err := Expand(s)
		if err != nil {
			return
		}
		for _, h := range hosts {
			if strings.TrimSpace(h) == "" {
				t.Fatalf("empty host from %q", s)
			}
		}
	})
}
