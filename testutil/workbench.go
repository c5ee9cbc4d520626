package testutil

import (
	"bytes"
	"errors"
	"os/exec"
	"strings"
	"testing"

	"workbench/instance"
)

// Result is what one run of the workbench binary printed and the status it ended with.
type Result struct {
	Out, Err string
	Code     int
}

// Run runs the workbench binary with args in the test's instance, with stdin as its
// input; a binary that cannot be started fails the test.
func Run(t testing.TB, stdin string, args ...string) Result {
	t.Helper()
	cmd := exec.Command(Binary(t), args...)
	var out, errb bytes.Buffer
	cmd.Stdin, cmd.Stdout, cmd.Stderr = strings.NewReader(stdin), &out, &errb
	err := cmd.Run()
	r := Result{Out: out.String(), Err: errb.String()}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		r.Code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run workbench %v: %v", args, err)
	}
	return r
}

// MustRun runs the workbench binary with args and returns its standard output; the
// test fails unless it succeeds.
func MustRun(t testing.TB, args ...string) string {
	t.Helper()
	r := Run(t, "", args...)
	if r.Code != 0 {
		t.Fatalf("workbench %s: exit %d: %s%s", strings.Join(args, " "), r.Code, r.Out, r.Err)
	}
	return r.Out
}

// Start starts the workbench binary with args in the test's instance without waiting
// for it; unless it was waited for, the test's end kills and reaps it.
func Start(t testing.TB, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(Binary(t), args...)
	if err := cmd.Start(); err != nil {
		t.Fatalf("start workbench %v: %v", args, err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	return cmd
}

// NewLab readies an end-to-end test as KernelTest does, and removes its instance with
// `workbench reset` when it ends.
func NewLab(t testing.TB) instance.Instance {
	t.Helper()
	inst := KernelTest(t)
	t.Cleanup(func() {
		if r := Run(t, "", "reset"); r.Code != 0 {
			t.Errorf("reset: %s", r.Err)
		}
	})
	return inst
}

// Output runs the workbench binary with args in the test's instance and returns what
// it printed (standard output, then standard error) and its exit status.
func Output(t testing.TB, args ...string) (string, int) {
	t.Helper()
	r := Run(t, "", args...)
	return r.Out + r.Err, r.Code
}
