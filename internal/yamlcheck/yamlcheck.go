// Package yamlcheck checks a YAML (or JSON) config file's keys and values
// against the Go struct it decodes into, before the real decoder sees it,
// and says what is wrong in the file's terms: the line, the key, the
// named entry it sits in and, for a typo, the key that was meant; never a
// Go type, field or package name. A tree that passes decodes without an
// error.
package yamlcheck

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Error is a problem in the config file, said in the file's terms (its
// keys, its line numbers), never in Go's.
type Error struct {
	Line int    // 0 when the problem has no one place
	Msg  string // what is wrong, e.g. `unknown key "pasword" in module "default"`
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	}
	return e.Msg
}

func errorf(n *yaml.Node, format string, args ...any) error {
	return &Error{Line: n.Line, Msg: fmt.Sprintf(format, args...)}
}

// Scalar is a type with its own text form (a duration, say): Valid says
// whether a scalar's text decodes, Want what to write instead ("a
// duration such as 10s").
type Scalar struct {
	Want  string
	Valid func(text string) bool
}

// Options says what differs between config files.
type Options struct {
	// Tag is the struct tag that names keys: "yaml" (the default) or
	// "mapstructure" (viper).
	Tag string
	// FoldCase matches keys and entry names case-insensitively, as viper
	// does: two spellings of one name in a mapping are an error.
	FoldCase bool
	// Weak is for a decoder that turns text into numbers ("623" into
	// 623), as viper's does; without it a whole number must be written
	// as one (port: 623, not port: "623").
	Weak bool
	// Name is the whole file as a value ("the config file: want keys and
	// values"); In is the file as the place of its top-level keys
	// (`unknown key "x" in the config`). Both default to "the config file".
	Name, In string
	// Entry names an entry of a mapping for messages: for a map named
	// "profiles", key "bmc1", the CLI says `profile "bmc1"`. nil, or ""
	// returned: `profiles "bmc1"` (`custom_args "ipmi" in module "a"`).
	Entry func(mapName, key string) string
	// Scalars are the types checked by their own text rules.
	Scalars map[reflect.Type]Scalar
	// Hint ends the message for an unknown key: it is given the key and
	// the known keys of its mapping, sorted. nil, or "" returned: a
	// "did you mean" when one is close, else the list of known keys.
	Hint func(key string, known []string) string
}

const defaultName = "the config file"

// MaxDepth bounds nesting through aliases and merge keys: an alias that
// refers to the mapping it sits in would otherwise never end.
const MaxDepth = 32

// Check parses data as YAML (JSON is YAML too) and checks it against t,
// a struct type. Its errors are *Error.
func Check(data []byte, t reflect.Type, opts Options) error {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return SyntaxError(err)
	}
	return CheckNode(&doc, t, opts)
}

// CheckNode checks a parsed document (or its root node) against t. An
// empty or null document passes.
func CheckNode(doc *yaml.Node, t reflect.Type, opts Options) error {
	if doc == nil || doc.Kind == 0 {
		return nil
	}
	if doc.Kind == yaml.DocumentNode {
		if len(doc.Content) == 0 {
			return nil
		}
		doc = doc.Content[0]
	}
	if isNull(doc) {
		return nil
	}
	if opts.Tag == "" {
		opts.Tag = "yaml"
	}
	if opts.Name == "" {
		opts.Name = defaultName
	}
	if opts.In == "" {
		opts.In = opts.Name
	}
	c := &checker{Options: opts, passed: map[aliased]bool{}}
	return c.node(doc, t, opts.Name, opts.In, 0)
}

type checker struct {
	Options
	passed map[aliased]bool // aliased nodes that passed
}

type aliased struct {
	n *yaml.Node
	t reflect.Type
}

