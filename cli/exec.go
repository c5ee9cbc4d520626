package cli

import (
	"syscall"

	"github.com/spf13/cobra"

	"workbench/core"
)

func newExecCmd() *cobra.Command {
	var f processFlags
	cmd := leaf{use: "exec [-i] [-t] [-e K=V] [-w DIR] CONTAINER COMMAND [ARG...]",
		short: "Run a command in a running container, in all its namespaces and its cgroup",
		example: `  workbench exec web ps
  workbench exec -it web sh`,
		args: cobra.MinimumNArgs(2),
		run: func(cmd *cobra.Command, args []string) error {
			env, err := f.environment()
			if err != nil {
				return err
			}
			if err := f.checkTerminal(cmd); err != nil {
				return err
			}
			return onContainer(func(cmd *cobra.Command, e *core.Engine, c core.Container, args []string) error {
				stdio := commandStdio(cmd, f.interactive)
				spec := core.ExecSpec{Args: args[1:], Env: env, WorkingDir: f.workdir, User: f.user, Tty: f.tty}
				x, err := e.Exec(cmd.Context(), c, spec, stdio)
				if err != nil {
					return startStatus(cmd, err)
				}
				return followProcess(cmd, f.tty && f.interactive, followed{resize: x.Resize, signal: x.Signal, wait: x.Wait},
					syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT)
			})(cmd, args)
		}}.command()
	cmd.Flags().SetInterspersed(false)
	f.add(cmd.Flags())
	return cmd
}
