package cli

import (
	"fmt"

	"github.com/spf13/cobra"
)

func init() { register(newWaitCmd) }

func newWaitCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "wait CONTAINER",
		Short: "Wait for a container to end and print its exit status",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			e, c, err := lookupContainer(cmd, args[0])
			if err != nil {
				return err
			}
			c, err = e.WaitExit(cmd.Context(), c)
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), c.ExitCode)
			return nil
		},
	}
}
