package rmcp

import (
	"errors"
	"testing"
)

func TestAddress(t *testing.T) {
	for _, c := range []struct {
		name string
		port int
		want string
	}{
		{"bmc1", 623, "bmc1:623"},
		{"bmc1:6230", 623, "bmc1:6230"},
		{"10.0.0.5", 7000, "10.0.0.5:7000"},
		{"::1", 623, "[::1]:623"},
		{"[::1]", 623, "[::1]:623"},
		{"[::1]:6230", 623, "[::1]:6230"},
		{"fe80::1%eth0", 623, "[fe80::1%eth0]:623"},
		{"bmc1:0623", 623, "bmc1:623"},
	} {
		got, err := Address(c.name, c.port)
		if err != nil || got != c.want {
			t.Errorf("Address(%q, %d) = %q, %v; want %q", c.name, c.port, got, err, c.want)
		}
	}
	for _, c := range []struct {
		name string
		port int
	}{
		{"bmc1:0", 623}, {"bmc1:70000", 623}, {"bmc1:x", 623}, {":623", 623},
		{"bmc1", 0}, {"bmc1", 65536}, {"[]", 623}, {"[::1", 623}, {"a\nb", 623},
	} {
		if got, err := Address(c.name, c.port); err == nil {
			t.Errorf("Address(%q, %d) = %q, want an error", c.name, c.port, got)
		}
	}
	if _, err := Address("", 623); !errors.Is(err, ErrNoBMC) {
		t.Errorf("empty name: %v", err)
	}
}

func FuzzAddress(f *testing.F) {
	for _, s := range []string{"bmc1", "bmc1:623", "[::1]:6230", "fe80::1%eth0", "[]", ":", "[::1"} {
		f.Add(s, 623)
	}
	f.Fuzz(func(t *testing.T, name string, port int) {
		a, err := Address(name, port)
		if err != nil {
			return
		}
		// What Address returns, it accepts again unchanged.
		if b, err := Address(a, 1); err != nil || b != a {
			t.Fatalf("Address(%q) = %q, then %q, %v", name, a, b, err)
		}
	})
}
