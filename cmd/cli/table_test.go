package cli

import (
	"bytes"
	"strings"
	"testing"
)

func TestLocaleIsUTF8(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want bool
	}{
		{map[string]string{}, false}, // the C locale
		{map[string]string{"LANG": "C.UTF-8"}, true},
		{map[string]string{"LANG": "en_US.utf8"}, true},
		{map[string]string{"LANG": "de_DE.UTF-8@euro"}, true},
		{map[string]string{"LANG": "en_US.ISO-8859-1"}, false},
		{map[string]string{"LANG": "en_US"}, false},
		{map[string]string{"LANG": "POSIX"}, false},
		{map[string]string{"LANG": "C"}, false},
		// LC_ALL, then LC_CTYPE, then LANG; an empty value is unset.
		{map[string]string{"LC_ALL": "C", "LC_CTYPE": "en_US.UTF-8", "LANG": "en_US.UTF-8"}, false},
		{map[string]string{"LC_ALL": "", "LC_CTYPE": "C", "LANG": "en_US.UTF-8"}, false},
		{map[string]string{"LC_ALL": "", "LC_CTYPE": "", "LANG": "en_US.UTF-8"}, true},
		{map[string]string{"LC_CTYPE": "en_US.UTF-8", "LANG": "C"}, true},
		{map[string]string{"LC_ALL": "fr_FR.UTF-8", "LANG": "C"}, true},
		{map[string]string{"LC_MESSAGES": "en_US.UTF-8"}, false}, // not the character set
	} {
		got := localeIsUTF8(func(k string) string { return tc.env[k] })
		if got != tc.want {
			t.Errorf("%v: UTF-8 %v, want %v", tc.env, got, tc.want)
		}
	}
}

type testTable struct{}

func (testTable) Columns() []string { return []string{"name", "value"} }
func (testTable) Rows() [][]string  { return [][]string{{"Fan 1", "3200 RPM"}, {"Temp", "41 °C"}} }

func renderTable(t *testing.T, env map[string]string) string {
	t.Helper()
	for _, k := range []string{"LC_ALL", "LC_CTYPE", "LANG"} {
		t.Setenv(k, env[k])
	}
	var b bytes.Buffer
	if err := RenderTo(&b, OutputTable, testTable{}); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestTableBordersFollowTheLocale(t *testing.T) {
	ascii := renderTable(t, map[string]string{"LANG": "C"})
	for _, r := range ascii {
		if r > 0x7e && r != '°' { // the cell's own text may be anything
			t.Errorf("C locale: border character %q (U+%04X) is not ASCII:\n%s", r, r, ascii)
			break
		}
	}
	lines := strings.Split(strings.TrimSpace(ascii), "\n")
	if !strings.HasPrefix(lines[0], "+") || !strings.HasPrefix(lines[1], "|") || !strings.Contains(ascii, "| Fan 1 | 3200 RPM |") {
		t.Errorf("C locale: not an ASCII table:\n%s", ascii)
	}

	unicode := renderTable(t, map[string]string{"LC_ALL": "", "LC_CTYPE": "", "LANG": "en_US.UTF-8"})
	if !strings.HasPrefix(unicode, "┌") || !strings.Contains(unicode, "│") || !strings.Contains(unicode, "┘") {
		t.Errorf("UTF-8 locale: no box-drawing borders:\n%s", unicode)
	}
	if a, u := strings.Count(ascii, "\n"), strings.Count(unicode, "\n"); a != u {
		t.Errorf("ASCII table has %d lines, Unicode %d", a, u)
	}

	// LC_ALL wins over LANG, as in a C program.
	if got := renderTable(t, map[string]string{"LC_ALL": "C", "LANG": "en_US.UTF-8"}); got != ascii {
		t.Errorf("LC_ALL=C LANG=en_US.UTF-8 drew:\n%s", got)
	}
}
