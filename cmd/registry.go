package cmd

import "github.com/spf13/cobra"

// Each command group file registers its constructor from init, so the
// groups stay independent files and root.go never needs editing to add one.
var commandGroups []func(*Factory) *cobra.Command

func register(newCmd func(*Factory) *cobra.Command) {
	commandGroups = append(commandGroups, newCmd)
}
