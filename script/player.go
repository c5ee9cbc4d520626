package script

import "context"

// Player plays a script in the app one beat at a time: each Advance runs the steps up
// to and including the next command or expectation, or up to the next `pause`, and
// keeps the narration and the pane the lab is about at that point.
type Player struct {
	*Runner
	// Narration is the text of the latest `say` line.
	Narration string
	// Focus is the pane named by the latest `focus` line, "" before any.
	Focus string
	// Hint is the hint of the step that failed in the latest beat; "" when nothing
	// failed in it or the failed step has no hint.
	Hint string
}

// NewPlayer prepares a step-by-step play of s against env.
func NewPlayer(s *Script, env *Env) *Player { return &Player{Runner: NewRunner(s, env)} }

// Advance runs the next beat and returns what each of its steps did.
func (p *Player) Advance(ctx context.Context) []Result {
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
