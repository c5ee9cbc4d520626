package cli

import (
	"bytes"
	"errors"
	"os/exec"
	"strings"
	"testing"

	"workbench/testutil"
)

// wbResult is what one run of the workbench binary printed and returned.
type wbResult struct {
	out, err string
	code     int
}

// wb runs the workbench binary in the test's instance with stdin as its input.
func wb(t *testing.T, stdin string, args ...string) wbResult {
	t.Helper()
	cmd := exec.Command(testutil.Binary(t), args...)
	var out, errb bytes.Buffer
	cmd.Stdin, cmd.Stdout, cmd.Stderr = strings.NewReader(stdin), &out, &errb
	err := cmd.Run()
	r := wbResult{out: out.String(), err: errb.String()}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run workbench %v: %v", args, err)
	}
	return r
}

// mustWB runs the binary and fails the test unless it succeeds.
func mustWB(t *testing.T, args ...string) string {
	t.Helper()
	r := wb(t, "", args...)
	if r.code != 0 {
		t.Fatalf("workbench %s: exit %d: %s%s", strings.Join(args, " "), r.code, r.out, r.err)
	}
	return r.out
}

// dockerLab gives the test an instance of its own, reset at the end, and checks the
// machine's network is left as it was.
func dockerLab(t *testing.T) {
	t.Helper()
	testutil.RequireRoot(t)
	testutil.KeepMachineNetwork(t)
	testutil.NewInstance(t)
	t.Cleanup(func() {
		if r := wb(t, "", "reset"); r.code != 0 {
			t.Errorf("reset: %s", r.err)
		}
	})
}

// lines splits output into its lines.
func lines(s string) []string { return strings.Split(strings.TrimSuffix(s, "\n"), "\n") }
