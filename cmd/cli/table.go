package cli

import (
	"io"
	"os"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"
)

// writeTable prints a Tabular result as a boxed table (-o table): Unicode
// box-drawing borders in a UTF-8 locale, ASCII +-| elsewhere (a C or
// POSIX locale, a serial console, a log file read with less).
func writeTable(w io.Writer, t Tabular) error {
	return writeTableStyle(w, t, tableStyle(os.Getenv))
}

func writeTableStyle(w io.Writer, t Tabular, style tw.BorderStyle) error {
	tab := tablewriter.NewTable(w, tablewriter.WithSymbols(tw.NewSymbols(style)))
	tab.Header(t.Columns())
	for _, row := range t.Rows() {
		if err := tab.Append(row); err != nil {
			return err
		}
	}
	return tab.Render()
}

// tableStyle picks the border style for the locale in the environment.
func tableStyle(getenv func(string) string) tw.BorderStyle {
	if localeIsUTF8(getenv) {
		return tw.StyleLight
	}
	return tw.StyleASCII
}

// localeIsUTF8 reports whether the character set of the locale a C
// program would use is UTF-8: the first of LC_ALL, LC_CTYPE and LANG that
// is set and not empty names the locale (none: "C", which is ASCII), and
// its codeset is what follows the "." (up to an "@modifier"), as in
// en_US.UTF-8, C.utf8 or de_DE.UTF-8@euro.
func localeIsUTF8(getenv func(string) string) bool {
	var locale string
	for _, name := range []string{"LC_ALL", "LC_CTYPE", "LANG"} {
		if v := getenv(name); v != "" {
			locale = v
			break
		}
	}
	_, codeset, ok := strings.Cut(locale, ".")
	if !ok {
		return false
	}
	codeset, _, _ = strings.Cut(codeset, "@")
	codeset = strings.ToLower(codeset)
	return codeset == "utf-8" || codeset == "utf8"
}

// isUnknownCommand reports cobra's "unknown command" errors, which are
// usage errors even though cobra returns them as plain errors.
func isUnknownCommand(err error) bool {
	return err != nil && (strings.HasPrefix(err.Error(), "unknown command") ||
		strings.HasPrefix(err.Error(), "unknown flag"))
}
