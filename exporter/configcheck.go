package exporter

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// ConfigError is a problem in the config file, said in the file's terms
// (its keys, its line numbers), never in Go's.
type ConfigError struct {
	Line int    // 0 when the problem has no one place
	Msg  string // what is wrong, e.g. `unknown key "pasword" in module "default"`
}

func (e *ConfigError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	}
	return e.Msg
}

// configErrorf returns a ConfigError at n's line.
func configErrorf(n *yaml.Node, format string, args ...any) error {
	line := 0
	if n != nil {
		line = n.Line
	}
	return &ConfigError{Line: line, Msg: fmt.Sprintf(format, args...)}
}

// checkSchema walks the YAML tree against the Go types the file decodes
// into and reports the first unknown key or value of the wrong kind in
// words about the file. Decoding a tree that passes cannot fail with a
// Go type name in its message.
func checkSchema(doc *yaml.Node) error {
	if doc == nil || doc.Kind == 0 {
		return nil
	}
	if doc.Kind == yaml.DocumentNode {
		if len(doc.Content) == 0 {
			return nil
		}
		doc = doc.Content[0]
	}
	if doc.Kind == yaml.ScalarNode && doc.Tag == "!!null" {
		return nil
	}
	return checkNode(doc, reflect.TypeOf(Config{}), "the config file", "the config")
}

// Types with their own text form.
var (
	durationType = reflect.TypeOf(Duration(0))
	secretType   = reflect.TypeOf(Secret(""))
)

// checkNode checks n against t. what names the value ("max_targets",
// "module \"default\""), where the mapping it sits in, for messages.
func checkNode(n *yaml.Node, t reflect.Type, what, where string) error {
	if n.Kind == yaml.AliasNode {
		if n.Alias == nil {
			return configErrorf(n, "%s: an alias to nothing", what)
		}
		return checkNode(n.Alias, t, what, where)
	}
	if t.Kind() == reflect.Pointer {
		if isNull(n) {
			return nil
		}
		t = t.Elem()
	}
	switch {
	case t == durationType:
		if n.Kind != yaml.ScalarNode || !validDuration(n.Value) {
			return configErrorf(n, "%s: want a duration such as 10s or 500ms (a bare number is milliseconds), got %s", what, describe(n))
		}
		return nil
	case t == secretType || t.Kind() == reflect.String:
		if n.Kind != yaml.ScalarNode {
			return configErrorf(n, "%s: want a text value, got %s", what, describe(n))
		}
		return nil
	}
	switch t.Kind() {
	case reflect.Bool:
		if n.Kind != yaml.ScalarNode {
			return configErrorf(n, "%s: want true or false, got %s", what, describe(n))
		}
		var b bool
		if err := n.Decode(&b); err != nil {
			return configErrorf(n, "%s: want true or false, got %s", what, describe(n))
		}
	case reflect.Int, reflect.Int64:
		if n.Kind != yaml.ScalarNode {
			return configErrorf(n, "%s: want a whole number, got %s", what, describe(n))
		}
		if _, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, 64); err != nil {
			return configErrorf(n, "%s: want a whole number, got %s", what, describe(n))
		}
	case reflect.Slice:
		if isNull(n) {
			return nil
		}
		if n.Kind != yaml.SequenceNode {
			return configErrorf(n, "%s: want a list, got %s", what, describe(n))
		}
		for i, c := range n.Content {
			item := sub(what, fmt.Sprintf("[%d]", i))
			if err := checkNode(c, t.Elem(), item, item); err != nil {
				return err
			}
		}
	case reflect.Map:
		if isNull(n) {
			return nil
		}
		if n.Kind != yaml.MappingNode {
			return configErrorf(n, "%s: want a mapping of names to values, got %s", what, describe(n))
		}
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind != yaml.ScalarNode {
				return configErrorf(k, "%s: a name must be plain text", what)
			}
			if seen[k.Value] {
				return configErrorf(k, "%q given twice in %s", k.Value, what)
			}
			seen[k.Value] = true
			child := sub(what, fmt.Sprintf(" %q", k.Value))
			if what == "modules" {
				child = fmt.Sprintf("module %q", k.Value)
			}
			if err := checkNode(v, t.Elem(), child, child); err != nil {
				return err
			}
		}
	case reflect.Struct:
		if isNull(n) {
			return nil
		}
		if n.Kind != yaml.MappingNode {
			return configErrorf(n, "%s: want keys and values, got %s", what, describe(n))
		}
		fields := yamlFields(t)
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind != yaml.ScalarNode {
				return configErrorf(k, "a key in %s is not plain text", where)
			}
			if k.Value == "<<" && k.Tag == "!!merge" { // <<: *defaults, or a list of them
				merged := []*yaml.Node{v}
				if v.Kind == yaml.SequenceNode {
					merged = v.Content
				}
				for _, m := range merged {
					if err := checkNode(m, t, what, where); err != nil {
						return err
					}
				}
				continue
			}
			ft, ok := fields[k.Value]
			if !ok {
				msg := fmt.Sprintf("unknown key %q in %s", k.Value, where)
				if s := closest(k.Value, fieldNames(t)); s != "" {
					msg += fmt.Sprintf(" (did you mean %q?)", s)
				}
				return configErrorf(k, "%s", msg)
			}
			if seen[k.Value] {
				return configErrorf(k, "key %q given twice in %s", k.Value, where)
			}
			seen[k.Value] = true
			name := k.Value
			if where != "the config" {
				name = k.Value + " in " + where
			}
			if err := checkNode(v, ft, name, name); err != nil {
				return err
			}
		}
	}
	return nil
}

