package script

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"workbench/cmdlog"
)

// DefaultStepTimeout bounds one step, so a command that never returns cannot hang a lab.
const DefaultStepTimeout = 60 * time.Second

// Result is what one step did.
type Result struct {
	// Step is the step that ran.
	Step Step
	// Code is the exit status of a Command step.
	Code int
	// Ran is a Command step's line with its $(...) filled in, "" when it has none.
	Ran string
	// Output is what a Command printed, or what an expectation saw.
	Output string
	// Verdict is the verdict of an Expect step, nil for other steps.
	Verdict *Verdict
	// Failed is true for a failed command or a failed expectation.
	Failed bool
	// Elapsed is how long the step took.
	Elapsed time.Duration
}

// Runner runs a script's steps in order against a lab. A failed expectation is
// recorded and the script goes on; a failed command stops it, since every later step
// builds on what the commands made.
type Runner struct {
	script  *Script
	env     *Env
	next    int
	stopped *Result
	// StepTimeout bounds each step; zero means DefaultStepTimeout.
	StepTimeout time.Duration
	// Passed and Failed count the expectations checked so far.
	Passed, Failed int
	// Failures are the failed steps, in order.
	Failures []Result
}

// NewRunner prepares a run of s against env.
func NewRunner(s *Script, env *Env) *Runner { return &Runner{script: s, env: env} }

// Script is the script being run.
func (r *Runner) Script() *Script { return r.script }

// Done is true once every step ran or a failed command stopped the script.
func (r *Runner) Done() bool { return r.stopped != nil || r.next >= len(r.script.Steps) }

// Stopped is the failed command that stopped the script, or nil.
func (r *Runner) Stopped() *Result { return r.stopped }

// Next runs the next step and returns what it did. It must not be called once Done.
func (r *Runner) Next(ctx context.Context) Result {
	step := r.script.Steps[r.next]
	r.next++
	timeout := r.StepTimeout
	if timeout == 0 {
		timeout = DefaultStepTimeout
	}
	sctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	start := time.Now()
	res := Result{Step: step}
	switch step.Kind {
	case Command:
		args, err := step.Command.Expand(sctx, r.env)
		if err != nil {
			res.Code, res.Output = 1, err.Error()+"\n"
		} else {
			if step.Command.hasSubs() {
				// Show the line as it ran: the PIDs and paths the substitutions gave.
				res.Ran = cmdlog.Quote(args...)
			}
			res.Code, res.Output = runArgs(sctx, r.env, args)
		}
		if res.Code != 0 {
			res.Failed = true
			r.stopped = &res
			r.Failures = append(r.Failures, res)
		}
	case Sleep:
		select {
		case <-sctx.Done():
		case <-time.After(step.Duration):
		}
	case Expect:
		v := step.Check.Verify(sctx, r.env)
		if v.Pass && sctx.Err() != nil {
			v = Verdict{Detail: fmt.Sprintf("the check did not finish within %s", timeout)}
		}
		res.Verdict, res.Output, res.Failed = &v, v.Output, !v.Pass
		if v.Pass {
			r.Passed++
		} else {
			r.Failed++
			r.Failures = append(r.Failures, res)
		}
	}
	res.Elapsed = time.Since(start)
	return res
}

// OK is true when the run so far has no failed command and no failed expectation.
func (r *Runner) OK() bool { return r.stopped == nil && r.Failed == 0 }

// Run runs every step, printing each one, its output and each verdict to w, then a
// summary. It returns true when the whole script passed.
func (r *Runner) Run(ctx context.Context, w io.Writer) bool {
	fmt.Fprintf(w, "== %s\n", r.script.Name)
	for !r.Done() {
		if ctx.Err() != nil {
			fmt.Fprintf(w, "interrupted: %v\n", ctx.Err())
			return false
		}
		printResult(w, r.Next(ctx))
	}
	r.printSummary(w)
	return r.OK()
}

// maxShownLines bounds the output printed for one step.
const maxShownLines = 40

// printResult writes one step's report: the line, its output indented, and its verdict.
func printResult(w io.Writer, res Result) {
	step := res.Step
	switch step.Kind {
	case Say:
		fmt.Fprintf(w, "\n# %s\n", step.Text)
		return
	case Pause, Focus:
		return
	case Sleep:
		fmt.Fprintf(w, "  (%s)\n", step.Source)
		return
	case Command:
		fmt.Fprintf(w, "$ %s\n", step.Source)
		if res.Ran != "" {
			fmt.Fprintf(w, "  = %s\n", res.Ran)
		}
	case Expect:
		word := "PASS"
		if res.Failed {
			word = "FAIL"
		}
		fmt.Fprintf(w, "%s %s\n", word, step.Source)
	}
	printIndented(w, res.Output)
	switch {
	case res.Verdict != nil && res.Failed:
		fmt.Fprintf(w, "     => line %d: %s\n", step.Line, res.Verdict.Detail)
	case res.Verdict != nil:
		fmt.Fprintf(w, "     => %s\n", res.Verdict.Detail)
	case res.Failed:
		fmt.Fprintf(w, "     => line %d: the command failed with exit status %d; the steps after it did not run\n", step.Line, res.Code)
	}
	if res.Failed && step.Hint != "" {
		fmt.Fprintf(w, "     hint: %s\n", step.Hint)
	}
}

func printIndented(w io.Writer, out string) {
	out = strings.TrimRight(out, "\n")
	if out == "" {
		return
	}
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		if i == maxShownLines {
			fmt.Fprintf(w, "     | ... %d more lines\n", len(lines)-i)
			break
		}
		fmt.Fprintf(w, "     | %s\n", l)
	}
}

// printSummary writes the totals and every failure with its line.
func (r *Runner) printSummary(w io.Writer) {
	fmt.Fprintf(w, "\n%s: %d expectations, %d passed, %d failed\n", r.script.Name, r.Passed+r.Failed, r.Passed, r.Failed)
	for _, f := range r.Failures {
		why := fmt.Sprintf("exit status %d", f.Code)
		if f.Verdict != nil {
			why = f.Verdict.Detail
		}
		fmt.Fprintf(w, "  %s:%d: %s: %s\n", r.script.Name, f.Step.Line, f.Step.Source, why)
		if f.Step.Hint != "" {
			fmt.Fprintf(w, "    hint: %s\n", f.Step.Hint)
		}
	}
	if r.stopped != nil {
		fmt.Fprintf(w, "  stopped at %s:%d: the steps after it did not run\n", r.script.Name, r.stopped.Step.Line)
	}
}

// lockedWriter lets a command write its output and errors from several goroutines
// into one buffer.
type lockedWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

// Write appends to the buffer.
func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// String is everything written so far.
func (l *lockedWriter) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.String()
}
