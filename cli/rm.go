package cli

import (
	"fmt"

	"github.com/spf13/cobra"
)

func init() { register(newRmCmd) }

func newRmCmd() *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:   "rm [-f] CONTAINER...",
		Short: "Remove containers (a running one only with -f, which kills it)",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			e, err := openEngine(cmd)
			if err != nil {
				return err
			}
			defer e.Close()
			for _, name := range args {
				c, err := e.Lookup(cmd.Context(), name)
				if err != nil {
					return err
				}
				if err := e.Remove(cmd.Context(), c, force); err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), name)
			}
			return nil
		},
	}
	cmd.Flags().BoolVarP(&force, "force", "f", false, "kill a running container first")
	return cmd
}
