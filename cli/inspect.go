package cli

import (
	"github.com/spf13/cobra"

	"workbench/core"
)

func init() { register(newInspectCmd) }

func newInspectCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "inspect CONTAINER...",
		Short: "Show containers as JSON: state, namespaces next to the machine's, cgroup, layers, networks",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			e, err := openEngine(cmd)
			if err != nil {
				return err
			}
			defer e.Close()
			var out []core.Inspection
			for _, name := range args {
				c, err := e.Lookup(cmd.Context(), name)
				if err != nil {
					return err
				}
				in, err := e.Inspect(cmd.Context(), c)
				if err != nil {
					return err
				}
				out = append(out, in)
			}
			return printJSON(cmd, out)
		},
	}
}
