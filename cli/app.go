package cli

import (
	"os"

	"github.com/spf13/cobra"

	"workbench/tui"
)

// `workbench` with no command opens the full-screen app.
func init() { rootRun = runApp }

func runApp(cmd *cobra.Command, _ []string) error {
	if err := needRoot(cmd); err != nil {
		return err
	}
	inst, err := currentInstance()
	if err != nil {
		return err
	}
	exe, err := os.Executable()
	if err != nil {
		exe = ""
	}
	var names []string
	for _, c := range cmd.Root().Commands() {
		if !c.Hidden {
			names = append(names, c.Name())
		}
	}
	opts := tui.Options{Run: Run, Commands: names, Executable: exe, Panes: tui.DefaultPanes(inst)}
	return tui.Run(cmd.Context(), opts, cmd.InOrStdin(), cmd.OutOrStdout())
}
