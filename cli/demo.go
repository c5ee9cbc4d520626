package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"workbench/labs"
	"workbench/script"
	"workbench/tui"
)

func init() { register(newDemoCmd) }

func newDemoCmd() *cobra.Command {
	return leaf{use: "demo [NAME]",
		short: "List the bundled labs, or play one step by step in the full-screen app",
		long: "Without a name, list the bundled labs (one or more per article the workbench reproduces).\n" +
			"With a name (or a unique prefix, e.g. 000), play that lab in the app: the narration in a\n" +
			"banner, one step per key, the pane each step is about in focus. `workbench --script NAME`\n" +
			"runs the same lab headless and checks every expectation.",
		example: "  workbench demo\n  workbench demo 000\n  workbench --script 003-out-and-in",
		args:    cobra.MaximumNArgs(1),
		run: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				return playDemo(cmd, args[0])
			}
			all, err := labs.List()
			if err != nil {
				return err
			}
			return printTable(cmd, "NAME\tWHAT IT SHOWS", all, func(l labs.Lab) []any { return []any{l.Name, l.Title} })
		}}.command()
}

// playDemo plays a bundled lab in the app, in the current instance; the lab stays
// standing at the end so that it can be explored.
func playDemo(cmd *cobra.Command, name string) error {
	lab, err := labs.Get(name)
	if err != nil {
		return err
	}
	s, err := lab.Script()
	if err != nil {
		return err
	}
	inst, err := rootInstance(cmd)
	if err != nil {
		return err
	}
	if what := standingLab(inst); what != "" {
		return fmt.Errorf("instance %s already has a lab standing (%s) and the lab's names may clash with it: `workbench reset` first, or play it in another instance (WORKBENCH_INSTANCE=demo1)", inst.Name, what)
	}
	player := script.NewPlayer(s, &script.Env{Run: Run, Lab: newScriptLab(inst)})
	return tui.RunDemo(cmd.Context(), appOptions(cmd, inst), tui.NewDemo(lab.Name, player), cmd.InOrStdin(), cmd.OutOrStdout())
}
