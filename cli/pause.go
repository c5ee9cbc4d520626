package cli

import (
	"github.com/spf13/cobra"

	"workbench/core"
)

func init() {
	register(newPauseCmd)
	register(newUnpauseCmd)
	register(newRenameCmd)
}

func newPauseCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "pause CONTAINER...",
		Short: "Freeze every process of containers (the cgroup freezer)",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return eachContainer(cmd, args, func(e *core.Engine, c core.Container) error {
				_, err := e.Pause(cmd.Context(), c.ID)
				return err
			})
		},
	}
}

func newUnpauseCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "unpause CONTAINER...",
		Short: "Let the processes of paused containers run again",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return eachContainer(cmd, args, func(e *core.Engine, c core.Container) error {
				_, err := e.Unpause(cmd.Context(), c.ID)
				return err
			})
		},
	}
}

func newRenameCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "rename CONTAINER NEW_NAME",
		Short: "Give a container a new name (in its peers' /etc/hosts too)",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			e, err := openEngine(cmd)
			if err != nil {
				return err
			}
			_, err = e.Rename(cmd.Context(), args[0], args[1])
			return err
		},
	}
}
