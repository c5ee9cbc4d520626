package script

import (
	"context"
	"fmt"
	"strings"
)

// Player plays a script as a lesson, one step at a time: a step is what one Advance
// runs, the script's lines up to and including the next command or expectation, or up
// to the next `pause`. It keeps the narration and the pane the lab is about at that
// point. A person may go Back a step, or Restart the lab at the start of any step: the
// lab is removed and the steps before that one are played again without pauses.
type Player struct {
	*Runner
	// Narration is the text of the latest `say` line.
	Narration string
	// Focus is the pane named by the latest `focus` line, "" before any.
	Focus string
	// Hint is the hint of the step that failed in the latest beat; "" when nothing
	// failed in it or the failed step has no hint.
	Hint string
	// OnProgress, when set, is called with the progress after each Advance, Back and
	// Restart, so that how far the person got can be recorded.
	OnProgress func(Progress)

	ends []int // for each step, the index of the script line after its last
}

// Progress is how far a play of a script has got.
type Progress struct {
	// Step is how many steps have run: 0 before the first, Steps once all have.
	Step int
	// Steps is how many steps the script has.
	Steps int
}

// resetArgs is the command line Restart runs to remove the lab: every container, host
// and network of the instance, but not its image store (nor what is kept beside it).
var resetArgs = []string{"reset", "--keep-images"}

// NewPlayer prepares a step-by-step play of s against env.
func NewPlayer(s *Script, env *Env) *Player {
	return &Player{Runner: NewRunner(s, env), ends: stepEnds(s)}
}

// PlaySteps is how many steps a Player takes to play the script.
func (s *Script) PlaySteps() int { return len(stepEnds(s)) }

// stepEnds are, for each step of a play, the index of the script line after its last:
// a step ends with a command, an expectation or a pause, and the lines after the last
// of those make a step of their own.
func stepEnds(s *Script) []int {
	var ends []int
	for i, st := range s.Steps {
		switch st.Kind {
		case Pause, Command, Expect:
			ends = append(ends, i+1)
		}
	}
	if n := len(s.Steps); n > 0 && (len(ends) == 0 || ends[len(ends)-1] != n) {
		ends = append(ends, n)
	}
	return ends
}

// Steps is how many steps the script has.
func (p *Player) Steps() int { return len(p.ends) }

// Step is how many steps have run: 0 before the first, Steps once all have (or fewer
// when a failed command stopped the script).
func (p *Player) Step() int {
	n := 0
	for n < len(p.ends) && p.ends[n] <= p.next {
		n++
	}
	return n
}

// Progress is how far the play has got.
func (p *Player) Progress() Progress { return Progress{Step: p.Step(), Steps: p.Steps()} }

// Advance runs the next step and returns what each of its lines did.
func (p *Player) Advance(ctx context.Context) []Result {
	out := p.advance(ctx)
	p.report()
	return out
}

func (p *Player) advance(ctx context.Context) []Result {
	var out []Result
	p.Hint = ""
	for !p.Done() {
		res := p.Next(ctx)
		out = append(out, res)
		if res.Failed {
			p.Hint = res.Step.Hint
		}
		switch res.Step.Kind {
		case Say:
			p.Narration = res.Step.Text
		case Focus:
			p.Focus = res.Step.Text
		case Pause, Command, Expect:
			return out
		}
	}
	return out
}

// Back goes back one step: the lab is removed and the steps before the last one that
// ran are played again, so that the next Advance runs that step again.
func (p *Player) Back(ctx context.Context) ([]Result, error) {
	if p.Step() == 0 {
		return nil, fmt.Errorf("%s is at its first step: there is no step before it", p.script.Name)
	}
	return p.Restart(ctx, p.Step())
}

// Restart sets the lab back to the start of step at (1 to Steps): it removes the lab
// with resetArgs, then plays steps 1 to at-1 without pauses, so that the next Advance
// runs step at. It returns what the steps played did. The counts of expectations start
// again from zero. A command that fails while the steps are played stops it with an
// error, and the lab stays as far as it got.
func (p *Player) Restart(ctx context.Context, at int) ([]Result, error) {
	if at < 1 || at > p.Steps() {
		return nil, fmt.Errorf("%s has steps 1 to %d: there is no step %d", p.script.Name, p.Steps(), at)
	}
	if code, out := runArgs(ctx, p.env, resetArgs); code != 0 {
		return nil, fmt.Errorf("remove the lab (%s): %s", strings.Join(resetArgs, " "), strings.TrimSpace(out))
	}
	fresh := NewRunner(p.script, p.env)
	fresh.StepTimeout = p.StepTimeout
	p.Runner, p.Narration, p.Focus, p.Hint = fresh, "", "", ""
	defer p.report()
	var out []Result
	for p.Step() < at-1 && !p.Done() {
		if err := ctx.Err(); err != nil {
			return out, fmt.Errorf("%s: playing the steps before step %d was interrupted: %w", p.script.Name, at, err)
		}
		out = append(out, p.advance(ctx)...)
	}
	if s := p.Stopped(); s != nil {
		return out, fmt.Errorf("%s:%d: step %d failed while the steps before step %d were played (exit status %d): %s", p.script.Name, s.Step.Line, p.Step(), at, s.Code, s.Step.Source)
	}
	return out, nil
}

// report gives the progress to OnProgress.
func (p *Player) report() {
	if p.OnProgress != nil {
		p.OnProgress(p.Progress())
	}
}
