package yamlcheck

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/spf13/viper"
	"go.yaml.in/yaml/v3"
)

// wait reads "10s" or a bare number of milliseconds, like the exporter's
// durations.
type wait time.Duration

func (w *wait) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode || !validWait(n.Value) {
		return fmt.Errorf("bad wait")
	}
	return nil
}

func validWait(s string) bool {
	if _, err := strconv.ParseInt(s, 10, 64); err == nil {
		return true
	}
	_, err := time.ParseDuration(s)
	return err == nil
}

type entry struct {
	Name string `yaml:"name" mapstructure:"name"`
}

type host struct {
	Host    string              `yaml:"host" mapstructure:"host"`
	Port    int                 `yaml:"port" mapstructure:"port"`
	Cipher  *int                `yaml:"cipher" mapstructure:"cipher"`
	Secure  bool                `yaml:"secure" mapstructure:"secure"`
	Tags    []string            `yaml:"tags" mapstructure:"tags"`
	IDs     []int64             `yaml:"ids" mapstructure:"ids"`
	Entries []entry             `yaml:"entries" mapstructure:"entries"`
	Args    map[string][]string `yaml:"args" mapstructure:"args"`
	Wait    wait                `yaml:"wait" mapstructure:"-"`
	File    string              `yaml:"password_file" mapstructure:"password_file"`
}

type file struct {
	Defaults host             `yaml:"defaults" mapstructure:"defaults"`
	Hosts    map[string]*host `yaml:"hosts" mapstructure:"hosts"`
	Max      int              `yaml:"max" mapstructure:"max"`
}

var fileType = reflect.TypeOf(file{})

// strict is an exporter-like checker (yaml tags, exact keys, durations);
// loose a CLI-like one (viper: case-insensitive keys, text to numbers).
var (
	strict = Options{
		In: "the config",
		Entry: func(mapName, key string) string {
			if mapName == "hosts" {
				return fmt.Sprintf("host %q", key)
			}
			return ""
		},
		Scalars: map[reflect.Type]Scalar{reflect.TypeOf(wait(0)): {Want: "a duration such as 10s", Valid: validWait}},
	}
	loose = Options{
		Tag: "mapstructure", FoldCase: true, Weak: true,
		Hint: func(key string, known []string) string {
			if strings.EqualFold(key, "password") {
				return ": use password_file"
			}
			return ""
		},
	}
)

