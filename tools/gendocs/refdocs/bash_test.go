package refdocs

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/ipmictl/ipmictl/rmcp"
)

// bashHarness runs completions through a bash started with --norc
// --noprofile, so no bash-completion package is loaded, with "ipmictl"
// on PATH being this test binary (see TestMain).
type bashHarness struct {
	bash, dir string
	env       []string
}

func newBashHarness(t *testing.T) *bashHarness {
	t.Helper()
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("bash is not installed")
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	if err := os.Mkdir(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(self, filepath.Join(bin, "ipmictl")); err != nil {
		t.Fatal(err)
	}
	env := []string{
		"PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH"),
		"HOME=" + dir,
		"XDG_CONFIG_HOME=" + dir,
		"XDG_CACHE_HOME=" + dir,
		"LANG=C",
		runAsIpmictl + "=1",
	}
	return &bashHarness{bash: bash, dir: dir, env: env}
}

// complete sources script and completes line, whose words bash would
// split as words (the last one being completed), returning COMPREPLY
// and what bash wrote on stderr.
func (h *bashHarness) complete(t *testing.T, script, line string, words []string) ([]string, string) {
	t.Helper()
	var quoted []string
	for _, w := range words {
		quoted = append(quoted, "'"+w+"'")
	}
	prog := `source "$1" || exit 9
# Outside a real completion compopt complains; the script checks for it.
compopt() { :; }
COMP_LINE=$2
COMP_POINT=${#COMP_LINE}
COMP_WORDS=(` + strings.Join(quoted, " ") + `)
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
COMPREPLY=()
__start_ipmictl ipmictl
printf '%s\n' "${COMPREPLY[@]}"
`
	cmd := exec.Command(h.bash, "--norc", "--noprofile", "-c", prog, "bash", script, line)
	cmd.Env = h.env
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("bash completing %q: %v\n%s", line, err, errOut.String())
	}
	var got []string
	for _, l := range strings.Split(out.String(), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			got = append(got, l)
		}
	}
	return got, errOut.String()
}

// TestBashCompletionWithoutBashCompletion runs the committed
// docs/completion/ipmictl.bash (what make install installs) in a bash that
// has no bash-completion package.
func TestBashCompletionWithoutBashCompletion(t *testing.T) {
	h := newBashHarness(t)
	script, err := filepath.Abs(filepath.Join(repoRoot, "docs", "completion", "ipmictl.bash"))
	if err != nil {
		t.Fatal(err)
	}
	var suites, suites1 []string
	for _, id := range rmcp.SupportedCipherSuites() {
		s := strconv.Itoa(id)
		suites = append(suites, s)
		if strings.HasPrefix(s, "1") {
			suites1 = append(suites1, s)
		}
	}
	for _, tc := range []struct {
		line  string
		words []string
		want  []string
	}{
		{"ipmictl -o ", []string{"ipmictl", "-o", ""}, []string{"text", "json", "csv", "table"}},
		{"ipmictl -o j", []string{"ipmictl", "-o", "j"}, []string{"json"}},
		{"ipmictl --output=c", []string{"ipmictl", "--output", "=", "c"}, []string{"csv"}},
		{"ipmictl -I ", []string{"ipmictl", "-I", ""}, []string{"lanplus", "lan", "open", "kcs"}},
		{"ipmictl -I lan", []string{"ipmictl", "-I", "lan"}, []string{"lanplus", "lan"}},
		{"ipmictl -L ", []string{"ipmictl", "-L", ""}, []string{"CALLBACK", "USER", "OPERATOR", "ADMINISTRATOR"}},
		{"ipmictl --privilege=O", []string{"ipmictl", "--privilege", "=", "O"}, []string{"OPERATOR"}},
		{"ipmictl -C ", []string{"ipmictl", "-C", ""}, suites},
		{"ipmictl -H bmc1 -C 1", []string{"ipmictl", "-H", "bmc1", "-C", "1"}, suites1},
		{"ipmictl chassis power s", []string{"ipmictl", "chassis", "power", "s"}, []string{"soft", "status"}},
		{"ipmictl -H bmc1 -E mc res", []string{"ipmictl", "-H", "bmc1", "-E", "mc", "res"}, []string{"reset"}},
	} {
		got, stderr := h.complete(t, script, tc.line, tc.words)
		if stderr != "" {
			t.Errorf("%q: bash wrote on stderr:\n%s", tc.line, stderr)
		}
		want := append([]string(nil), tc.want...)
		if strings.Contains(tc.line, "chassis") || strings.Contains(tc.line, " mc ") {
			sort.Strings(got) // subcommands come sorted by bash, values in our order
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%q: completes %q, want %q", tc.line, got, want)
		}
	}
}

// TestBashHarnessHasNoBashCompletion checks the harness above tests what
// it claims: cobra's own script, which needs bash-completion, fails in it.
func TestBashHarnessHasNoBashCompletion(t *testing.T) {
	h := newBashHarness(t)
	var b bytes.Buffer
	if err := root().GenBashCompletionV2(&b, true); err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(h.dir, "cobra.bash")
	if err := os.WriteFile(script, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	got, stderr := h.complete(t, script, "ipmictl -o ", []string{"ipmictl", "-o", ""})
	if !strings.Contains(stderr, "_get_comp_words_by_ref") {
		t.Errorf("cobra's script ran without bash-completion (completions %q, stderr %q): the harness has bash-completion loaded", got, stderr)
	}
}

// TestCompletionBashPrintsCommittedScript: `ipmictl completion bash` and
// the installed file are the same script.
func TestCompletionBashPrintsCommittedScript(t *testing.T) {
	h := newBashHarness(t)
	cmd := exec.Command(filepath.Join(h.dir, "bin", "ipmictl"), "completion", "bash")
	cmd.Env = h.env
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join(repoRoot, "docs", "completion", "ipmictl.bash"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out, want) {
		t.Error("ipmictl completion bash differs from docs/completion/ipmictl.bash: run make docs")
	}
}
