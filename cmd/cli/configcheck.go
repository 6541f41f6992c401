package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// configError is a problem in the config file, in the file's terms (its
// keys and line numbers), never in Go's.
type configError struct {
	line int // 0 when the problem has no one place
	msg  string
}

func (e *configError) Error() string {
	if e.line > 0 {
		return fmt.Sprintf("line %d: %s", e.line, e.msg)
	}
	return e.msg
}

func configErrorf(n *yaml.Node, format string, args ...any) error {
	return &configError{line: n.Line, msg: fmt.Sprintf(format, args...)}
}

// checkConfigSchema parses data as YAML (JSON is YAML too) and checks
// every key and value against FileConfig before viper sees it: an
// unknown key (a typo'd "pasword" would otherwise be ignored and the
// login fail for no visible reason) or a value of the wrong kind is an
// error naming the line, the key and the profile. A tree that passes
// decodes without an error.
func checkConfigSchema(data []byte) error {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return configSyntaxError(err)
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil
	}
	n := doc.Content[0]
	if isNullNode(n) {
		return nil
	}
	return checkConfigNode(n, reflect.TypeOf(FileConfig{}), configTop, configTop)
}

const configTop = "the config file"

// checkConfigNode checks n against t; what names the value for
// messages ("port in profile \"bmc1\""), where the mapping it is in.
func checkConfigNode(n *yaml.Node, t reflect.Type, what, where string) error {
	return checkConfigDepth(n, t, what, where, 0)
}

// maxConfigDepth bounds nesting through aliases and merges: an alias
// that refers to the mapping it sits in would otherwise never end.
const maxConfigDepth = 32

func checkConfigDepth(n *yaml.Node, t reflect.Type, what, where string, depth int) error {
	if depth > maxConfigDepth {
		return configErrorf(n, "%s: nested too deeply (an alias that refers to itself?)", what)
	}
	depth++
	if n.Kind == yaml.AliasNode {
		if n.Alias == nil {
			return configErrorf(n, "%s: an alias to nothing", what)
		}
		return checkConfigDepth(n.Alias, t, what, where, depth)
	}
	if t.Kind() == reflect.Pointer {
		if isNullNode(n) {
			return nil
		}
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			return configErrorf(n, "%s: want a text value, got %s", what, describeNode(n))
		}
	case reflect.Bool:
		var b bool
		if n.Kind != yaml.ScalarNode || n.Decode(&b) != nil {
			return configErrorf(n, "%s: want true or false, got %s", what, describeNode(n))
		}
	case reflect.Int, reflect.Int64:
		if n.Kind != yaml.ScalarNode {
			return configErrorf(n, "%s: want a whole number, got %s", what, describeNode(n))
		}
		if isNullNode(n) {
			return nil
		}
		if _, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, 32); err != nil {
			return configErrorf(n, "%s: want a whole number, got %s", what, describeNode(n))
		}
	case reflect.Slice:
		if isNullNode(n) {
			return nil
		}
		if n.Kind != yaml.SequenceNode {
			return configErrorf(n, "%s: want a list, got %s", what, describeNode(n))
		}
		for i, c := range n.Content {
			item := fmt.Sprintf("%s[%d]", what, i)
			if err := checkConfigDepth(c, t.Elem(), item, where, depth); err != nil {
				return err
			}
		}
	case reflect.Map:
		if isNullNode(n) {
			return nil
		}
		if n.Kind != yaml.MappingNode {
			return configErrorf(n, "%s: want a mapping of names to settings, got %s", what, describeNode(n))
		}
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind != yaml.ScalarNode || isNullNode(k) {
				return configErrorf(k, "%s: a name must be plain text", what)
			}
			// viper folds names to lower case: two spellings of one
			// name would silently become one.
			name := strings.ToLower(k.Value)
			if seen[name] {
				return configErrorf(k, "%q given twice in %s", k.Value, what)
			}
			seen[name] = true
			child := fmt.Sprintf("%s %q", strings.TrimSuffix(what, "s"), k.Value)
			if err := checkConfigDepth(v, t.Elem(), child, child, depth); err != nil {
				return err
			}
		}
	case reflect.Struct:
		if isNullNode(n) {
			return nil
		}
		if n.Kind != yaml.MappingNode {
			return configErrorf(n, "%s: want keys and values, got %s", what, describeNode(n))
		}
		fields := configFields(t)
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind != yaml.ScalarNode {
				return configErrorf(k, "a key in %s is not plain text", where)
			}
			if k.Value == "<<" && k.Tag == "!!merge" { // <<: *defaults
				merged := []*yaml.Node{v}
				if v.Kind == yaml.SequenceNode {
					merged = v.Content
				}
				for _, m := range merged {
					if err := checkConfigDepth(m, t, what, where, depth); err != nil {
						return err
					}
				}
				continue
			}
			key := strings.ToLower(k.Value) // viper's keys are case-insensitive
			ft, ok := fields[key]
			if !ok {
				return configErrorf(k, "%s", unknownKeyMessage(k.Value, where, fields))
			}
			if seen[key] {
				return configErrorf(k, "key %q given twice in %s", k.Value, where)
			}
			seen[key] = true
			// A value is named by its key, and where it is unless at
			// the top ("port in profile \"bmc1\"", "profiles"); a
			// mapping under a key is "where" for its own keys.
			name := k.Value
			if where != configTop {
				name += " in " + where
			}
			if err := checkConfigDepth(v, ft, name, k.Value, depth); err != nil {
				return err
			}
		}
	}
	return nil
}

