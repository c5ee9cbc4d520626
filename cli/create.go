package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"workbench/core"
)

func newCreateCmd() *cobra.Command {
	return containerMaker(leaf{use: "create [OPTIONS] IMAGE [COMMAND] [ARG...]",
		short: "Make a container from an image without starting it (start runs it)",
		example: `  workbench create --name web -p 8080:80 busybox httpd -f -p 80
  workbench start web`},
		func(cmd *cobra.Command, _ *allRunFlags, spec core.RunSpec) error {
			e, err := openEngine(cmd)
			if err != nil {
				return err
			}
			c, err := e.Create(cmd.Context(), spec)
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), c.ID)
			return nil
		})
}
