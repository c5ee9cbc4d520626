package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"workbench/core"
	"workbench/core/cgroup"
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
			inst, err := currentInstance()
			if err != nil {
				return err
			}
			e, err := core.Open(cmd.Context(), inst)
			if err != nil {
				return err
			}
			defer e.Close()
			unlock, err := inst.Lock()
			if err != nil {
				return err
			}
			defer unlock()
			for _, name := range args {
				c, err := e.Lookup(cmd.Context(), name)
				if err != nil {
					return err
				}
				if c.State != core.StateRunning {
					return fmt.Errorf("container %s is %s: only a running container's limits can change (start a new one with the limits as run flags)", c.Name, c.State)
				}
				g, err := cgroup.Open(inst, c.CgroupID)
				if err != nil {
					return fmt.Errorf("update %s: %w", c.Name, err)
				}
				if err := g.Update(l); err != nil {
					return fmt.Errorf("update %s: %w", c.Name, err)
				}
				if l.PidsLimit > 0 {
					if err := g.ExemptThreads(c.Pid); err != nil {
						return fmt.Errorf("update %s: %w", c.Name, err)
					}
				}
				for _, w := range g.Warnings() {
					fmt.Fprintln(cmd.ErrOrStderr(), "workbench: warning: "+w)
				}
				fmt.Fprintln(cmd.OutOrStdout(), c.Name)
			}
			return nil
		},
	}
	lf = addLimitFlags(cmd.Flags())
	return cmd
}