func TestCheckMessages(t *testing.T) {
	for _, c := range []struct {
		name string
		opts Options
		yaml string
		want string // "" passes
	}{
		{"empty", strict, "", ""},
		{"null", strict, "~\n", ""},
		{"ok", strict, "max: 3\nhosts:\n  a:\n    host: h\n    port: 0x270f\n    ids: [1_000]\n    wait: 10s\n", ""},
		{"top typo", strict, "maxx: 3\n", `line 1: unknown key "maxx" in the config (did you mean "max"?)`},
		{"top typo, default names", loose, "hostz: {}\n", `line 1: unknown key "hostz" in the config file (did you mean "hosts"?)`},
		{"known keys", strict, "hosts:\n  a:\n    zzzzzz: 1\n", `line 3: unknown key "zzzzzz" in host "a"; known keys: args, cipher, entries, host, ids, password_file, port, secure, tags, wait`},
		{"hint", loose, "hosts:\n  a:\n    Password: x\n", `line 3: unknown key "Password" in hosts "a": use password_file`},
		{"case is a typo when exact", strict, "hosts:\n  a:\n    Port: 1\n", `line 3: unknown key "Port" in host "a" (did you mean "port"?)`},
		{"case folds", loose, "HOSTS:\n  a:\n    Port: 1\n", ""},
		{"folded twice", loose, "hosts:\n  a:\n    port: 1\n    PORT: 2\n", `line 4: key "PORT" given twice in hosts "a"`},
		{"entry twice", loose, "hosts:\n  A: {}\n  a: {}\n", `line 3: "a" given twice in hosts`},
		{"entry twice, exact", strict, "hosts:\n  A: {}\n  a: {}\n", ""},
		{"null entry name", strict, "hosts:\n  ~: {}\n", `line 2: hosts: a name must be plain text`},
		{"key twice", strict, "max: 1\nmax: 2\n", `line 2: key "max" given twice in the config`},
		{"whole number", strict, "max: lots\n", `line 1: max: want a whole number, got "lots"`},
		{"quoted number, strict", strict, "max: \"3\"\n", `line 1: max: want a whole number, got "3"`},
		{"quoted number, weak", loose, "max: \"3\"\n", ""},
		{"int is 32 bits", strict, "max: 99999999999\n", `line 1: max: want a whole number, got "99999999999"`},
		{"int64 is not", strict, "hosts:\n  a:\n    ids: [99999999999]\n", ""},
		{"null number", strict, "max:\n", ""},
		{"bool", strict, "hosts:\n  a:\n    secure: maybe\n", `line 3: secure in host "a": want true or false, got "maybe"`},
		{"text", strict, "hosts:\n  a:\n    host: [x]\n", `line 3: host in host "a": want a text value, got a list`},
		{"list", strict, "hosts:\n  a:\n    tags: x\n", `line 3: tags in host "a": want a list, got "x"`},
		{"list item", strict, "hosts:\n  a:\n    tags: [x, [y]]\n", `line 3: tags[1] in host "a": want a text value, got a list`},
		{"list item keys", strict, "hosts:\n  a:\n    entries:\n      - name: x\n        nam: y\n", `line 5: unknown key "nam" in entries[0] in host "a" (did you mean "name"?)`},
		{"map of lists", strict, "hosts:\n  a:\n    args:\n      x: 3\n", `line 4: args "x" in host "a": want a list, got "3"`},
		{"map of settings", strict, "hosts: [a]\n", `line 1: hosts: want a mapping of names to settings, got a list`},
		{"map of values", strict, "hosts:\n  a:\n    args: 3\n", `line 3: args in host "a": want a mapping of names to values, got "3"`},
		{"struct", strict, "hosts:\n  a: 3\n", `line 2: host "a": want keys and values, got "3"`},
		{"top", strict, "- 1\n", `line 1: the config file: want keys and values, got a list`},
		{"scalar type", strict, "hosts:\n  a:\n    wait: soon\n", `line 3: wait in host "a": want a duration such as 10s, got "soon"`},
		{"scalar type absent from tag", loose, "hosts:\n  a:\n    wait: 1s\n", `line 3: unknown key "wait" in hosts "a"`},
		{"long value", strict, "max: " + strings.Repeat("x", 50) + "\n", `line 1: max: want a whole number, got "` + strings.Repeat("x", 40) + `..."`},
		{"merge key", strict, "defaults: &d\n  port: 1\nhosts:\n  a:\n    <<: *d\n    host: h\n", ""},
		{"merge list", strict, "defaults: &d\n  port: 1\nhosts:\n  a:\n    <<: [*d, {host: h}]\n", ""},
		{"bool, weak", loose, "hosts:\n  a:\n    secure: yes\n", `line 3: secure in hosts "a": want true or false, got "yes"`},
		{"bool, weak text", loose, "hosts:\n  a:\n    secure: \"1\"\n", ""},
		{"bool, strict", strict, "hosts:\n  a:\n    secure: yes\n", ""},
		{"merged value", strict, "hosts:\n  a: &d\n    port: 1\n  b:\n    <<: *d\n    <<: {port: x}\n", `line 6: port in host "b": want a whole number, got "x"`},
		{"merge nothing", strict, "<<:\n", `line 1: the config file: <<: wants keys and values, an alias to them or a list of those, got nothing`},
		{"merge a list of lists", strict, "hosts:\n  a:\n    <<: [[port, 1]]\n", `line 3: host "a": <<: wants keys and values, an alias to them or a list of those, got a list`},
		{"syntax", strict, "hosts: [a\n", `line 1: not valid YAML: did not find expected ',' or ']'`},
		{"syntax line", strict, "a: b\n  c: d\n", `line 2: not valid YAML: mapping values are not allowed in this context`},
	} {
		err := Check([]byte(c.yaml), fileType, c.opts)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.want != "" && (err == nil || !strings.HasPrefix(err.Error(), c.want)):
			t.Errorf("%s:\n got %v\nwant %s", c.name, err, c.want)
		}
		var e *Error
		if err != nil && !errors.As(err, &e) {
			t.Errorf("%s: %T is not an *Error", c.name, err)
		}
	}
}

