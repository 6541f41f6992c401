package execcmd

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/peterh/liner"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// shellLiner is the terminal reader: line editing, history and completion.
type shellLiner struct {
	*liner.State
	history string // file, "" when there is no home to keep it in
	errOut  io.Writer
}

// newShellLiner sets up liner with completion from root, a command tree of
// its own (building one over the shell's options would reset them).
func newShellLiner(root *cobra.Command, errOut io.Writer) *shellLiner {
	l := &shellLiner{State: liner.NewLiner(), history: shellHistoryPath(), errOut: errOut}
	l.SetCtrlCAborts(true)
	l.SetTabCompletionStyle(liner.TabPrints)
	l.SetWordCompleter(func(line string, pos int) (string, []string, string) {
		head, words := shellComplete(root, line[:pos])
		return head, words, line[pos:]
	})
	if l.history != "" {
		if fh, err := os.Open(l.history); err == nil {
			l.ReadHistory(fh)
			fh.Close()
		}
	}
	return l
}

// Prompt reads a line; after Ctrl-D it ends the prompt's line, so the
// terminal's next prompt starts on a line of its own.
func (l *shellLiner) Prompt(p string) (string, error) {
	line, err := l.State.Prompt(p)
	if errors.Is(err, io.EOF) {
		fmt.Fprintln(l.errOut)
	}
	return line, err
}

// Close saves the history (mode 0600: commands name hosts and users) and
// gives the terminal back.
func (l *shellLiner) Close() error {
	if l.history != "" {
		if err := l.saveHistory(); err != nil {
			fmt.Fprintf(l.errOut, "ipmictl: shell history: %v\n", err)
		}
	}
	return l.State.Close()
}

func (l *shellLiner) saveHistory() error {
	if err := os.MkdirAll(filepath.Dir(l.history), 0o700); err != nil {
		return err
	}
	fh, err := os.OpenFile(l.history, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if err := fh.Chmod(0o600); err != nil {
		fh.Close()
		return err
	}
	if _, err := l.WriteHistory(fh); err != nil {
		fh.Close()
		return err
	}
	return fh.Close()
}

// shellHistoryPath is $XDG_STATE_HOME/ipmictl/history, else
// ~/.local/state/ipmictl/history, else "" (no history kept).
func shellHistoryPath() string {
	dir := os.Getenv("XDG_STATE_HOME")
	if dir == "" || !filepath.IsAbs(dir) {
		home, err := os.UserHomeDir()
		if err != nil || home == "" {
			return ""
		}
		dir = filepath.Join(home, ".local", "state")
	}
	return filepath.Join(dir, "ipmictl", "history")
}

// shellComplete completes the last word of before from the command tree:
// subcommands, their valid arguments, and flags after a "-". It returns
// the unchanged head of the line and the candidate words.
func shellComplete(root *cobra.Command, before string) (string, []string) {
	fields := strings.Fields(before)
	partial := ""
	if len(fields) > 0 && !strings.HasSuffix(before, " ") && !strings.HasSuffix(before, "\t") {
		partial = fields[len(fields)-1]
		fields = fields[:len(fields)-1]
	}
	head := before[:len(before)-len(partial)]
	cmd := root
	for _, w := range fields {
		if strings.HasPrefix(w, "-") {
			continue
		}
		if sub := shellFindSub(cmd, w); sub != nil {
			cmd = sub
		}
	}
	var out []string
	add := func(s string) {
		if strings.HasPrefix(s, partial) {
			out = append(out, s)
		}
	}
	if strings.HasPrefix(partial, "-") {
		visit := func(fl *pflag.Flag) {
			if !fl.Hidden {
				add("--" + fl.Name)
			}
		}
		cmd.NonInheritedFlags().VisitAll(visit)
		cmd.InheritedFlags().VisitAll(visit)
	} else {
		for _, sub := range cmd.Commands() {
			if sub.IsAvailableCommand() && sub.Annotations[cli.ExecAnnotation] == "" {
				add(sub.Name())
			}
		}
		for _, a := range cmd.ValidArgs {
			add(a)
		}
		if cmd == root {
			add("exit")
			add("quit")
		}
	}
	sort.Strings(out)
	if len(out) == 1 {
		out[0] += " "
	}
	return head, out
}

func shellFindSub(cmd *cobra.Command, name string) *cobra.Command {
	for _, sub := range cmd.Commands() {
		if sub.Name() == name || sub.HasAlias(name) {
			return sub
		}
	}
	return nil
}
