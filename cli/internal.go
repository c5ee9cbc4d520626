package cli

import (
	"strings"

	"github.com/spf13/cobra"

	"workbench/core"
)

func init() {
	register(newInternalInitCmd)
	register(newInternalSuperviseCmd)
}

// newInternalInitCmd is the hidden command a container's PID 1 runs as.
func newInternalInitCmd() *cobra.Command {
	return &cobra.Command{
		Use:                core.InitArg,
		Short:              "Be a container's PID 1 (started by run, not by hand)",
		Hidden:             true,
		DisableFlagParsing: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return ExitStatus{Code: core.RunInit()}
		},
	}
}

// newInternalSuperviseCmd is the hidden command a detached container's supervisor
// runs as.
func newInternalSuperviseCmd() *cobra.Command {
	return &cobra.Command{
		Use:    core.SuperviseArg + " ID instance=NAME attach=[i][o][e]",
		Short:  "Supervise a detached container (started by run -d, not by hand)",
		Hidden: true,
		Args:   cobra.ExactArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			inst, err := currentInstance()
			if err != nil {
				return err
			}
			return ExitStatus{Code: core.Supervise(cmd.Context(), inst, args[0], strings.TrimPrefix(args[2], "attach="))}
		},
	}
}
