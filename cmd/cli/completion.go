package cli

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ipmictl/ipmictl/rmcp"
)

// Shell completion: the values of the global flags that take a word from a
// fixed list, and a bash script that works without the bash-completion
// package.

// flagChoices are the values completed for the global flags that take one
// of a fixed set of words, with the description zsh and fish show. (Arrays,
// not maps: the linker lays them out, so they cost nothing at start-up.)
var flagChoices = [...]struct {
	flag   string
	values []string
}{
	{"output", []string{
		"text\tipmitool's output",
		"json\tstructured output (docs/json.md)",
		"csv\tcomma-separated values",
		"table\ta table with borders",
	}},
	{"interface", []string{
		"lanplus\tIPMI 2.0 over the network (RMCP+)",
		"lan\tIPMI 1.5 over the network",
		"open\tin-band through /dev/ipmi0",
		"kcs\tin-band through direct KCS I/O (root)",
	}},
	{"privilege", []string{
		"CALLBACK",
		"USER",
		"OPERATOR",
		"ADMINISTRATOR",
	}},
	{"authtype", []string{
		"MD5",
		"MD2",
		"PASSWORD",
		"NONE\tno authentication (needs --insecure)",
	}},
}

// suiteDescriptions name the algorithms of the cipher suites rmcp
// implements (IPMI v2.0 table 22-20): authentication, integrity,
// confidentiality.
var suiteDescriptions = [...]string{
	0:  "no authentication, integrity or encryption (needs --insecure)",
	1:  "HMAC-SHA1 login, no integrity, no encryption",
	2:  "HMAC-SHA1 login, HMAC-SHA1-96 integrity, no encryption",
	3:  "HMAC-SHA1 login, HMAC-SHA1-96 integrity, AES-CBC-128",
	6:  "HMAC-MD5 login, no integrity, no encryption",
	7:  "HMAC-MD5 login, HMAC-MD5-128 integrity, no encryption",
	8:  "HMAC-MD5 login, HMAC-MD5-128 integrity, AES-CBC-128",
	11: "HMAC-MD5 login, MD5-128 integrity, no encryption",
	12: "HMAC-MD5 login, MD5-128 integrity, AES-CBC-128",
	15: "HMAC-SHA256 login, no integrity, no encryption",
	16: "HMAC-SHA256 login, HMAC-SHA256-128 integrity, no encryption",
	17: "HMAC-SHA256 login, HMAC-SHA256-128 integrity, AES-CBC-128",
}

// cipherSuiteChoices are the -C values: the suites rmcp implements, in
// numeric order.
func cipherSuiteChoices() []string {
	var out []string
	for _, id := range rmcp.SupportedCipherSuites() {
		s := strconv.Itoa(id)
		if id < len(suiteDescriptions) && suiteDescriptions[id] != "" {
			s += "\t" + suiteDescriptions[id]
		}
		out = append(out, s)
	}
	return out
}

// registerCompletions sets up completion on the root command: flag values,
// and the completion command with a bash script that needs no
// bash-completion package. A fan-out or exec child completes nothing, and
// registering there would grow cobra's process-wide table of completion
// functions by one entry per flag per host.
func registerCompletions(f *Factory, root *cobra.Command) {
	if f.single {
		return
	}
	fs := root.PersistentFlags()
	for _, c := range flagChoices {
		if fs.Lookup(c.flag) == nil {
			continue
		}
		values := c.values
		_ = root.RegisterFlagCompletionFunc(c.flag, func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			return values, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveKeepOrder
		})
	}
	if fs.Lookup("cipher-suite") != nil {
		_ = root.RegisterFlagCompletionFunc("cipher-suite", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			return cipherSuiteChoices(), cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveKeepOrder
		})
	}

	root.InitDefaultCompletionCmd()
	var comp *cobra.Command
	for _, c := range root.Commands() {
		if c.Name() == "completion" {
			comp = c
		}
	}
	if comp == nil {
		return // a tree without subcommands gets none
	}
	// Completion scripts are printed, not run against a BMC: not per host,
	// and not inside exec or shell (whose children have no completion
	// command, so the shell must not offer it).
	for _, c := range append([]*cobra.Command{comp}, comp.Commands()...) {
		if c.Annotations == nil {
			c.Annotations = map[string]string{}
		}
		c.Annotations[AnnotationNoFanout] = "1"
		c.Annotations[ExecAnnotation] = "1"
		if c.Name() != "bash" {
			continue
		}
		name := root.Name()
		c.Long = fmt.Sprintf(`Generate the autocompletion script for the bash shell.

The script works on its own; with the bash-completion package installed it
uses that package's word splitting and file completion.

To load completions in your current shell session:

	source <(%[1]s completion bash)

With bash-completion, new sessions load the script from

	/usr/local/share/bash-completion/completions/%[1]s

where make install puts it; without it, add the line above to ~/.bashrc.
`, name)
		noDesc := c.Flags().Lookup("no-descriptions")
		c.RunE = func(cmd *cobra.Command, args []string) error {
			desc := noDesc == nil || noDesc.Value.String() != "true"
			return WriteBashCompletion(cmd.Root(), cmd.OutOrStdout(), desc)
		}
	}
}

