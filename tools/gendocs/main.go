// Command gendocs writes ipmictl's reference from its cobra tree, so the
// docs never drift from the flags the binary really has:
//
//	DIR/cli/*.md          one Markdown page per command
//	DIR/man/*.1           man pages (section 1)
//	DIR/completion/       ipmictl.bash, ipmictl.zsh, ipmictl.fish
//
//	go run ./tools/gendocs [-date YYYY-MM-DD] docs
//
// The man pages carry -date (default: today) in their footer; the rest
// is the same bytes for the same tree, which gendocs_test checks against
// what is committed.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/ipmictl/ipmictl/tools/gendocs/refdocs"
)

func main() {
	date := flag.String("date", time.Now().UTC().Format(time.DateOnly), "date in the man pages' footer")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: gendocs [-date YYYY-MM-DD] DIR")
		os.Exit(2)
	}
	d, err := time.Parse(time.DateOnly, *date)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gendocs: -date:", err)
		os.Exit(2)
	}
	if err := refdocs.Write(flag.Arg(0), d); err != nil {
		fmt.Fprintln(os.Stderr, "gendocs:", err)
		os.Exit(1)
	}
}
