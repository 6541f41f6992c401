package cli

import (
	"encoding/json"
	"io"
	"sort"
	"strings"
)

// TextLine is a one-line confirmation ("Chassis Power Control: Up/On").
type TextLine string

func (t TextLine) WriteText(w io.Writer) error {
	_, err := io.WriteString(w, string(t)+"\n")
	return err
}

func (t TextLine) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]string{"message": string(t)})
}

func JSONMarshal(v any) ([]byte, error) { return json.Marshal(v) }

func SortStrings(s []string) { sort.Strings(s) }

// TrimmedStates drops the trailing spaces some of ipmitool's state names
// carry ("going low "): kept in the text output, not in JSON.
func TrimmedStates(states []string) []string {
	out := make([]string, len(states))
	for i, s := range states {
		out[i] = strings.TrimSpace(s)
	}
	return out
}

// WriteCSV prints the line as it is: ipmitool -c prints an action's
// confirmation unchanged.
func (t TextLine) WriteCSV(w io.Writer) error { return t.WriteText(w) }

func (t TextLine) Columns() []string { return []string{"message"} }
func (t TextLine) Rows() [][]string  { return [][]string{{string(t)}} }

// Done is the result of an action that ipmitool confirms by printing
// nothing: text and csv print nothing; JSON and table say what was done.
type Done string

func (d Done) WriteText(w io.Writer) error { return nil }
func (d Done) WriteCSV(w io.Writer) error  { return nil }
func (d Done) Columns() []string           { return []string{"done"} }
func (d Done) Rows() [][]string            { return [][]string{{string(d)}} }

func (d Done) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]string{"done": string(d)})
}
