package execcmd

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/peterh/liner"
)

// scriptedReader feeds the shell loop as a user at a terminal would.
type scriptedReader struct {
	lines   []string
	errs    []error
	history []string
	prompts []string
}

func (r *scriptedReader) Prompt(p string) (string, error) {
	r.prompts = append(r.prompts, p)
	if len(r.lines) == 0 {
		return "", io.EOF
	}
	l, err := r.lines[0], r.errs[0]
	r.lines, r.errs = r.lines[1:], r.errs[1:]
	return l, err
}
func (r *scriptedReader) AppendHistory(l string) { r.history = append(r.history, l) }
func (r *scriptedReader) Close() error           { return nil }

func TestShellLoopRunsOnOneSession(t *testing.T) {
	bmc := clitest.SimReplies()
	opens := 0
	var out, errOut bytes.Buffer
	f := clitest.NewFactory()
	f.IO = &cli.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}
	f.Open = func(ctx context.Context, _ *cli.Factory) (ipmi.Transport, error) { opens++; return bmc, nil }
	root := cli.NewRootCmd(f) // the defaults, as the shell's own command line sets them
	f.Opts.Host = "bmc"
	shell, _, _ := root.Find([]string{"shell"})
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	r := &scriptedReader{
		lines: []string{"chassis power status", "", "-P secret mc info", "bogus", "", "exit", "mc info"},
		errs:  []error{nil, nil, nil, nil, liner.ErrPromptAborted, nil, nil},
	}
	if err := shellLoop(f, shell, context.Background(), r); err != nil {
		t.Fatal(err)
	}
	f.Close()
	// The -P line logs in with other credentials: a session of its own.
	if opens != 2 || !bmc.Closed {
		t.Errorf("opens %d closed %v", opens, bmc.Closed)
	}
	if !strings.HasPrefix(out.String(), "Chassis Power is on\nDevice ID") || strings.Count(out.String(), "Device ID  ") != 1 {
		t.Errorf("output:\n%s", out.String())
	}
	if !strings.Contains(errOut.String(), "ipmictl: unknown command \"bogus\"") || strings.Contains(errOut.String(), "line ") {
		t.Errorf("stderr: %q", errOut.String())
	}
	want := []string{"chassis power status", "", "bogus", "exit"}
	if !reflect.DeepEqual(r.history, want) {
		t.Errorf("history %q, want %q (no secrets, nothing after exit)", r.history, want)
	}
	if len(r.prompts) != 6 || r.prompts[0] != "ipmictl> " {
		t.Errorf("prompts %q", r.prompts)
	}
}

func TestShellFromPipe(t *testing.T) {
	out, errOut, code, opens := execCLI(t, clitest.SimReplies(), strings.NewReader("chassis power status\nmc guid\n"), "-H", "bmc", "shell")
	if code != 0 || opens != 1 || !strings.HasPrefix(out, "Chassis Power is on\nSystem GUID") {
		t.Errorf("exit %d opens %d out %q err %q", code, opens, out, errOut)
	}
}

