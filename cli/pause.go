package cli

import (
	"context"

	"github.com/spf13/cobra"

	"workbench/core"
)

func newPauseCmd() *cobra.Command {
	return freezerCmd("pause CONTAINER...", "Freeze every process of containers (the cgroup freezer)", (*core.Engine).Pause)
}

func newUnpauseCmd() *cobra.Command {
	return freezerCmd("unpause CONTAINER...", "Let the processes of paused containers run again", (*core.Engine).Unpause)
}

// freezerCmd is pause or unpause: set freezes or thaws each container named.
func freezerCmd(use, short string, set func(e *core.Engine, ctx context.Context, id string) (core.Container, error)) *cobra.Command {
	return leaf{use: use, short: short, args: cobra.MinimumNArgs(1),
		run: onEachContainer(func(cmd *cobra.Command, e *core.Engine, c core.Container) error {
			_, err := set(e, cmd.Context(), c.ID)
			return err
		})}.command()
}

func newRenameCmd() *cobra.Command {
	return leaf{use: "rename CONTAINER NEW_NAME", short: "Give a container a new name (in its peers' /etc/hosts too)", args: cobra.ExactArgs(2),
		run: onEngine(func(cmd *cobra.Command, e *core.Engine, args []string) error {
			_, err := e.Rename(cmd.Context(), args[0], args[1])
			return err
		})}.command()
}
