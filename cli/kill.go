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
				if err := e.Kill(cmd.Context(), c, sig); err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), name)
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&signal, "signal", "s", "KILL", "signal to send: a name (TERM, HUP, INT...) or a number")
	return cmd
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
				if _, err := e.Stop(cmd.Context(), c, time.Duration(secs)*time.Second); err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), name)
			}
			return nil
		},
	}
	cmd.Flags().IntVarP(&secs, "time", "t", 10, "seconds to wait after SIGTERM before SIGKILL")
	return cmd
}
