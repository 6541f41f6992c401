package cli

import "github.com/spf13/cobra"

// NewGroup builds one top-level command on a factory. The root package
// lists every group explicitly (cmd.Groups) and hands the list to the
// factory, so a fan-out host or an exec line can build the tree again.
type NewGroup func(*Factory) *cobra.Command
