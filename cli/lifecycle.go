package cli

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"workbench/core"
)

// The commands of a container's life after run: start, restart, stop, kill, wait, rm.

func newStartCmd() *cobra.Command {
	var attach, interactive bool
	cmd := leaf{use: "start [-a] [-i] CONTAINER...", short: "Start stopped containers again with their spec, their writable layer as they left it",
		example: `  workbench start web
  workbench start -ai shell`,
		args: cobra.MinimumNArgs(1),
		run: func(cmd *cobra.Command, args []string) error {
			if !attach {
				return onEachContainer(func(cmd *cobra.Command, e *core.Engine, c core.Container) error {
					_, _, err := e.Start(cmd.Context(), c.ID, nil)
					return startStatus(cmd, err)
				})(cmd, args)
			}
			if len(args) > 1 {
				return fmt.Errorf("start -a attaches to one container: name only one")
			}
			return onEngine(func(cmd *cobra.Command, e *core.Engine, args []string) error {
				stdio := commandStdio(cmd, interactive)
				c, a, err := e.Start(cmd.Context(), args[0], &stdio)
				switch {
				case err != nil:
					return startStatus(cmd, err)
				case a == nil:
					return fmt.Errorf("container %s is running already: attach to it with workbench logs -f %s", c.Name, c.Name)
				}
				return followAttached(cmd, e, a, c.Tty && interactive)
			})(cmd, args)
		}}.command()
	cmd.Flags().BoolVarP(&attach, "attach", "a", false, "attach to its output and wait for its end (one container)")
	cmd.Flags().BoolVarP(&interactive, "interactive", "i", false, "attach its input too")
	return cmd
}

func newRestartCmd() *cobra.Command {
	return graceCmd("restart [-t SECS] CONTAINER...", "Stop containers (SIGTERM, then SIGKILL after SECS) and start them again",
		func(cmd *cobra.Command, e *core.Engine, c core.Container, d time.Duration) error {
			_, err := e.Restart(cmd.Context(), c, d)
			return startStatus(cmd, err)
		})
}

func newKillCmd() *cobra.Command {
	var signal string
	cmd := leaf{use: "kill [-s SIGNAL] CONTAINER...", short: "Send a signal to containers' PID 1, which passes it on (default KILL)", args: cobra.MinimumNArgs(1),
		run: func(cmd *cobra.Command, args []string) error {
			sig, err := core.ParseSignal(signal)
			if err != nil {
				return err
			}
			return onEachContainer(func(cmd *cobra.Command, e *core.Engine, c core.Container) error { return e.Kill(cmd.Context(), c, sig) })(cmd, args)
		}}.command()
	cmd.Flags().StringVarP(&signal, "signal", "s", "KILL", "signal to send: a name (TERM, HUP, INT...) or a number")
	return cmd
}

func newStopCmd() *cobra.Command {
	return graceCmd("stop [-t SECS] CONTAINER...", "Stop containers: SIGTERM, then SIGKILL after a grace period",
		func(cmd *cobra.Command, e *core.Engine, c core.Container, d time.Duration) error {
			_, err := e.Stop(cmd.Context(), c, d)
			return err
		})
}

// graceCmd is stop or restart, with -t SECS, how long a container has between SIGTERM
// and SIGKILL: it checks the flag, then applies act to each container named, with the
// grace period: -1 when -t is not given, which means the container's own
// --stop-timeout.
func graceCmd(use, short string, act func(cmd *cobra.Command, e *core.Engine, c core.Container, d time.Duration) error) *cobra.Command {
	var secs int
	cmd := leaf{use: use, short: short, args: cobra.MinimumNArgs(1),
		run: func(cmd *cobra.Command, args []string) error {
			if secs < 0 {
				return fmt.Errorf("-t %d is negative: give the seconds to wait before SIGKILL, e.g. -t 10", secs)
			}
			d := time.Duration(secs) * time.Second
			if !cmd.Flags().Changed("time") {
				d = -1
			}
			return onEachContainer(func(cmd *cobra.Command, e *core.Engine, c core.Container) error { return act(cmd, e, c, d) })(cmd, args)
		}}.command()
	cmd.Flags().IntVarP(&secs, "time", "t", 10, "seconds to wait after SIGTERM before SIGKILL")
	setExamples(cmd.Flags(), map[string]string{"time": "10"})
	return cmd
}

func newWaitCmd() *cobra.Command {
	return leaf{use: "wait CONTAINER", short: "Wait for a container to end and print its exit status", args: cobra.ExactArgs(1),
		run: onContainer(func(cmd *cobra.Command, e *core.Engine, c core.Container, _ []string) error {
			c, err := e.WaitExit(cmd.Context(), c)
			if err == nil {
				fmt.Fprintln(cmd.OutOrStdout(), c.ExitCode)
			}
			return err
		})}.command()
}

func newRmCmd() *cobra.Command {
	var opts core.RemoveOptions
	cmd := leaf{use: "rm [-f] [-v] CONTAINER...", short: "Remove containers (a running one only with -f, which kills it; its anonymous volumes with -v)", args: cobra.MinimumNArgs(1),
		run: onEachContainer(func(cmd *cobra.Command, e *core.Engine, c core.Container) error {
			return e.Remove(cmd.Context(), c, opts)
		})}.command()
	cmd.Flags().BoolVarP(&opts.Force, "force", "f", false, "kill a running container first")
	cmd.Flags().BoolVarP(&opts.Volumes, "volumes", "v", false, "remove its anonymous volumes too (named ones stay)")
	return cmd
}
