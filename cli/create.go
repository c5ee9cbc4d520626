package cli

import (
	"fmt"

	"github.com/spf13/cobra"
)

func init() { register(newCreateCmd) }

func newCreateCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:         "create [OPTIONS] IMAGE [COMMAND] [ARG...]",
		Short:       "Make a container from an image without starting it (start runs it)",
		Example:     "  workbench create --name web -p 8080:80 busybox httpd -f -p 80\n  workbench start web",
		Args:        cobra.MinimumNArgs(1),
		Annotations: map[string]string{makesContainer: "yes"},
	}
	flags := addAllRunFlags(cmd)
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		spec, err := flags.spec(cmd, args)
		if err != nil {
			return err
		}
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
	}
	return cmd
}
