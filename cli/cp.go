package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

func newCpCmd() *cobra.Command {
	var archive bool
	cmd := leaf{use: "cp [-a] CONTAINER:SRC DEST|-  or  cp [-a] SRC|- CONTAINER:DEST",
		short: "Copy files between a container and the machine (- is a tar on standard input or output)",
		example: `  workbench cp web:/etc/hosts ./hosts
  workbench cp ./site web:/srv
  tar -c site | workbench cp - web:/srv`,
		args: cobra.ExactArgs(2),
		run: func(cmd *cobra.Command, args []string) error {
			from, fromPath, fromIn := splitContainerPath(args[0])
			to, toPath, toIn := splitContainerPath(args[1])
			switch {
			case fromIn && toIn:
				return fmt.Errorf("cp copies between a container and the machine, not between two containers: copy through the machine")
			case !fromIn && !toIn:
				return fmt.Errorf("cp needs a container on one side: CONTAINER:PATH, e.g. workbench cp web:/etc/hosts ./hosts")
			case fromIn:
				e, c, err := lookupContainer(cmd, from)
				if err != nil {
					return err
				}
				return e.CopyFrom(cmd.Context(), c, fromPath, args[1], cmd.OutOrStdout(), archive)
			}
			e, c, err := lookupContainer(cmd, to)
			if err != nil {
				return err
			}
			return e.CopyTo(cmd.Context(), c, args[0], cmd.InOrStdin(), toPath, archive)
		}}.command()
	cmd.Flags().BoolVarP(&archive, "archive", "a", false, "keep the owners (uid and gid) of what is copied")
	return cmd
}

// splitContainerPath reads CONTAINER:PATH; a path with a slash before the colon, or
// none, is the machine's.
func splitContainerPath(s string) (container, path string, ok bool) {
	name, p, found := strings.Cut(s, ":")
	if !found || name == "" || strings.Contains(name, "/") || p == "" {
		return "", s, false
	}
	return name, p, true
}
