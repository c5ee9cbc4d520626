package cli

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"workbench/labs"
	"workbench/script"
	"workbench/tui"
)

// demoStart says where a demo starts: where the lab stopped last time, at its first
// step, or at a given step.
type demoStart struct {
	fromStart bool
	step      int
	stepGiven bool
}

// at is the step to start at, 1 to steps, given how many steps were played before;
// note says why it is not the one after those, "" when it is.
func (d demoStart) at(name string, steps, played int) (at int, note string, err error) {
	switch {
	case d.fromStart && d.stepGiven:
		return 0, "", fmt.Errorf("--from-start and --step both say where to start: give one of them")
	case d.stepGiven && (d.step < 1 || d.step > steps):
		return 0, "", fmt.Errorf("--step %d: %s has steps 1 to %d", d.step, name, steps)
	case d.stepGiven:
		return d.step, "", nil
	case d.fromStart || played <= 0:
		return 1, "", nil
	case played >= steps:
		return 1, fmt.Sprintf("%s was played to its end: it starts again at step 1 (--step N starts at another)", name), nil
	}
	return played + 1, "", nil
}

// playDemo plays a bundled lab in the app, in the current instance, from where start
// says: the lab is made again up to there, then played step by step. How far the
// person gets is kept in the instance's demo progress; the lab stays standing at the
// end so that it can be explored.
func playDemo(cmd *cobra.Command, name string, start demoStart) error {
	lab, err := labs.Get(name)
	if err != nil {
		return err
	}
	s, err := lab.Script()
	if err != nil {
		return err
	}
	if _, _, err := start.at(lab.Name, s.PlaySteps(), 0); err != nil {
		return err // a bad flag, said before anything runs
	}
	inst, err := rootInstance(cmd)
	if err != nil {
		return err
	}
	path := inst.DemoProgressPath()
	played, err := labs.LoadProgress(path)
	if err != nil {
		return err
	}
	standing := standingLab(inst)
	if standing != "" && played.Standing == "" {
		return fmt.Errorf("instance %s already has a lab standing (%s) that no demo made, and a demo removes the lab to play its steps: `workbench reset --keep-images` first, or play it in another instance (WORKBENCH_INSTANCE=demo1)", inst.Name, standing)
	}
	at, note, err := start.at(lab.Name, s.PlaySteps(), played.Steps[lab.Name])
	if err != nil {
		return err
	}
	out := cmd.OutOrStdout()
	if note != "" {
		fmt.Fprintln(out, note)
	}
	if standing != "" {
		fmt.Fprintf(out, "the lab that the demo of %s left standing is removed (its progress is kept)\n", played.Standing)
	}
	player := script.NewPlayer(s, &script.Env{Run: Run, Lab: newScriptLab(inst)})
	// The app plays steps in the background, and one may still run when it quits.
	var mu sync.Mutex
	var last script.Progress
	var saveErr error
	player.OnProgress = func(p script.Progress) {
		mu.Lock()
		defer mu.Unlock()
		played.Played(lab.Name, p.Step)
		if err := played.Save(path); err != nil && saveErr == nil {
			saveErr = err
		}
		last = p
	}
	if err := replayTo(cmd, lab.Name, player, at); err != nil {
		return err
	}
	err = tui.RunDemo(cmd.Context(), appOptions(cmd, inst), tui.NewDemo(lab.Name, player), cmd.InOrStdin(), out)
	mu.Lock()
	defer mu.Unlock()
	if err == nil {
		err = saveErr
	}
	if last.Step < last.Steps {
		fmt.Fprintf(out, "%s: %s; `workbench demo %s` goes on from there\n", lab.Name, progressText(last.Step, last.Steps), lab.Name)
	}
	return err
}

// replayTo makes the lab again up to the start of step at: the lab is removed and the
// steps before played without pauses, each failed expectation reported.
func replayTo(cmd *cobra.Command, name string, player *script.Player, at int) error {
	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	out := cmd.OutOrStdout()
	if at > 1 {
		fmt.Fprintf(out, "%s: playing steps 1 to %d again, to start at step %d of %d\n", name, at-1, at, player.Steps())
	}
	began := time.Now()
	ran, err := player.Restart(ctx, at)
	printFailures(out, player.Script().Name, ran)
	if err != nil {
		return err
	}
	if at > 1 {
		fmt.Fprintf(out, "%s: %d lines in %.1fs, %d expectations passed, %d failed\n", name, len(ran), time.Since(began).Seconds(), player.Passed, player.Failed)
	}
	return nil
}

// printFailures writes each failed step of ran with its hint.
func printFailures(out io.Writer, name string, ran []script.Result) {
	for _, r := range ran {
		if !r.Failed {
			continue
		}
		lines := strings.Split(strings.TrimSpace(r.Output), "\n")
		why := fmt.Sprintf("exit status %d: %s", r.Code, lines[len(lines)-1])
		if r.Verdict != nil {
			why = r.Verdict.Detail
		}
		fmt.Fprintf(out, "  %s:%d: %s: %s\n", name, r.Step.Line, r.Step.Source, why)
		if r.Step.Hint != "" {
			fmt.Fprintf(out, "    hint: %s\n", r.Step.Hint)
		}
	}
}
