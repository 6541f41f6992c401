package cli

import (
	"io"
	"strings"

	"github.com/olekukonko/tablewriter"
)

// writeTable prints a Tabular result as a boxed table (-o table).
func writeTable(w io.Writer, t Tabular) error {
	tw := tablewriter.NewWriter(w)
	tw.Header(t.Columns())
	for _, row := range t.Rows() {
		if err := tw.Append(row); err != nil {
			return err
		}
	}
	return tw.Render()
}

// isUnknownCommand reports cobra's "unknown command" errors, which are
// usage errors even though cobra returns them as plain errors.
func isUnknownCommand(err error) bool {
	return err != nil && (strings.HasPrefix(err.Error(), "unknown command") ||
		strings.HasPrefix(err.Error(), "unknown flag"))
}
