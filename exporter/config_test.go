package exporter

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/ipmictl/ipmictl/ipmi"
)

// ipmi_exporter's own remote example config loads unchanged.
const ipmiExporterConfig = `
modules:
  default:
    user: "default_user"
    pass: "example_pw"
    driver: "LAN_2_0"
    privilege: "user"
    timeout: 10000
    collectors:
    - bmc
    - ipmi
    - chassis
    exclude_sensor_ids:
    - 2
    - 29
  dcmi:
    user: "admin_user"
    pass: "another_pw"
    privilege: "admin"
    driver: "LAN_2_0"
    collectors:
    - dcmi
  thatspecialhost:
    user: "some_user"
    pass: "secret_pw"
    privilege: "admin"
    driver: "LAN"
    collectors:
    - ipmi
    - sel
    - sel-events
    - sm-lan-mode
    sel_events:
    - name: correctable_memory_error
      regex: Correctable memory error.*
    - name: ecc
      regex: "[Cc]orrectable ECC"
    workaround_flags:
    - "opensesspriv"
    custom_args:
      ipmi:
      - "--bridge-sensors"
    collector_cmd:
      ipmi: sudo
`

func TestIPMIExporterConfigLoads(t *testing.T) {
	c, err := ParseConfig([]byte(ipmiExporterConfig))
	if err != nil {
		t.Fatal(err)
	}
	d := c.Modules["default"]
	if string(d.secrets.password) != "example_pw" || d.priv != ipmi.PrivilegeUser || d.v15 || d.scrapeTimeout() != 10*time.Second {
		t.Errorf("default module: password %q priv %v v15 %v timeout %v", d.secrets.password, d.priv, d.v15, d.scrapeTimeout())
	}
	if !d.excluded(29) || d.excluded(3) {
		t.Error("exclude_sensor_ids not applied")
	}
	if !c.Modules["thatspecialhost"].v15 {
		t.Error(`driver "LAN" is not IPMI 1.5`)
	}
	if got := c.Modules["dcmi"].Collectors; len(got) != 1 || got[0] != "dcmi" {
		t.Errorf("dcmi module collectors %v", got)
	}
	if ev := c.Modules["thatspecialhost"].SELEvents; len(ev) != 2 || ev[1].Name != "ecc" || !ev[1].re.MatchString("Correctable ECC") {
		t.Errorf("sel_events %+v", ev)
	}
	if c.MaxTargets != defaultMaxTargets || time.Duration(c.SessionIdle) != defaultSessionIdle {
		t.Errorf("defaults not applied: %+v", c)
	}
}

func TestConfigErrors(t *testing.T) {
	for _, text := range []string{
		"modules:\n  a:\n    collectors: [ipmi, nope]\n",
		"modules:\n  a:\n    collectors: [ipmi, ipmi]\n",
		"modules:\n  a:\n    privilege: god\n",
		"modules:\n  a:\n    driver: SERIAL\n",
		"modules:\n  a:\n    password: x\n    pass: y\n",
		"modules:\n  a:\n    password_file: /nonexistent/pw\n",
		"modules:\n  a:\n    password: 123456789012345678901\n",
		"modules:\n  a:\n    unknown_key: 1\n",
		"modules:\n  a:\n    timeout: soon\n",
		"max_targets: -1\n",
		"modules:\n  a:\n    sel_events:\n      - name: x\n        regex: \"(\"\n",
		"modules:\n  a:\n    sel_events:\n      - name: x\n        pattern: y\n",
	} {
		if _, err := ParseConfig([]byte(text)); err == nil {
			t.Errorf("accepted:\n%s", text)
		}
	}
	c, err := ParseConfig(nil)
	if err != nil || c.Modules["default"] == nil {
		t.Errorf("empty config: %v, %+v", err, c)
	}
}

func TestPasswordFileAndSecrecy(t *testing.T) {
	pw := filepath.Join(t.TempDir(), "pw")
	if err := os.WriteFile(pw, []byte("s3cret-pw\nignored\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := ParseConfig([]byte("modules:\n  a:\n    user: u\n    password_file: " + pw + "\n  b:\n    password: inline-pw\n    kg_hex: 0102\n"))
	if err != nil {
		t.Fatal(err)
	}
	if string(c.Modules["a"].secrets.password) != "s3cret-pw" {
		t.Errorf("password from file: %q", c.Modules["a"].secrets.password)
	}
	out, err := yaml.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	dump := string(out) + fmt.Sprintf("%v %+v %#v", *c.Modules["b"], *c.Modules["b"], c.Modules["b"].Password)
	for _, secret := range []string{"inline-pw", "s3cret-pw", fmt.Sprint([]byte("inline-pw")), "[1 2]"} {
		if strings.Contains(dump, secret) {
			t.Errorf("a dump of the config shows the password %q:\n%s", secret, dump)
		}
	}
}

func TestNormalizeTarget(t *testing.T) {
	for in, want := range map[string]string{
		"bmc1": "bmc1:623", "bmc1:6230": "bmc1:6230", "10.0.0.1": "10.0.0.1:623",
		"::1": "[::1]:623", "[::1]:700": "[::1]:700", "[fe80::1]": "[fe80::1]:623",
	} {
		if got, err := normalizeTarget(in); err != nil || got != want {
			t.Errorf("normalizeTarget(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "h:0", "h:99999", ":623", strings.Repeat("a", 300)} {
		if got, err := normalizeTarget(bad); err == nil {
			t.Errorf("normalizeTarget(%q) = %q, want an error", bad, got)
		}
	}
}

func FuzzParseConfig(f *testing.F) {
	f.Add([]byte(ipmiExporterConfig))
	f.Add([]byte("max_targets: 3\nsession_idle_timeout: 1m\nmodules:\n  x:\n    timeout: 5s\n    cipher_suite: 17\n"))
	f.Add([]byte("modules: {a: {collectors: [sel]}}"))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := ParseConfig(b)
		if err != nil {
			return
		}
		for _, m := range c.Modules {
			if len(m.Collectors) == 0 || m.scrapeTimeout() <= 0 {
				t.Fatalf("accepted module without collectors or timeout: %+v", m)
			}
		}
	})
}

// A bad sel_events regex fails the load with an error naming the entry.
func TestSELEventsBadRegex(t *testing.T) {
	_, err := ParseConfig([]byte("modules:\n  hosts:\n    collectors: [sel-events]\n    sel_events:\n      - name: ok\n        regex: fine\n      - name: broken\n        regex: \"[a-\"\n"))
	if err == nil {
		t.Fatal("bad regex accepted")
	}
	for _, want := range []string{`module "hosts"`, `sel_events[1]`, `"broken"`, `"[a-"`, "missing closing ]"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %s", err, want)
		}
	}
}
