package cli

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"workbench/core"
)

func init() {
	register(newKillCmd)
	register(newStopCmd)
}

func newKillCmd() *cobra.Command {
	var signal string
	cmd := &cobra.Command{
		Use:   "kill [-s SIGNAL] CONTAINER...",
		Short: "Send a signal to containers' PID 1, which passes it on (default KILL)",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			sig, err := core.ParseSignal(signal)
			if err != nil {
				return err
			}
			return eachContainer(cmd, args, func(e *core.Engine, c core.Container) error {
				return e.Kill(cmd.Context(), c, sig)
			})
		},
	}
	cmd.Flags().StringVarP(&signal, "signal", "s", "KILL", "signal to send: a name (TERM, HUP, INT...) or a number")
	return cmd
}

// stopTimeout is -t as a duration, or -1 (the container's own --stop-timeout) when
// -t is not given.
func stopTimeout(cmd *cobra.Command, secs int) time.Duration {
	if !cmd.Flags().Changed("time") {
		return -1
	}
	return time.Duration(secs) * time.Second
}

func newStopCmd() *cobra.Command {
	var secs int
	cmd := &cobra.Command{
		Use:   "stop [-t SECS] CONTAINER...",
		Short: "Stop containers: SIGTERM, then SIGKILL after a grace period",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if secs < 0 {
				return fmt.Errorf("-t %d is negative: give the seconds to wait before SIGKILL, e.g. -t 10", secs)
			}
			timeout := stopTimeout(cmd, secs)
			return eachContainer(cmd, args, func(e *core.Engine, c core.Container) error {
				_, err := e.Stop(cmd.Context(), c, timeout)
				return err
			})
		},
	}
	cmd.Flags().IntVarP(&secs, "time", "t", 10, "seconds to wait after SIGTERM before SIGKILL")
	setExamples(cmd.Flags(), map[string]string{"time": "10"})
	return cmd
}
