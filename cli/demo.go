package cli

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"workbench/labs"
)

func init() { register(newDemoCmd) }

func newDemoCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "demo [NAME]",
		Short: "List the bundled labs, or play one step by step in the full-screen app",
		Long: "Without a name, list the bundled labs (one or more per article the workbench reproduces).\n" +
			"With a name (or a unique prefix, e.g. 000), play that lab in the app: the narration in a\n" +
			"banner, one step per key, the pane each step is about in focus. `workbench --script NAME`\n" +
			"runs the same lab headless and checks every expectation.",
		Example: "  workbench demo\n  workbench demo 000\n  workbench --script 003-out-and-in",
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				return playDemo(cmd, args[0])
			}
			all, err := labs.List()
			if err != nil {
				return err
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "NAME\tWHAT IT SHOWS")
			for _, l := range all {
				fmt.Fprintf(w, "%s\t%s\n", l.Name, l.Title)
			}
			return w.Flush()
		},
	}
}

// playDemo plays a bundled lab in the app.
func playDemo(cmd *cobra.Command, name string) error {
	lab, err := labs.Get(name)
	if err != nil {
		return err
	}
	if _, err := lab.Script(); err != nil {
		return err
	}
	return fmt.Errorf("playing %s in the app is not in this build: run it headless with `workbench --script %s`", lab.Name, lab.Name)
}
