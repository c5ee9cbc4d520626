package cli

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"workbench/labs"
)

func newDemoCmd() *cobra.Command {
	var start demoStart
	cmd := leaf{use: "demo [NAME [--from-start | --step N]]",
		short: "List the bundled labs and how far each was played, or play one step by step in the full-screen app",
		long: `Without a name, list the bundled labs (one or more per article the workbench reproduces)
and how far each was played in this instance. With a name (or a unique prefix, e.g. 000),
play that lab in the app: the narration in a banner, one step per key, the pane each step
is about in focus. A lab played before resumes where it stopped: the lab is made again
and the steps before are played without pauses. --from-start begins again, --step N
starts at step N. ` + "`workbench --script NAME`" + ` runs the same lab headless and checks every
expectation.`,
		example: `  workbench demo
  workbench demo 003              # resumes where it stopped
  workbench demo 003 --step 7     # the lab as it is at the start of step 7
  workbench demo 003 --from-start
  workbench --script 003-out-and-in`,
		args: cobra.MaximumNArgs(1),
		run: func(cmd *cobra.Command, args []string) error {
			start.stepGiven = cmd.Flags().Changed("step")
			if len(args) == 1 {
				return playDemo(cmd, args[0], start)
			}
			if start.fromStart || start.stepGiven {
				return fmt.Errorf("--from-start and --step go with the name of a lab, e.g. workbench demo 003 --step 7")
			}
			return listDemos(cmd)
		}}.command()
	cmd.Flags().BoolVar(&start.fromStart, "from-start", false, "play the lab from its first step, not from where it stopped")
	cmd.Flags().IntVar(&start.step, "step", 0, "start at this step (1 is the first): the steps before it are played first, without pauses")
	setExamples(cmd.Flags(), map[string]string{"step": "7"})
	return cmd
}

// listDemos lists the bundled labs with how far each was played in this instance (as
// root, who can read the instance's progress).
func listDemos(cmd *cobra.Command) error {
	all, err := labs.List()
	if err != nil {
		return err
	}
	var played labs.Progress
	if os.Geteuid() == 0 {
		inst, err := currentInstance()
		if err != nil {
			return err
		}
		if played, err = labs.LoadProgress(inst.DemoProgressPath()); err != nil {
			return err
		}
	}
	steps := map[string]int{}
	for _, l := range all {
		s, err := l.Script()
		if err != nil {
			return err
		}
		steps[l.Name] = s.PlaySteps()
	}
	return printTable(cmd, "NAME\tPROGRESS\tWHAT IT SHOWS", all, func(l labs.Lab) []any {
		return []any{l.Name, progressText(played.Steps[l.Name], steps[l.Name]), l.Title}
	})
}

// progressText says how far a lab of steps steps was played: "-", "step 7 of 19" or
// "all 19 steps".
func progressText(done, steps int) string {
	switch {
	case done <= 0:
		return "-"
	case done >= steps:
		return fmt.Sprintf("all %d steps", steps)
	}
	return fmt.Sprintf("step %d of %d", done, steps)
}
