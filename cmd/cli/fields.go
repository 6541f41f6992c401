package cli

import (
	"bytes"
	"encoding/json"
	"sort"
	"strconv"
	"strings"
)

// FieldColumns are the columns of FieldRows.
var FieldColumns = []string{"field", "value"}

// FieldRows gives a record-like result (mc info, chassis poh ...) a table
// form: one row per field of its JSON form, nested fields named with dots
// ("capabilities.power_management") and list items with [i]. Lists of
// plain values are one row, space-separated.
func FieldRows(v any) [][]string {
	b, err := json.Marshal(v)
	if err != nil {
		return [][]string{{"error", err.Error()}}
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return [][]string{{"error", err.Error()}}
	}
	rows := [][]string{}
	flattenFields(&rows, "", doc)
	return rows
}

// flattenFields appends the rows of v under the name prefix.
func flattenFields(rows *[][]string, prefix string, v any) {
	join := func(k string) string {
		if prefix == "" {
			return k
		}
		return prefix + "." + k
	}
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			flattenFields(rows, join(k), x[k])
		}
	case []any:
		plain := true
		words := make([]string, 0, len(x))
		for _, e := range x {
			switch e.(type) {
			case map[string]any, []any:
				plain = false
			}
			words = append(words, fieldScalar(e))
		}
		if plain {
			*rows = append(*rows, []string{prefix, strings.Join(words, " ")})
			return
		}
		for i, e := range x {
			flattenFields(rows, prefix+"["+strconv.Itoa(i)+"]", e)
		}
	default:
		if prefix == "" {
			prefix = "value"
		}
		*rows = append(*rows, []string{prefix, fieldScalar(x)})
	}
}

func fieldScalar(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	}
	b, _ := json.Marshal(v)
	return string(b)
}
