package cli

import (
	"github.com/spf13/cobra"

	"workbench/core"
	"workbench/instance"
)

// newInternalMonitorCmd is the hidden command an instance's monitor runs as.
func newInternalMonitorCmd() *cobra.Command {
	return leaf{use: core.MonitorArg, short: "Be the instance's monitor, which holds every container's PID 1 (started by run, not by hand)",
		hidden: true, args: cobra.NoArgs,
		run: onInstance(func(cmd *cobra.Command, inst instance.Instance, _ []string) error {
			return ExitStatus{Code: core.RunMonitor(cmd.Context(), inst)}
		})}.command()
}
