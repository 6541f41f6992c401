package cli

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/spf13/cobra"
)

// A leaf command declares, where it is built, the result types it renders
// (Returns[T]). The formats a result supports follow from its type's
// methods: TextWriter for text, Tabular for table and csv (CSVWriter for an
// ipmitool -c form of its own), JSON always unless the type implements
// NoJSON. The root refuses a format the leaf lacks with exit 2 before the
// BMC is opened, and Render refuses a value of a type the leaf did not
// declare (a programming error the contract tests catch).

// NoJSON is implemented by results that have no JSON form.
type NoJSON interface{ NoJSON() }

const (
	annotationFormats = "ipmictl/formats"
	annotationResults = "ipmictl/results"

	// AnnotationInteractive marks commands that need a terminal or run
	// until stopped (a console, a shell, a server): they print a stream,
	// not a result, and the contract tests do not run them.
	AnnotationInteractive = "ipmictl/interactive"
)

// formatSet is a set of output formats.
type formatSet uint8

const (
	fmtText formatSet = 1 << iota
	fmtJSON
	fmtCSV
	fmtTable
	fmtAll = fmtText | fmtJSON | fmtCSV | fmtTable
)

var formatOrder = []struct {
	bit  formatSet
	name OutputFormat
}{{fmtText, OutputText}, {fmtJSON, OutputJSON}, {fmtCSV, OutputCSV}, {fmtTable, OutputTable}}

func formatBit(f OutputFormat) formatSet {
	for _, o := range formatOrder {
		if o.name == f {
			return o.bit
		}
	}
	return 0
}

func (s formatSet) String() string {
	var names []string
	for _, o := range formatOrder {
		if s&o.bit != 0 {
			names = append(names, string(o.name))
		}
	}
	return strings.Join(names, ",")
}

func parseFormatSet(s string) formatSet {
	var out formatSet
	for _, n := range strings.Split(s, ",") {
		out |= formatBit(OutputFormat(n))
	}
	return out
}

var (
	textWriterType = reflect.TypeFor[TextWriter]()
	tabularType    = reflect.TypeFor[Tabular]()
	csvWriterType  = reflect.TypeFor[CSVWriter]()
	noJSONType     = reflect.TypeFor[NoJSON]()
)

// formatsOfType is what RenderTo can print a value of type t as.
func formatsOfType(t reflect.Type) formatSet {
	var s formatSet
	if t.Implements(textWriterType) {
		s |= fmtText
	}
	if !t.Implements(noJSONType) {
		s |= fmtJSON
	}
	if t.Implements(tabularType) {
		s |= fmtCSV | fmtTable
	}
	if t.Implements(csvWriterType) {
		s |= fmtCSV
	}
	return s
}

// typeKey names t uniquely (package path, not just package name).
func typeKey(t reflect.Type) string {
	if t.Kind() == reflect.Pointer {
		return "*" + typeKey(t.Elem())
	}
	if t.Name() != "" && t.PkgPath() != "" {
		return t.PkgPath() + "." + t.Name()
	}
	return t.String()
}

// Returns declares that cmd renders results of type T, and returns cmd.
// A command that renders several types declares each; it offers the
// formats all of them support.
func Returns[T any](cmd *cobra.Command) *cobra.Command {
	t := reflect.TypeFor[T]()
	if t.Kind() == reflect.Interface {
		panic(fmt.Sprintf("cli.Returns: %s declares an interface type; declare the concrete result type", cmd.Name()))
	}
	return declare(cmd, formatsOfType(t), typeKey(t))
}

// ReturnsForText declares a result type cmd renders only as text (a view
// such as -v that has no other form): it does not narrow cmd's formats,
// and Render refuses it in any other format.
func ReturnsForText[T TextWriter](cmd *cobra.Command) *cobra.Command {
	t := reflect.TypeFor[T]()
	if cmd.Annotations == nil {
		cmd.Annotations = map[string]string{}
	}
	key := typeKey(t) + textOnlySuffix
	if r := cmd.Annotations[annotationResults]; r != "" {
		key = r + " " + key
	}
	cmd.Annotations[annotationResults] = key
	return cmd
}

const textOnlySuffix = "@text"

// Streams declares that cmd prints a stream as text (a console, a
// server's log), not a result: it offers text only and renders nothing.
func Streams(cmd *cobra.Command) *cobra.Command {
	return declare(cmd, fmtText, "")
}

