package usercmd

import (
	"testing"

	"github.com/ipmictl/ipmictl/cmd/cli"
)

func TestUserPasswordSizeNeverCuts(t *testing.T) {
	cases := []struct {
		pw, size     string
		twenty, auto bool
		usage        bool
	}{
		{"short", "", false, false, false},
		{"0123456789abcdef", "", false, false, false},
		{"0123456789abcdefX", "", true, true, false},
		{"0123456789abcdefXYZW", "", true, true, false},
		{"0123456789abcdefXYZWV", "", false, false, true},
		{"0123456789abcdefX", "16", false, false, true},
		{"short", "20", true, false, false},
		{"short", "18", false, false, true},
	}
	for _, c := range cases {
		twenty, auto, err := userPasswordSize([]byte(c.pw), c.size)
		if _, isUsage := err.(*cli.UsageError); isUsage != c.usage || (err == nil && (twenty != c.twenty || auto != c.auto)) {
			t.Errorf("%q size %q: twenty=%v auto=%v err=%v", c.pw, c.size, twenty, auto, err)
		}
	}
}
