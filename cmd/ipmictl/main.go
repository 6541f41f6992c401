// Command ipmictl manages servers through their BMCs over IPMI.
package main

import (
	"os"

	"github.com/ipmictl/ipmictl/cmd"
)

func main() { os.Exit(cmd.Main()) }