// WriteBashCompletion writes cobra's bash completion script for root,
// changed to work without the bash-completion package: cobra's script
// calls _get_comp_words_by_ref and _filedir from that package, which a
// plain bash (or a minimal container) lacks. Where they are missing, the
// script splits the line itself and completes files with compgen.
func WriteBashCompletion(root *cobra.Command, w io.Writer, includeDesc bool) error {
	var buf bytes.Buffer
	if err := root.GenBashCompletionV2(&buf, includeDesc); err != nil {
		return err
	}
	script, err := bashWithoutBashCompletion(buf.String(), root.Name())
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, script)
	return err
}

// bashWithoutBashCompletion rewrites cobra's V2 bash script for program
// name. Each edit must find its text: a cobra release that changes the
// script fails here (and in make docs) instead of shipping a script that
// still needs bash-completion.
func bashWithoutBashCompletion(script, name string) (string, error) {
	fn := "__" + name
	edits := []struct{ old, new string }{
		{
			"    _get_comp_words_by_ref \"$@\" cur prev words cword\n",
			"    if declare -F _get_comp_words_by_ref >/dev/null 2>&1; then\n" +
				"        _get_comp_words_by_ref \"$@\" cur prev words cword\n" +
				"    else\n" +
				"        " + fn + "_split_line\n" +
				"    fi\n",
		},
		{"filteringCmd=\"_filedir ", "filteringCmd=\"" + fn + "_filedir "},
		{"&& _filedir -d &&", "&& " + fn + "_filedir -d &&"},
		{"            _filedir -d\n", "            " + fn + "_filedir -d\n"},
		{"                    _filedir\n", "                    " + fn + "_filedir\n"},
	}
	for _, e := range edits {
		if strings.Count(script, e.old) != 1 {
			return "", fmt.Errorf("bash completion: cobra's script no longer has %q; update bashWithoutBashCompletion", strings.TrimSpace(e.old))
		}
		script = strings.Replace(script, e.old, e.new, 1)
	}
	header, rest, ok := strings.Cut(script, "\n")
	if !ok {
		return "", fmt.Errorf("bash completion: cobra's script is one line")
	}
	return header + "\n" + strings.ReplaceAll(bashFallbacks, "__PROG", fn) + rest, nil
}

// bashFallbacks stand in for bash-completion's functions. __PROG is
// replaced by __ipmictl.
const bashFallbacks = `
# Without the bash-completion package: set cur, prev, words and cword
# from COMP_WORDS, COMP_CWORD and COMP_LINE. Bash splits words at the
# characters of COMP_WORDBREAKS, "=" and ":" among them; like
# _get_comp_words_by_ref -n =:, the pieces of "--output=js" or "a:b" are
# joined into one word again (where the line has no blank between them).
__PROG_split_line()
{
    local rest=${COMP_LINE-} w i j=-1 blank
    words=()
    cword=0
    for ((i = 0; i < ${#COMP_WORDS[@]}; i++)); do
        w=${COMP_WORDS[i]}
        blank=0
        if [[ -n ${COMP_LINE-} && $rest == [[:blank:]]* ]]; then
            blank=1
        fi
        rest=${rest#"${rest%%[![:blank:]]*}"}
        rest=${rest#"$w"}
        if ((j >= 1 && blank == 0)) && [[ $w =~ ^[=:]+$ || ${words[j]} =~ [=:]$ ]]; then
            words[j]+=$w
        else
            ((j++))
            words[j]=$w
        fi
        if ((i == COMP_CWORD)); then
            cword=$j
        fi
    done
    cur=${words[cword]-}
    prev=
    if ((cword > 0)); then
        prev=${words[cword-1]}
    fi
}

# _filedir from bash-completion when it is loaded; else files (those
# ending in one of the "|"-separated extensions of $1) and directories
# (only directories with -d) matching $cur.
__PROG_filedir()
{
    if declare -F _filedir >/dev/null 2>&1; then
        _filedir "$@"
        return
    fi
    local IFS=$'\n' f e
    if [[ $(type -t compopt) == builtin ]]; then
        compopt -o filenames 2>/dev/null
    fi
    COMPREPLY+=($(compgen -d -- "$cur"))
    if [[ ${1-} == -d ]]; then
        return
    fi
    for f in $(compgen -f -- "$cur"); do
        if [[ -d $f ]]; then
            continue
        fi
        if [[ -z ${1-} ]]; then
            COMPREPLY+=("$f")
            continue
        fi
        IFS='|'
        for e in $1; do
            if [[ -n $e && $f == *."$e" ]]; then
                COMPREPLY+=("$f")
                break
            fi
        done
        IFS=$'\n'
    done
}
`
