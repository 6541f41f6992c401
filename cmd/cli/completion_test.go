package cli

import (
	"bytes"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/ipmictl/ipmictl/rmcp"
)

// complete runs cobra's hidden completion request, as the shell scripts
// do, and returns the candidate words without their descriptions.
func complete(t *testing.T, f *Factory, args ...string) (words, descs []string) {
	t.Helper()
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	var out, errOut bytes.Buffer
	f.IO = &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}
	if code := Run(f, append([]string{"__complete"}, args...)); code != 0 {
		t.Fatalf("__complete %q: exit %d, %s", args, code, errOut.String())
	}
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		if strings.HasPrefix(line, ":") {
			break // the directive
		}
		w, d, _ := strings.Cut(line, "\t")
		words = append(words, w)
		descs = append(descs, d)
	}
	return words, descs
}

func TestGlobalFlagValuesComplete(t *testing.T) {
	var suites []string
	for _, id := range rmcp.SupportedCipherSuites() {
		suites = append(suites, strconv.Itoa(id))
	}
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"-o", ""}, []string{"text", "json", "csv", "table"}},
		{[]string{"--output", "j"}, []string{"text", "json", "csv", "table"}}, // the shell filters
		{[]string{"-I", ""}, []string{"lanplus", "lan", "open", "kcs"}},
		{[]string{"--interface", ""}, []string{"lanplus", "lan", "open", "kcs"}},
		{[]string{"-L", ""}, []string{"CALLBACK", "USER", "OPERATOR", "ADMINISTRATOR"}},
		{[]string{"-A", ""}, []string{"MD5", "MD2", "PASSWORD", "NONE"}},
		{[]string{"-C", ""}, suites},
		{[]string{"--cipher-suite", ""}, suites},
	} {
		got, _ := complete(t, NewFactory(), tc.args...)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("completing %q: %q, want %q", tc.args, got, tc.want)
		}
	}
}

func TestCipherSuiteCompletionDescribesEachSuite(t *testing.T) {
	words, descs := complete(t, NewFactory(), "-C", "")
	supported := map[int]bool{}
	for _, id := range rmcp.SupportedCipherSuites() {
		supported[id] = true
	}
	if len(words) != len(supported) {
		t.Errorf("-C completes %q, rmcp supports %v", words, rmcp.SupportedCipherSuites())
	}
	for i, w := range words {
		if descs[i] == "" {
			t.Errorf("suite %s has no description", w)
		}
	}
	for id, d := range suiteDescriptions {
		if d != "" && !supported[id] {
			t.Errorf("suiteDescriptions describes suite %d, which rmcp does not support", id)
		}
	}
	if !strings.Contains(descs[0], "--insecure") || words[0] != "0" {
		t.Errorf("suite 0 (%s: %q) does not say it needs --insecure", words[0], descs[0])
	}
}

// TestChildRegistersNoCompletions: cobra keeps flag completion functions
// in one process-wide table, so a fan-out child (one per host) must not
// add to it.
func TestChildRegistersNoCompletions(t *testing.T) {
	parent := NewRootCmd(NewFactory())
	if _, ok := parent.GetFlagCompletionFunc("output"); !ok {
		t.Fatal("the top-level command has no completion for -o")
	}
	f := NewFactory()
	f.single = true
	child := NewRootCmd(f)
	for _, name := range []string{"output", "interface", "privilege", "cipher-suite", "authtype"} {
		if _, ok := child.GetFlagCompletionFunc(name); ok {
			t.Errorf("a fan-out child registered a completion for --%s", name)
		}
	}
}

func TestCompletionCommandIsNotOfferedInsideTheShell(t *testing.T) {
	f := NewFactory()
	f.Groups = []NewGroup{func(*Factory) *cobra.Command {
		return &cobra.Command{Use: "mc", Run: func(*cobra.Command, []string) {}}
	}}
	root := NewRootCmd(f)
	comp, _, err := root.Find([]string{"completion", "bash"})
	if err != nil || comp.Name() != "bash" {
		t.Fatalf("no completion bash command: %v", err)
	}
	for c := comp; c != root; c = c.Parent() {
		if c.Annotations[ExecAnnotation] == "" || c.Annotations[AnnotationNoFanout] == "" {
			t.Errorf("%s: annotations %v", c.CommandPath(), c.Annotations)
		}
	}
	var out bytes.Buffer
	f.IO = &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &out}
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	if code := Run(f, []string{"completion", "bash"}); code != 0 {
		t.Fatalf("completion bash: exit %d: %s", code, out.String())
	}
	if !strings.Contains(out.String(), "__mc_split_line") && !strings.Contains(out.String(), "__ipmictl_split_line") {
		t.Errorf("completion bash printed cobra's script, which needs bash-completion:\n%.300s", out.String())
	}
}

var unguardedFiledir = regexp.MustCompile(`(^|[^_a-z])_filedir\b`)

func TestBashRewriteNeedsEveryEdit(t *testing.T) {
	var b bytes.Buffer
	root := &cobra.Command{Use: "ipmictl"}
	if err := root.GenBashCompletionV2(&b, true); err != nil {
		t.Fatal(err)
	}
	script, err := bashWithoutBashCompletion(b.String(), "ipmictl")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"__ipmictl_split_line()", "__ipmictl_filedir()", "__ipmictl_filedir -d"} {
		if !strings.Contains(script, s) {
			t.Errorf("the rewritten script lacks %q", s)
		}
	}
	for i, line := range strings.Split(script, "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "#") || line == `_filedir "$@"` || strings.Contains(line, "declare -F _filedir") {
			continue
		}
		if unguardedFiledir.MatchString(line) {
			t.Errorf("line %d calls _filedir unguarded: %s", i+1, line)
		}
	}
	changed := strings.Replace(b.String(), "_get_comp_words_by_ref \"$@\"", "_get_words \"$@\"", 1)
	if _, err := bashWithoutBashCompletion(changed, "ipmictl"); err == nil {
		t.Error("a script without the expected _get_comp_words_by_ref call was accepted")
	}
}