// node checks n against t. what names the value ("port in profile
// \"bmc1\"", "module \"default\""), where the mapping it sits in.
func (c *checker) node(n *yaml.Node, t reflect.Type, what, where string, depth int) error {
	if depth > MaxDepth {
		return errorf(n, "%s: nested too deeply (an alias that refers to itself?)", what)
	}
	depth++
	if n.Kind == yaml.AliasNode {
		if n.Alias == nil {
			return errorf(n, "%s: an alias to nothing", what)
		}
		// An alias repeats a node checked before: check it once, or a
		// file of aliases to lists of aliases would take for ever.
		seen := aliased{n.Alias, t}
		if c.passed[seen] {
			return nil
		}
		if err := c.node(n.Alias, t, what, where, depth); err != nil {
			return err
		}
		c.passed[seen] = true
		return nil
	}
	if t.Kind() == reflect.Pointer {
		if isNull(n) {
			return nil
		}
		t = t.Elem()
	}
	if s, ok := c.Scalars[t]; ok {
		if n.Kind != yaml.ScalarNode || !s.Valid(n.Value) {
			return errorf(n, "%s: want %s, got %s", what, s.Want, Describe(n))
		}
		return nil
	}
	switch t.Kind() {
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			return errorf(n, "%s: want a text value, got %s", what, Describe(n))
		}
	case reflect.Bool:
		if n.Kind != yaml.ScalarNode || !c.isBool(n) {
			return errorf(n, "%s: want true or false, got %s", what, Describe(n))
		}
	case reflect.Int, reflect.Int64:
		if n.Kind != yaml.ScalarNode {
			return errorf(n, "%s: want a whole number, got %s", what, Describe(n))
		}
		if isNull(n) {
			return nil
		}
		// An int is 32 bits on some platforms: what fits one everywhere.
		bits := 32
		if t.Kind() == reflect.Int64 {
			bits = 64
		}
		text := n.Value
		switch {
		case n.ShortTag() == "!!int":
			text = strings.ReplaceAll(text, "_", "") // 1_000, as YAML reads it
		case !c.Weak:
			return errorf(n, "%s: want a whole number, got %s", what, Describe(n))
		}
		if _, err := strconv.ParseInt(text, 0, bits); err != nil {
			return errorf(n, "%s: want a whole number, got %s", what, Describe(n))
		}
	case reflect.Slice:
		if isNull(n) {
			return nil
		}
		if n.Kind != yaml.SequenceNode {
			return errorf(n, "%s: want a list, got %s", what, Describe(n))
		}
		for i, e := range n.Content {
			item := sub(what, fmt.Sprintf("[%d]", i))
			if err := c.node(e, t.Elem(), item, item, depth); err != nil {
				return err
			}
		}
	case reflect.Map:
		return c.mapping(n, t, what, depth)
	case reflect.Struct:
		return c.structure(n, t, what, where, depth)
	}
	return nil
}

// mapping checks a mapping of names to values of one type.
func (c *checker) mapping(n *yaml.Node, t reflect.Type, what string, depth int) error {
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		values := "values"
		if e := t.Elem(); e.Kind() == reflect.Struct || e.Kind() == reflect.Pointer && e.Elem().Kind() == reflect.Struct {
			values = "settings"
		}
		return errorf(n, "%s: want a mapping of names to %s, got %s", what, values, Describe(n))
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode || isNull(k) {
			return errorf(k, "%s: a name must be plain text", what)
		}
		// Two spellings of one name would silently become one.
		name := c.fold(k.Value)
		if seen[name] {
			return errorf(k, "%q given twice in %s", k.Value, what)
		}
		seen[name] = true
		child := ""
		if c.Entry != nil {
			child = c.Entry(what, k.Value)
		}
		if child == "" {
			child = sub(what, fmt.Sprintf(" %q", k.Value))
		}
		if err := c.node(v, t.Elem(), child, child, depth); err != nil {
			return err
		}
	}
	return nil
}

