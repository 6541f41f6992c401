// Package refdocs generates ipmictl's command reference, man pages and
// shell completion scripts from the cobra tree.
package refdocs

import (
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"

	"github.com/ipmictl/ipmictl/cmd"
	"github.com/ipmictl/ipmictl/cmd/cli"
)

func root() *cobra.Command {
	r := cli.NewRootCmd(cmd.NewFactory())
	r.DisableAutoGenTag = true
	return r
}

// WriteMarkdownAndCompletions writes DIR/cli and DIR/completion: the
// parts that are the same bytes for the same command tree.
func WriteMarkdownAndCompletions(dir string) error {
	cli := filepath.Join(dir, "cli")
	comp := filepath.Join(dir, "completion")
	for _, d := range []string{cli, comp} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	if err := doc.GenMarkdownTree(root(), cli); err != nil {
		return err
	}
	gens := map[string]func(*cobra.Command, string) error{
		"ipmictl.bash": func(r *cobra.Command, p string) error { return r.GenBashCompletionFileV2(p, true) },
		"ipmictl.zsh":  func(r *cobra.Command, p string) error { return r.GenZshCompletionFile(p) },
		"ipmictl.fish": func(r *cobra.Command, p string) error { return r.GenFishCompletionFile(p, true) },
	}
	for name, gen := range gens {
		if err := gen(root(), filepath.Join(comp, name)); err != nil {
			return err
		}
	}
	return nil
}

// Write writes everything, the man pages dated date.
func Write(dir string, date time.Time) error {
	if err := WriteMarkdownAndCompletions(dir); err != nil {
		return err
	}
	man := filepath.Join(dir, "man")
	if err := os.MkdirAll(man, 0o755); err != nil {
		return err
	}
	h := &doc.GenManHeader{Title: "IPMICTL", Section: "1", Source: "ipmictl", Manual: "ipmictl manual", Date: &date}
	return doc.GenManTree(root(), h, man)
}