// An alias inside the node it names (through a merge key) ends at
// MaxDepth with a message instead of running without end; found by
// fuzzing the CLI's config.
func TestCheckDepth(t *testing.T) {
	for _, doc := range []string{"hosts:\n  a: &x\n    <<: *x\n", "defaults: &d\n  <<: [*d]\n"} {
		for _, opts := range []Options{strict, loose} {
			err := Check([]byte(doc), fileType, opts)
			if err == nil || !strings.Contains(err.Error(), "nested too deeply (an alias that refers to itself?)") {
				t.Errorf("%q: %v", doc, err)
			}
		}
	}
}

// Aliases to lists of aliases (8^11 paths through 4 KB here) are checked
// once each, not once per path.
func TestCheckAliasFanOut(t *testing.T) {
	var b strings.Builder
	b.WriteString("hosts:\n  a0: &a0 {host: x, tags: [y]}\n")
	for i := 1; i < 12; i++ {
		fmt.Fprintf(&b, "  a%d: &a%d\n    <<: [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d]\n", i, i, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1)
	}
	start := time.Now()
	if err := Check([]byte(b.String()), fileType, strict); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v", d)
	}
	bad := b.String() + "  z:\n    <<: [*a11, {port: x}]\n"
	if err := Check([]byte(bad), fileType, strict); err == nil || !strings.HasPrefix(err.Error(), `line 26: port in host "z": want a whole number`) {
		t.Errorf("after the aliases: %v", err)
	}
}

func TestClosest(t *testing.T) {
	known := []string{"password_file", "port", "profiles", "username"}
	for s, want := range map[string]string{
		"pasword_file": "password_file", "PasswordFile": "password_file", "prot": "port",
		"usernme": "username", "USERNAME": "username", "zzz": "", strings.Repeat("a", 70): "",
	} {
		if got := Closest(s, known); got != want {
			t.Errorf("Closest(%q) = %q, want %q", s, got, want)
		}
	}
}

// A file the check passes decodes without an error (whose words would be
// Go's), with either decoder; no input makes the check panic; every
// error is an *Error.
func FuzzCheck(f *testing.F) {
	for _, seed := range []string{
		"",
		"defaults:\n  host: admin\nhosts:\n  bmc1:\n    host: 10.0.0.5\n    port: 623\n",
		"hosts:\n  b:\n    cipher: 17\n    secure: yes\n    tags: [a, b]\n    ids: [1, 0x10]\n",
		"hosts:\n  b:\n    pasword: x\n",
		"hosts:\n  - a\n",
		"defaults: &d\n  host: x\nhosts:\n  b:\n    <<: *d\n    host: h\n",
		"hosts:\n  b:\n    port: 0x270f\n    cipher: 1_0\n    wait: 500\n",
		"{\"hosts\": {\"b\": {\"host\": \"h\", \"port\": 623}}}",
		"hosts:\n  b:\n    port: 99999999999\n",
		"hosts:\n  B:\n    host: x\n  b:\n    host: y\n",
		"hosts: *x\n",
		"hosts:\n  b:\n    entries:\n      - name: x\n    args:\n      a: [b]\n",
		"max: \"12\"\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data string) {
		var e *Error
		err := Check([]byte(data), fileType, strict)
		if err != nil && !errors.As(err, &e) {
			t.Fatalf("%T is not an *Error", err)
		}
		if err == nil {
			var out file
			if err := yaml.Unmarshal([]byte(data), &out); err != nil {
				t.Fatalf("the check passed but yaml decoding failed: %v", err)
			}
		}
		err = Check([]byte(data), fileType, loose)
		if err != nil && !errors.As(err, &e) {
			t.Fatalf("%T is not an *Error", err)
		}
		if err != nil {
			return
		}
		v := viper.New()
		v.SetConfigType("yaml")
		if err := v.ReadConfig(bytes.NewReader([]byte(data))); err != nil {
			return // the caller reports this in its own words
		}
		var out file
		if err := v.Unmarshal(&out); err != nil {
			t.Fatalf("the check passed but viper decoding failed: %v", err)
		}
	})
}