// Interactive declares a command that needs a terminal or runs until
// stopped; it prints a stream (text only).
func Interactive(cmd *cobra.Command) *cobra.Command {
	if cmd.Annotations == nil {
		cmd.Annotations = map[string]string{}
	}
	cmd.Annotations[AnnotationInteractive] = "1"
	return Streams(cmd)
}

func declare(cmd *cobra.Command, formats formatSet, key string) *cobra.Command {
	if cmd.Annotations == nil {
		cmd.Annotations = map[string]string{}
	}
	if prev, ok := cmd.Annotations[annotationFormats]; ok {
		formats &= parseFormatSet(prev)
	}
	cmd.Annotations[annotationFormats] = formats.String()
	if key != "" {
		if r := cmd.Annotations[annotationResults]; r != "" {
			key = r + " " + key
		}
		cmd.Annotations[annotationResults] = key
	}
	return cmd
}

// declaredFormats reports the formats cmd offers and whether it declared
// any. A command that runs other command lines (exec, shell) offers them
// all: each line is checked on its own.
func declaredFormats(cmd *cobra.Command) (formatSet, bool) {
	if cmd.Annotations[ExecAnnotation] != "" {
		return fmtAll, true
	}
	v, ok := cmd.Annotations[annotationFormats]
	if !ok {
		return 0, false
	}
	return parseFormatSet(v), true
}

// DeclaredFormats lists the formats cmd offers ("text", "json", ...), and
// whether it declares a result at all (tests and docs use this).
func DeclaredFormats(cmd *cobra.Command) ([]string, bool) {
	s, ok := declaredFormats(cmd)
	if !ok {
		return nil, false
	}
	var out []string
	for _, o := range formatOrder {
		if s&o.bit != 0 {
			out = append(out, string(o.name))
		}
	}
	return out, true
}

// DeclaredResults lists the result types cmd declared.
func DeclaredResults(cmd *cobra.Command) []string {
	return strings.Fields(cmd.Annotations[annotationResults])
}

// effectiveFormat is the format -o, -c and IPMICTL_OUTPUT ask for.
func effectiveFormat(o *GlobalOptions) (OutputFormat, error) {
	format, err := parseOutputFormat(o.Output)
	if err != nil {
		return "", err
	}
	if o.CSV && format == OutputText {
		format = OutputCSV
	}
	return format, nil
}

// checkFormat refuses, before anything is sent, a format cmd cannot print.
func checkFormat(cmd *cobra.Command, o *GlobalOptions) error {
	if !cmd.Runnable() || isCompletionCommand(cmd) {
		return nil
	}
	format, err := effectiveFormat(o)
	if err != nil {
		return err
	}
	have, ok := declaredFormats(cmd)
	if !ok {
		return fmt.Errorf("internal error: %s declares no result type", cmd.CommandPath())
	}
	if have&formatBit(format) != 0 {
		return nil
	}
	asked := "-o " + string(format)
	if o.CSV && o.Output == string(OutputText) {
		asked = "-c"
	}
	path := strings.TrimPrefix(cmd.CommandPath(), "ipmictl ")
	return UsageErrorf("%s has no %s output (%s); use %s", path, format, asked, formatChoices(have))
}

// formatChoices is "-o text, json or csv".
func formatChoices(s formatSet) string {
	var names []string
	for _, o := range formatOrder {
		if s&o.bit != 0 {
			names = append(names, string(o.name))
		}
	}
	switch len(names) {
	case 0:
		return "no -o"
	case 1:
		return "-o " + names[0]
	}
	return "-o " + strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// checkDeclared reports a result of a type cmd did not declare.
func checkDeclared(cmd *cobra.Command, v any, format OutputFormat) error {
	if cmd == nil || cmd.Annotations[ExecAnnotation] != "" {
		return nil
	}
	key := typeKey(reflect.TypeOf(v))
	for _, d := range DeclaredResults(cmd) {
		if d == key || (d == key+textOnlySuffix && format == OutputText) {
			return nil
		}
	}
	return fmt.Errorf("internal error: %s rendered a %s, which it does not declare (declared: %s)",
		cmd.CommandPath(), key, strings.Join(DeclaredResults(cmd), ", "))
}

// isCompletionCommand reports cobra's shell-completion commands (the
// hidden __complete and the completion scripts): they print for a shell,
// not a script reading results, whatever -o says.
func isCompletionCommand(cmd *cobra.Command) bool {
	for c := cmd; c != nil; c = c.Parent() {
		if strings.HasPrefix(c.Name(), "__complete") || (c.Name() == "completion" && c.Parent() != nil && !c.Parent().HasParent()) {
			return true
		}
	}
	return false
}