func unknownKeyMessage(key, where string, fields map[string]reflect.Type) string {
	msg := fmt.Sprintf("unknown key %q in %s", key, where)
	names := make([]string, 0, len(fields))
	for name := range fields {
		names = append(names, name)
	}
	sort.Strings(names)
	switch lk := strings.ToLower(key); {
	case lk == "password" || lk == "pass" || lk == "pasword":
		if _, ok := fields["password_file"]; ok {
			return msg + ": the config holds no passwords; use password_file or password_command"
		}
	case lk == "profile" || lk == "default":
		if s := closest(key, []string{"profiles", "defaults"}); s != "" {
			return msg + fmt.Sprintf(" (did you mean %q?)", s)
		}
	}
	if s := closest(key, names); s != "" {
		return msg + fmt.Sprintf(" (did you mean %q?)", s)
	}
	return msg + "; known keys: " + strings.Join(names, ", ")
}

// configFields maps a struct's keys (mapstructure tags) to their types.
func configFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("mapstructure"), ",")
		if name == "" || name == "-" {
			continue
		}
		out[strings.ToLower(name)] = f.Type
	}
	return out
}

func isNullNode(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// describeNode says what a node is, for "got ..." in messages.
func describeNode(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "keys and values"
	case yaml.ScalarNode:
		if isNullNode(n) {
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

// closest returns the known key nearest to s when it is close enough to
// be a typo (a few edits, or the same words in another order or case).
func closest(s string, known []string) string {
	best, bestD := "", 1<<30
	norm := func(x string) string {
		return strings.ToLower(strings.NewReplacer("_", "", "-", "", " ", "").Replace(x))
	}
	for _, k := range known {
		d := editDistance(strings.ToLower(s), k)
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

// configSyntaxError rewords the YAML parser's error ("yaml: line 3: did
// not find expected key") as line 3: not valid YAML: did not find
// expected key.
func configSyntaxError(err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		num, tail, found := strings.Cut(rest, ": ")
		if n, err := strconv.Atoi(num); err == nil && found {
			line, msg = n, tail
		}
	}
	return &configError{line: line, msg: "not valid YAML: " + msg}
}

// pathErrorText says what went wrong opening a file without Go's
// operation names: "/x/y: no such file or directory".
func pathErrorText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Path + ": " + pe.Err.Error()
	}
	return err.Error()
}
