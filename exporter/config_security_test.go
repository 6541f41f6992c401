package exporter

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ipmictl/ipmictl/ipmi"
)

// Item 8: config errors name the file, the line and the key in the
// file's words, with a suggestion for a typo; never a Go type or field.
func TestConfigErrorsInOurWords(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "exporter.yaml")
	text := "# exporter.yaml\nmax_targets: 100\nmodules:\n  default:\n    user: monitor\n    privilege: user\n    pasword: secret\n"
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := LoadConfig(path)
	want := path + ` line 7: unknown key "pasword" in module "default" (did you mean "password"?)`
	if err == nil || err.Error() != want {
		t.Errorf("typo:\n got %v\nwant %s", err, want)
	}
	goWords := regexp.MustCompile(`exporter\.|\bint\b|\bint64\b|\[\]|!!|unmarshal|struct|field|Duration|Secret|Module|Config\b`)
	for text, want := range map[string]string{
		"max_targets: lots\n":                    `line 1: max_targets: want a whole number, got "lots"`,
		"max_target: 3\n":                        `line 1: unknown key "max_target" in the config (did you mean "max_targets"?)`,
		"modules:\n  a:\n    timeout: soon\n":    `line 3: timeout in module "a": want a duration`,
		"modules:\n  a:\n    collectors: ipmi\n": `line 3: collectors in module "a": want a list, got "ipmi"`,
		"modules:\n  a:\n    sel_events:\n      - name: x\n        pattern: y\n": `line 5: unknown key "pattern" in sel_events[0] in module "a"`,
		"modules:\n  a:\n    custom_args:\n      ipmi: 3\n":                      `line 4: custom_args "ipmi" in module "a": want a list`,
		"modules: [broken":                                            `line 1: not valid YAML`,
		"modules:\n  a:\n    insecure: maybe\n":                       `line 3: insecure in module "a": want true or false`,
		"modules:\n  a:\n    exclude_sensor_ids: [a]\n":               `line 3: exclude_sensor_ids[0] in module "a": want a whole number`,
		"modules:\n  a: 3\n":                                          `line 2: module "a": want keys and values`,
		"- 1\n":                                                       `line 1: the config file: want keys and values, got a list`,
		"modules:\n  a:\n    user: x\n    user: y\n":                  `line 4: key "user" given twice in module "a"`,
		"modules:\n  a:\n    Password: x\n":                           `line 3: unknown key "Password" in module "a" (did you mean "password"?)`,
		"modules:\n  a:\n    user: x\n    collectors: [ipmi, nope]\n": `line 4: module "a": collector "nope"`,
		"modules:\n  a:\n    targets: [\"10.0.0.0/33\"]\n":            `line 3: module "a": targets[0] "10.0.0.0/33"`,
		"http_host_names: {a: b}\n":                                   `line 1: http_host_names: want a list`,
		"max_targets: \"5\"\n":                                        `line 1: max_targets: want a whole number, got "5"`,
		"modules:\n  a: &x\n    <<: *x\n":                             `line 3: module "a": nested too deeply (an alias that refers to itself?)`,
		"modules:\n  a:\n    <<:\n":                                   `line 3: module "a": <<: wants keys and values`,
	} {
		_, err := ParseConfig([]byte(text))
		if err == nil {
			t.Errorf("accepted:\n%s", text)
			continue
		}
		if !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%q:\n got %v\nwant %s...", text, err, want)
		}
		if goWords.MatchString(err.Error()) {
			t.Errorf("%q: the error speaks Go: %v", text, err)
		}
	}
}

// Item 6: cipher suites without integrity and IPMI 1.5 auth types none
// and password are refused at load unless the module says insecure.
func TestInsecureAlgorithmsNeedInsecure(t *testing.T) {
	for _, c := range []struct{ module, want string }{
		{"cipher_suite: 0", "cipher_suite 0 has no authentication, integrity or encryption"},
		{"cipher_suite: 1", "cipher_suite 1 has no integrity check"},
		{"cipher_suite: 6", "cipher_suite 6 has no integrity check"},
		{"cipher_suite: 15", "cipher_suite 15 has no integrity check"},
		{"interface: lan\n    auth_type: none", "auth_type none sends every packet unauthenticated"},
		{"interface: lan\n    auth_type: password", "auth_type password sends the password in the clear"},
	} {
		text := "modules:\n  a:\n    " + c.module + "\n"
		_, err := ParseConfig([]byte(text))
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "insecure: true") {
			t.Errorf("%s: %v; want an error saying %q and naming insecure: true", c.module, err, c.want)
		}
		m, err := ParseConfig([]byte(text + "    insecure: true\n"))
		if err != nil {
			t.Errorf("%s with insecure: true: %v", c.module, err)
		} else if !m.Modules["a"].Insecure {
			t.Errorf("%s: insecure not set", c.module)
		}
	}
	for _, ok := range []string{"cipher_suite: 3", "cipher_suite: 17", "interface: lan\n    auth_type: md5", ""} {
		if _, err := ParseConfig([]byte("modules:\n  a:\n    " + ok + "\n")); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
}

// unauthenticated is a session that says its packets carry no integrity
// code (what rmcp.Session says for suites 0, 1, 6, 15).
type unauthenticated struct {
	ipmi.Transport
	closed *int
}

