package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"workbench/core"
)

func newUpdateCmd() *cobra.Command {
	var lf *limitFlags
	cmd := leaf{use: "update [flags] CONTAINER...", short: "Change the CPU, memory and PID limits of running containers",
		long: `update writes new limits into the cgroups of running containers; the processes feel them at once
(watch ` + "`workbench stats`" + `). Flags not given keep the value in force.`,
		example: `  workbench update --cpus 0.5 web
  workbench update --memory 256m --pids-limit 50 web db`,
		args: cobra.MinimumNArgs(1),
		run: func(cmd *cobra.Command, args []string) error {
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
			return onEachContainer(func(cmd *cobra.Command, e *core.Engine, c core.Container) error {
				_, warnings, err := e.Update(cmd.Context(), c.ID, l)
				for _, w := range warnings {
					warn(cmd, w)
				}
				return err
			})(cmd, args)
		}}.command()
	lf = addLimitFlags(cmd.Flags())
	return cmd
}