func TestShellHasSecret(t *testing.T) {
	for line, want := range map[string]bool{
		"mc info":                         false,
		"-P pw mc info":                   true,
		"-Psecret mc info":                true,
		"--password=x chassis status":     true,
		"-y 0011 mc info":                 true,
		"user set password 3 'new pw'":    true,
		"user test 3 16 password":         true,
		"user test 3 16":                  false,
		"user set password 3":             false,
		"user set name 3 bob":             false,
		"-U admin -E chassis power cycle": false,
		"sdr get 'PSU -P'":                false,
		"-P=x mc info":                    true,
		"-EPx mc info":                    true,
		"-vvP x mc info":                  true,
		"-k key mc info":                  true,
		"-kKEY mc info":                   true,
		"-k=KEY mc info":                  true,
		"--kg-key KEY mc info":            true,
		"--kg-key=KEY mc info":            true,
		"-Ek KEY mc info":                 true,
		"-y00ff mc info":                  true,
		"-y=00ff mc info":                 true,
		"--kg-hex 00ff mc info":           true,
		"--kg-hex=00ff mc info":           true,
		"lan set 1 password secret":       true,
		"-o json lan set 1 password pw":   true,
		"lan set 1 snmp private":          true,
		"lan set 1 password":              false,
		"lan set 1 ipaddr 10.0.0.5":       false,
		"lan print 1":                     false,
		"-o json user test 2 20 pw":       true,
		"user set password 3 pw 20":       true,
		"-t 0x20 mc info":                 false,
		"-H bmc -U admin -E mc info":      false,
		"raw 0x06 0x01":                   false,
		"sdr get -- -P":                   false,
		"-L USER -vk key mc info":         true,
	} {
		if got := cli.LineHasSecret(line); got != want {
			t.Errorf("%q: %v, want %v", line, got, want)
		}
	}
}

func TestMaskSecrets(t *testing.T) {
	for line, want := range map[string]string{
		"mc info":                          "mc info",
		"  chassis  power status ":         "chassis  power status",
		"-Psecret mc info":                 "-P**** mc info",
		"-EPsecret mc info":                "-EP**** mc info",
		"-P secret -k key -y 00 mc info":   "-P **** -k **** -y **** mc info",
		"--password=x --kg-hex=00 mc info": "--password=**** --kg-hex=**** mc info",
		"user set password 3 'new pw'":     "user set password 3 ****",
		"lan set 1 password p -o json":     "lan set 1 password **** -o json",
		"sdr get 'PSU 1' -P x":             "sdr get 'PSU 1' -P ****",
	} {
		if got, _ := cli.MaskSecrets(line); got != want {
			t.Errorf("%q: %q, want %q", line, got, want)
		}
	}
}

func TestShellComplete(t *testing.T) {
	root := cli.NewRootCmd(clitest.NewFactory())
	cases := []struct {
		before, head string
		want         []string
	}{
		{"chas", "", []string{"chassis "}},
		{"chassis pow", "chassis ", []string{"power "}},
		{"chassis po", "chassis ", []string{"poh", "policy", "power"}},
		{"chassis power s", "chassis power ", []string{"soft", "status"}},
		{"-o json mc ", "-o json mc ", nil}, // checked below: mc's subcommands
		{"mc reset c", "mc reset ", []string{"cold "}},
		{"mc info --out", "mc info ", []string{"--output "}},
		{"qu", "", []string{"quit "}},
	}
	for _, c := range cases {
		head, got := shellComplete(root, c.before)
		if head != c.head {
			t.Errorf("%q: head %q, want %q", c.before, head, c.head)
		}
		if c.want == nil {
			if !contains(got, "info") || !contains(got, "guid") || contains(got, "chassis") {
				t.Errorf("%q: %q", c.before, got)
			}
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q: %q, want %q", c.before, got, c.want)
		}
	}
	if _, got := shellComplete(root, "sh"); contains(got, "shell ") || contains(got, "shell") {
		t.Errorf("completion offers shell inside the shell: %q", got)
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func TestShellHistoryFileIsPrivate(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_STATE_HOME", dir)
	path := filepath.Join(dir, "ipmictl", "history")
	if got := shellHistoryPath(); got != path {
		t.Fatalf("history path %q, want %q", got, path)
	}
	os.MkdirAll(filepath.Dir(path), 0o700)
	os.WriteFile(path, []byte("sel list\n"), 0o644) // left readable by an older tool
	l := newShellLiner(cli.NewRootCmd(clitest.NewFactory()), io.Discard)
	l.AppendHistory("mc info")
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("history mode %v, want 0600", st.Mode().Perm())
	}
	b, _ := os.ReadFile(path)
	if string(b) != "sel list\nmc info\n" {
		t.Errorf("history %q", b)
	}
}