func (unauthenticated) Authenticated() bool { return false }
func (u unauthenticated) Close() error {
	*u.closed++
	return u.Transport.Close()
}

// Item 6, at login: a BMC that only opens an unauthenticated session
// (when the suite is negotiated) is refused unless the module is insecure.
func TestUnauthenticatedSessionRefused(t *testing.T) {
	for _, insecure := range []bool{false, true} {
		b := frozenBMC()
		closed := 0
		text := "modules:\n  default:\n    user: admin\n    password: password\n    collectors: [chassis]\n"
		if insecure {
			text += "    insecure: true\n"
		}
		cfg, err := ParseConfig([]byte(text))
		if err != nil {
			t.Fatal(err)
		}
		x := New(cfg, "", Options{Dial: func(ctx context.Context, target string, m *Module, _ int) (ipmi.Transport, error) {
			return unauthenticated{b.Transport(m.User, m.priv), &closed}, nil
		}})
		fams := scrapeSim(t, x, "a", "")
		up, _ := sample(fams, "ipmi_up", map[string]string{"collector": "chassis"})
		x.Close()
		if want := map[bool]float64{false: 0, true: 1}[insecure]; up != want {
			t.Errorf("insecure %v: ipmi_up %v, want %v", insecure, up, want)
		}
		if !insecure && closed == 0 {
			t.Error("the refused session was not closed")
		}
	}
}

func TestTargetListMatching(t *testing.T) {
	l, err := parseTargetList([]string{"bmc0", "10.0.0.0/24", "bmc[1-40].example", "127.0.0.1:6230", "fd00::/64", "[fd01::5]:700", "Node[01-03]:6231", "BMC-x.Example."})
	if err != nil {
		t.Fatal(err)
	}
	for addr, want := range map[string]bool{
		"bmc0:623": true, "bmc0:624": false, "BMC0:623": true,
		"10.0.0.7:623": true, "10.0.1.7:623": false, "10.0.0.7:6230": false, "[::ffff:10.0.0.9]:623": true,
		"bmc1.example:623": true, "bmc40.example:623": true, "bmc41.example:623": false, "bmc07.example:623": false,
		"127.0.0.1:6230": true, "127.0.0.1:623": false, "localhost:6230": false,
		"[fd00::1]:623": true, "[fd00:0:0:1::1]:623": false, "[fd01::5]:700": true, "[fd01::5]:623": false,
		"node02:6231": true, "node2:6231": false, "bmc-x.example:623": true, "bmc-x.example.:623": true,
		"[fe80::1%eth0]:623": false,
	} {
		if got := l.allows(addr); got != want {
			t.Errorf("allows(%q) = %v, want %v", addr, got, want)
		}
	}
	for _, bad := range [][]string{{""}, {"10.0.0.0/33"}, {"h:0"}, {"bmc[1-"}, {"a\nb"}, {"bmc[0-99999]"}} {
		if _, err := parseTargetList(bad); err == nil {
			t.Errorf("parseTargetList(%q) accepted", bad)
		}
	}
}

// A module without a targets list keeps ipmi_exporter's behaviour and
// says so at load; an empty list serves no target.
func TestTargetsAbsentWarnsEmptyRefuses(t *testing.T) {
	c, err := ParseConfig([]byte("modules:\n  open:\n    user: u\n    password: p\n  closed:\n    user: u\n    password: p\n    targets: []\n"))
	if err != nil {
		t.Fatal(err)
	}
	if w := c.Warnings(); len(w) != 1 || !strings.Contains(w[0], `module "open" has no targets list`) {
		t.Errorf("warnings %q", w)
	}
	if c.Modules["closed"].allow == nil || c.Modules["closed"].allow.allows("anything:623") {
		t.Error("an empty targets list allows targets")
	}
	if c.Modules["open"].allow != nil {
		t.Error("an absent targets list became a list")
	}
}

// Anchors and merge keys, which ipmi_exporter configs use to share
// settings between modules, load; an unknown key inside one is named.
func TestConfigMergeKeys(t *testing.T) {
	c, err := ParseConfig([]byte("common: &common\n  user: u\n  password: p\n" +
		"modules:\n  a:\n    <<: *common\n    collectors: [chassis]\n  b:\n    <<: [*common]\n    user: other\n"))
	if err == nil || !strings.Contains(err.Error(), `unknown key "common"`) {
		t.Errorf("a top-level anchor holder is not a config key: %v", err)
	}
	c, err = ParseConfig([]byte("modules:\n  a: &a\n    user: u\n    password: p\n    collectors: [chassis]\n  b:\n    <<: *a\n    user: other\n"))
	if err != nil {
		t.Fatal(err)
	}
	if b := c.Modules["b"]; b.User != "other" || string(b.secrets.password) != "p" || len(b.Collectors) != 1 {
		t.Errorf("merged module b: user %q password %q collectors %v", b.User, b.secrets.password, b.Collectors)
	}
	_, err = ParseConfig([]byte("modules:\n  a: &a\n    usr: u\n  b:\n    <<: *a\n"))
	if err == nil || !strings.Contains(err.Error(), `unknown key "usr"`) {
		t.Errorf("unknown key behind a merge: %v", err)
	}
}
