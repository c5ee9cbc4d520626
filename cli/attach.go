package cli

import (
	"github.com/spf13/cobra"

	"workbench/core"
)

func newAttachCmd() *cobra.Command {
	var noStdin bool
	cmd := leaf{use: "attach [--no-stdin] CONTAINER", short: "Attach to a running container's output (and input) until it ends", args: cobra.ExactArgs(1),
		run: onContainer(func(cmd *cobra.Command, e *core.Engine, c core.Container, _ []string) error {
			stdio := commandStdio(cmd, !noStdin && c.Interactive)
			a, err := e.Attach(cmd.Context(), c, stdio)
			if err != nil {
				return err
			}
			return followAttached(cmd, e, a, c.Tty && stdio.In != nil)
		})}.command()
	cmd.Flags().BoolVar(&noStdin, "no-stdin", false, "do not attach the input")
	return cmd
}
