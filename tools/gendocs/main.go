// Command gendocs writes the command reference (one Markdown page per
// command) from ipmictl's cobra tree, so docs/cli never drifts from the
// flags the binary really has.
//
//	go run ./tools/gendocs docs/cli
package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra/doc"

	"github.com/ipmictl/ipmictl/cmd"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: gendocs DIR")
		os.Exit(2)
	}
	dir := os.Args[1]
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "gendocs:", err)
		os.Exit(1)
	}
	root := cmd.NewRootCmd(cmd.NewFactory())
	root.DisableAutoGenTag = true
	if err := doc.GenMarkdownTree(root, dir); err != nil {
		fmt.Fprintln(os.Stderr, "gendocs:", err)
		os.Exit(1)
	}
}
