package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"workbench/core"
)

func init() {
	register(newStartCmd)
	register(newRestartCmd)
}

func newStartCmd() *cobra.Command {
	var attach, interactive bool
	cmd := &cobra.Command{
		Use:     "start [-a] [-i] CONTAINER...",
		Short:   "Start stopped containers again with their spec, their writable layer as they left it",
		Example: "  workbench start web\n  workbench start -ai shell",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if attach && len(args) > 1 {
				return fmt.Errorf("start -a attaches to one container: name only one")
			}
			if !attach {
				return eachContainer(cmd, args, func(e *core.Engine, c core.Container) error {
					_, _, err := e.Start(cmd.Context(), c.ID, nil)
					return startStatus(cmd, err)
				})
			}
			e, err := openEngine(cmd)
			if err != nil {
				return err
			}
			stdio := core.Stdio{Out: cmd.OutOrStdout(), Err: cmd.ErrOrStderr()}
			if interactive {
				stdio.In = cmd.InOrStdin()
			}
			c, a, err := e.Start(cmd.Context(), args[0], &stdio)
			if err != nil {
				return startStatus(cmd, err)
			}
			if a == nil {
				return fmt.Errorf("container %s is running already: attach to it with workbench logs -f %s", c.Name, c.Name)
			}
			return followAttached(cmd, e, a, c.Tty && interactive)
		},
	}
	cmd.Flags().BoolVarP(&attach, "attach", "a", false, "attach to its output and wait for its end (one container)")
	cmd.Flags().BoolVarP(&interactive, "interactive", "i", false, "attach its input too")
	return cmd
}

func newRestartCmd() *cobra.Command {
	var secs int
	cmd := &cobra.Command{
		Use:   "restart [-t SECS] CONTAINER...",
		Short: "Stop containers (SIGTERM, then SIGKILL after SECS) and start them again",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if secs < 0 {
				return fmt.Errorf("-t %d is negative: give the seconds to wait before SIGKILL, e.g. -t 10", secs)
			}
			timeout := stopTimeout(cmd, secs)
			return eachContainer(cmd, args, func(e *core.Engine, c core.Container) error {
				_, err := e.Restart(cmd.Context(), c, timeout)
				return startStatus(cmd, err)
			})
		},
	}
	cmd.Flags().IntVarP(&secs, "time", "t", 10, "seconds to wait after SIGTERM before SIGKILL")
	setExamples(cmd.Flags(), map[string]string{"time": "10"})
	return cmd
}