// structure checks a mapping of keys to a struct's fields.
func (c *checker) structure(n *yaml.Node, t reflect.Type, what, where string, depth int) error {
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		return errorf(n, "%s: want keys and values, got %s", what, Describe(n))
	}
	fields := c.fields(t)
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return errorf(k, "a key in %s is not plain text", where)
		}
		if k.Value == "<<" && k.Tag == "!!merge" { // <<: *defaults, or a list of them
			merged := []*yaml.Node{v}
			if v.Kind == yaml.SequenceNode {
				merged = v.Content
			}
			for _, m := range merged {
				if !isMapping(m) {
					return errorf(m, "%s: <<: wants keys and values, an alias to them or a list of those, got %s", what, Describe(m))
				}
				if err := c.node(m, t, what, where, depth); err != nil {
					return err
				}
			}
			continue
		}
		key := c.fold(k.Value)
		ft, ok := fields[key]
		if !ok {
			return errorf(k, "%s", c.unknownKey(k.Value, where, fields))
		}
		if seen[key] {
			return errorf(k, "key %q given twice in %s", k.Value, where)
		}
		seen[key] = true
		// A value is named by its key, and where it is unless at the
		// top ("port in profile \"bmc1\"", "max_targets"); a mapping
		// under a key is where its own keys are.
		name := k.Value
		if where != c.In {
			name += " in " + where
		}
		if err := c.node(v, ft, name, name, depth); err != nil {
			return err
		}
	}
	return nil
}

func (c *checker) unknownKey(key, where string, fields map[string]reflect.Type) string {
	msg := fmt.Sprintf("unknown key %q in %s", key, where)
	names := make([]string, 0, len(fields))
	for name := range fields {
		names = append(names, name)
	}
	sort.Strings(names)
	if c.Hint != nil {
		if h := c.Hint(key, names); h != "" {
			return msg + h
		}
	}
	if s := Closest(key, names); s != "" {
		return msg + fmt.Sprintf(" (did you mean %q?)", s)
	}
	return msg + "; known keys: " + strings.Join(names, ", ")
}

// isBool says whether the decoder reads scalar n as true or false: YAML's
// own reads yes and on too; viper's sees those as text, and reads text
// as strconv.ParseBool does.
func (c *checker) isBool(n *yaml.Node) bool {
	if c.Weak {
		_, err := strconv.ParseBool(n.Value)
		return err == nil || isNull(n) || n.ShortTag() == "!!bool"
	}
	var b bool
	return n.Decode(&b) == nil
}

func (c *checker) fold(s string) string {
	if c.FoldCase {
		return strings.ToLower(s)
	}
	return s
}

// fields maps a struct's keys (its tags) to their types.
func (c *checker) fields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get(c.Tag), ",")
		if name == "" || name == "-" {
			continue
		}
		out[c.fold(name)] = f.Type
	}
	return out
}

// sub names a part of what: sub(`sel_events in module "x"`, "[1]") is
// `sel_events[1] in module "x"`.
func sub(what, suffix string) string {
	if i := strings.Index(what, " in "); i >= 0 {
		return what[:i] + suffix + what[i:]
	}
	return what + suffix
}

// isMapping says whether n is keys and values, or an alias to them: what
// a merge key takes.
func isMapping(n *yaml.Node) bool {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n.Kind == yaml.MappingNode
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// Describe says what a node is, for "got ..." in messages: "a list",
// "keys and values", "nothing" or the quoted text (cut at 40 bytes).
func Describe(n *yaml.Node) string {
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

// Closest returns the known key nearest to s when it is close enough to
// be a typo (a few edits, or the same words in another case or without
// the separators), or "".
func Closest(s string, known []string) string {
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
			d := prev[j-1]
			if a[i-1] != b[j-1] {
				d++
			}
			cur[j] = min(d, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// SyntaxError rewords the YAML parser's error: "yaml: line 3: did not
// find expected key" becomes line 3: not valid YAML: did not find
// expected key.
func SyntaxError(err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		num, tail, found := strings.Cut(rest, ": ")
		if n, err := strconv.Atoi(num); err == nil && found {
			line, msg = n, tail
		}
	}
	return &Error{Line: line, Msg: "not valid YAML: " + msg}
}
