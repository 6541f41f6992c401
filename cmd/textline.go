package cmd

import (
	"encoding/json"
	"io"
	"sort"
	"strings"
)

// textLine is a one-line confirmation ("Chassis Power Control: Up/On").
type textLine string

func (t textLine) WriteText(w io.Writer) error {
	_, err := io.WriteString(w, string(t)+"\n")
	return err
}

func (t textLine) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]string{"message": string(t)})
}

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }

func sortStrings(s []string) { sort.Strings(s) }

// trimmedStates drops the trailing spaces some of ipmitool's state names
// carry ("going low "): kept in the text output, not in JSON.
func trimmedStates(states []string) []string {
	out := make([]string, len(states))
	for i, s := range states {
		out[i] = strings.TrimSpace(s)
	}
	return out
}
