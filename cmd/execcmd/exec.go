package execcmd

import (
	"bufio"
	"fmt"
	"io"
	"os"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/spf13/cobra"
)

// ExecOptions are the flags of `ipmictl exec`.
type ExecOptions struct {
	File      string
	KeepGoing bool
}

// NewCmd builds the `exec` command group.
func NewCmd(f *cli.Factory) *cobra.Command {
	o := &ExecOptions{}
	c := &cobra.Command{
		Use:   "exec FILE|-",
		Short: "Run the commands in FILE (or stdin) on one BMC session",
		Long: `Run one ipmictl command per line of FILE ("-" reads standard input), all
on one BMC session opened once, as ipmitool's exec does: a script of 50
commands pays for one session set-up instead of 50.

Blank lines and lines starting with # are skipped; words are split as a
shell splits them ('single' and "double" quotes, backslash escapes). Global
flags on a line (-o json mc info) apply to that line only; a line that names
another BMC or other credentials (-H, -U, -I ...) gets a session of its own.

The first failing line stops the script unless --keep-going; errors name the
line. The exit status is the worst of the lines'.`,
		Example: `  ipmictl -H bmc1 -U admin -E exec checks.txt
  printf 'chassis power status\nmc info\n' | ipmictl -H bmc1 -U admin -E exec -`,
		Args:        cobra.ExactArgs(1),
		Annotations: map[string]string{cli.AnnotationNoFanout: "1", cli.ExecAnnotation: "1"},
		RunE: func(cmd *cobra.Command, args []string) error {
			o.File = args[0]
			return execRun(f, cmd, o)
		},
	}
	c.Flags().BoolVar(&o.KeepGoing, "keep-going", false, "run every line even after one fails")
	return c
}

// execMaxLine bounds one script line; longer lines are an error, not a
// silent truncation.
const execMaxLine = 1 << 20

func execRun(f *cli.Factory, cmd *cobra.Command, o *ExecOptions) error {
	var in io.Reader = f.IO.In
	if o.File != "-" {
		fh, err := os.Open(o.File)
		if err != nil {
			return cli.UsageErrorf("exec: %v", err)
		}
		defer fh.Close()
		in = fh
	}
	s := cli.NewExecSession(f, cmd)
	defer s.Stop()
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64*1024), execMaxLine)
	n := 0
	for sc.Scan() {
		n++
		if err := f.Context().Err(); err != nil {
			return err
		}
		code, stop := s.RunLine(f.Context(), n, sc.Text())
		if stop || (code != 0 && !o.KeepGoing) {
			break
		}
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintf(f.IO.ErrOut, "ipmictl: exec: reading line %d: %v\n", n+1, err)
		s.Note(cli.ExitUsage)
	}
	if err := f.Context().Err(); err != nil {
		return err
	}
	if s.Worst != 0 {
		return &cli.SilentError{Code: s.Worst}
	}
	return nil
}
