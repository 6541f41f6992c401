package cmd

import (
	"encoding/json"
	"io"
	"sort"
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
