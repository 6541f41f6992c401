package cli

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
)

// Every command builds a typed result and hands it to Factory.Render, which
// prints it in the format chosen with -o: text (ipmitool-compatible, the
// default), json, csv or table.
//
// A result implements TextWriter for the default text. For csv (-c / -o csv)
// and table it implements Tabular. JSON is encoding/json of the value: give
// result types json tags, numbers as numbers. Each leaf command declares the
// result types it renders with Returns[T] (formats.go), so that a format it
// cannot print is refused before the BMC is asked anything.

// TextWriter prints a result the way ipmitool does.
type TextWriter interface {
	WriteText(w io.Writer) error
}

// Tabular exposes a result as rows for csv and table output.
type Tabular interface {
	Columns() []string
	Rows() [][]string
}

// CSVWriter lets a result print its own ipmitool -c form when that differs
// from plain Rows (ipmitool prints no header row).
type CSVWriter interface {
	WriteCSV(w io.Writer) error
}

// OutputFormat is the -o value.
type OutputFormat string

const (
	OutputText  OutputFormat = "text"
	OutputJSON  OutputFormat = "json"
	OutputCSV   OutputFormat = "csv"
	OutputTable OutputFormat = "table"
)

func parseOutputFormat(s string) (OutputFormat, error) {
	switch f := OutputFormat(s); f {
	case OutputText, OutputJSON, OutputCSV, OutputTable:
		return f, nil
	}
	return "", UsageErrorf("unknown output format %q: use text, json, csv or table", s)
}

// render prints v in the -o format, after checking that the running
// command declared v's type.
func (f *Factory) render(v any) error {
	format, err := effectiveFormat(f.Opts)
	if err != nil {
		return err
	}
	if err := checkDeclared(f.leaf, v, format); err != nil {
		return err
	}
	return RenderTo(f.IO.Out, format, v)
}

// RenderTo prints v to w in format f.
func RenderTo(w io.Writer, f OutputFormat, v any) error {
	switch f {
	case OutputJSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	case OutputCSV:
		if c, ok := v.(CSVWriter); ok {
			return c.WriteCSV(w)
		}
		if t, ok := v.(Tabular); ok {
			cw := csv.NewWriter(w)
			if err := cw.WriteAll(t.Rows()); err != nil {
				return err
			}
			return cw.Error()
		}
	case OutputTable:
		if t, ok := v.(Tabular); ok {
			return writeTable(w, t)
		}
	default:
		if t, ok := v.(TextWriter); ok {
			return t.WriteText(w)
		}
	}
	return fmt.Errorf("-o %s is not available for this result (%T)", f, v)
}
