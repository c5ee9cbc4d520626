package cli

import (
	"errors"
	"os"

	"github.com/spf13/cobra"

	"workbench/instance"
	"workbench/tui"
)

// `workbench` with no command opens the full-screen app.

func runApp(cmd *cobra.Command, _ []string) error {
	if !isTerminal(cmd.InOrStdin()) || !isTerminal(cmd.OutOrStdout()) {
		return errNoTerminal
	}
	inst, err := rootInstance(cmd)
	if err != nil {
		return err
	}
	return tui.Run(cmd.Context(), appOptions(cmd, inst), cmd.InOrStdin(), cmd.OutOrStdout())
}

// errNoTerminal is what `workbench` says when its input or output is not a terminal.
var errNoTerminal = errors.New("the workbench app needs a terminal; use a subcommand or --script")

// appOptions are what the app is made of on an instance (the demo of a lab uses them too).
func appOptions(cmd *cobra.Command, inst instance.Instance) tui.Options {
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
	return tui.Options{Run: Run, Kind: appKind, Commands: names, Executable: exe, Prepare: tui.PrepareLab, Panes: tui.DefaultPanes(inst, Run)}
}
