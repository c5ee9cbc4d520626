package script

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"
)

// Commander runs one CLI command line with the given streams and returns its exit
// status; cli.Run is the one the workbench uses, so a script line means what it means
// at the shell.
type Commander func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int

// Lab finds the kernel objects behind the names a script uses.
type Lab interface {
	// NetnsPath is the network namespace file of a lab host or a container.
	NetnsPath(ctx context.Context, p Place) (string, error)
	// CPUClock finds a container's cgroup and returns a reader of the CPU time its
	// processes have used so far; the reader is quick, so a window is measured exactly.
	CPUClock(ctx context.Context, container string) (func() (time.Duration, error), error)
}

// Env is what a check runs against.
type Env struct {
	// Run runs CLI command lines.
	Run Commander
	// Lab locates hosts and containers.
	Lab Lab
}

// Place is where a probe runs: a lab host (written @NAME) or a container.
type Place struct {
	// Name is the host or container name.
	Name string
	// Host is true for a lab host.
	Host bool
}

// String writes the place as a script does: @HOST or the container name.
func (p Place) String() string {
	if p.Host {
		return "@" + p.Name
	}
	return p.Name
}

// Verdict is the result of one check.
type Verdict struct {
	// Pass is true when the lab is as expected.
	Pass bool
	// Detail says what was seen, in one line.
	Detail string
	// Output is what the checked command printed or the packets captured, if any.
	Output string
}

// Check is one expectation of a script.
type Check interface {
	// Verify looks at the lab and says whether it is as expected.
	Verify(ctx context.Context, env *Env) Verdict
}

// runCommand runs a command line and returns its status and everything it printed; a
// substitution that fails is the command's failure.
func runCommand(ctx context.Context, env *Env, cl CommandLine) (int, string) {
	args, err := cl.Expand(ctx, env)
	if err != nil {
		return 1, err.Error() + "\n"
	}
	return runArgs(ctx, env, args)
}

// runArgs runs the words of a command line. A leading `workbench` is dropped, as lines
// are often pasted from a shell.
func runArgs(ctx context.Context, env *Env, args []string) (int, string) {
	if len(args) > 1 && args[0] == "workbench" {
		args = args[1:]
	}
	var out bytes.Buffer
	w := &lockedWriter{w: &out}
	code := env.Run(ctx, args, strings.NewReader(""), w, w)
	return code, w.String()
}

// statusCheck is `expect ok|fail CMD`.
type statusCheck struct {
	args     CommandLine
	wantFail bool
}

// Verify runs the command and compares its exit status with the expectation.
func (c *statusCheck) Verify(ctx context.Context, env *Env) Verdict {
	code, out := runCommand(ctx, env, c.args)
	v := Verdict{Pass: (code != 0) == c.wantFail, Output: out}
	v.Detail = fmt.Sprintf("exit status %d", code)
	return v
}

// outputCond is one condition on a command's output.
type outputCond struct {
	op   string // contains, lacks or matches
	text string
	re   *regexp.Regexp
}

// outputCheck is `expect output CMD contains|lacks|matches ...`.
type outputCheck struct {
	args  CommandLine
	conds []outputCond
}

// Verify runs the command and checks every condition on what it printed.
func (c *outputCheck) Verify(ctx context.Context, env *Env) Verdict {
	code, out := runCommand(ctx, env, c.args)
	v := Verdict{Pass: true, Output: out}
	var failed []string
	for _, cond := range c.conds {
		ok := false
		switch cond.op {
		case "contains":
			ok = strings.Contains(out, cond.text)
		case "lacks":
			ok = !strings.Contains(out, cond.text)
		case "matches":
			ok = cond.re.MatchString(out)
		}
		if !ok {
			v.Pass = false
			failed = append(failed, fmt.Sprintf("%s %q", cond.op, cond.text))
		}
	}
	switch {
	case code != 0:
		v.Pass = false
		v.Detail = fmt.Sprintf("the command failed with exit status %d", code)
	case v.Pass:
		v.Detail = "the output is as expected"
	default:
		v.Detail = "the output does not satisfy: " + strings.Join(failed, ", ")
	}
	return v
}
