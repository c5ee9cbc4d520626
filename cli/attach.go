package cli

import (
	"github.com/spf13/cobra"

	"workbench/core"
)

func init() { register(newAttachCmd) }

func newAttachCmd() *cobra.Command {
	var noStdin bool
	cmd := &cobra.Command{
		Use:   "attach [--no-stdin] CONTAINER",
		Short: "Attach to a running container's output (and input) until it ends",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			e, c, err := lookupContainer(cmd, args[0])
			if err != nil {
				return err
			}
			stdio := core.Stdio{Out: cmd.OutOrStdout(), Err: cmd.ErrOrStderr()}
			if !noStdin && c.Interactive {
				stdio.In = cmd.InOrStdin()
			}
			a, err := e.Attach(cmd.Context(), c, stdio)
			if err != nil {
				return err
			}
			return followAttached(cmd, e, a, c.Tty && stdio.In != nil)
		},
	}
	cmd.Flags().BoolVar(&noStdin, "no-stdin", false, "do not attach the input")
	return cmd
}
