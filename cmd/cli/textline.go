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