// sub names a part of what: sub(`sel_events in module "x"`, "[1]") is
// `sel_events[1] in module "x"`.
func sub(what, suffix string) string {
	if i := strings.Index(what, " in "); i >= 0 {
		return what[:i] + suffix + what[i:]
	}
	return what + suffix
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

func validDuration(s string) bool {
	if _, err := strconv.ParseInt(s, 10, 64); err == nil {
		return true
	}
	_, err := time.ParseDuration(s)
	return err == nil
}

// describe says what a node is, for "got ..." in messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "keys and values"
	case yaml.ScalarNode:
		if isNull(n) {
			return "nothing"
		}
		v := n.Value
		if len(v) > 40 {
			v = v[:40] + "..."
		}
		return strconv.Quote(v)
	}
	return "something else"
}

// yamlFields maps a struct's YAML keys to their types.
func yamlFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "" || name == "-" {
			continue
		}
		out[name] = f.Type
	}
	return out
}

func fieldNames(t reflect.Type) []string {
	var out []string
	for name := range yamlFields(t) {
		out = append(out, name)
	}
	return out
}

// closest returns the known key nearest to s when it is close enough to
// be a typo (a few edits, or the same words in another order or case).
func closest(s string, known []string) string {
	best, bestD := "", 1<<30
	norm := func(x string) string {
		return strings.ToLower(strings.NewReplacer("_", "", "-", "", " ", "").Replace(x))
	}
	for _, k := range known {
		d := editDistance(s, k)
		if norm(s) == norm(k) {
			d = 0
		}
		if d < bestD || (d == bestD && k < best) {
			best, bestD = k, d
		}
	}
	limit := 2
	if len(s) >= 9 {
		limit = 3
	}
	if bestD <= limit {
		return best
	}
	return ""
}

// editDistance is the Levenshtein distance between a and b (bytes).
func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 1 << 20
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// yamlSyntaxError rewords the YAML parser's error: "yaml: line 3: did
// not find expected key" becomes line 3: not valid YAML: did not find
// expected key.
func yamlSyntaxError(err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		num, tail, found := strings.Cut(rest, ": ")
		if n, err := strconv.Atoi(num); err == nil && found {
			line, msg = n, tail
		}
	}
	return &ConfigError{Line: line, Msg: "not valid YAML: " + msg}
}
