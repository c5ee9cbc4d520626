package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"workbench/core"
)

func init() { register(newUpdateCmd) }

func newUpdateCmd() *cobra.Command {
	var lf *limitFlags
	cmd := &cobra.Command{
		Use:   "update [flags] CONTAINER...",
		Short: "Change the CPU, memory and PID limits of running containers",
		Long: "update writes new limits into the cgroups of running containers; the processes feel them at once\n" +
			"(watch `workbench stats`). Flags not given keep the value in force.",
		Example: "  workbench update --cpus 0.5 web\n  workbench update --memory 256m --pids-limit 50 web db",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := needRoot(cmd); err != nil {
				return err
			}
			l, err := lf.limits()
			if err != nil {
				return err
			}
			if l.IsZero() {
				return fmt.Errorf("update needs at least one limit flag: e.g. --cpus 0.5, --memory 256m or --pids-limit 50")
			}
			return eachContainer(cmd, args, func(e *core.Engine, c core.Container) error {
				_, warnings, err := e.Update(cmd.Context(), c.ID, l)
				for _, w := range warnings {
					warn(cmd, w)
				}
				return err
			})
		},
	}
	lf = addLimitFlags(cmd.Flags())
	return cmd
}
