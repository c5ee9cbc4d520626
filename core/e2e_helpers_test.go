package core

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"workbench/instance"
	"workbench/testutil"
)

// TestMain removes what the tests built once for all of them.
func TestMain(m *testing.M) {
	code := m.Run()
	if probePath != "" {
		os.RemoveAll(filepath.Dir(probePath))
	}
	os.Exit(code)
}

// wbResult is what one run of the workbench binary printed and returned.
type wbResult struct {
	out, err string
	code     int
}

// wb runs the workbench binary with args in the test's instance.
func wb(t testing.TB, stdin string, args ...string) wbResult {
	t.Helper()
	cmd := exec.Command(testutil.Binary(t), args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.Stdin = strings.NewReader(stdin)
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
func mustWB(t testing.TB, args ...string) string {
	t.Helper()
	r := wb(t, "", args...)
	if r.code != 0 {
		t.Fatalf("workbench %s: exit %d: %s%s", strings.Join(args, " "), r.code, r.out, r.err)
	}
	return r.out
}

// newLab gives the test an instance of its own that is reset at the end, and checks
// the machine's network is left as it was.
func newLab(t *testing.T) {
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

// ourLeftovers is what differs between two pictures of the machine in the objects of
// this test's instance (other tests run beside it).
func ourLeftovers(before, after testutil.Snapshot) string {
	name := os.Getenv(instance.EnvName)
	var mine []string
	for _, l := range strings.Split(testutil.Diff(before, after), "\n") {
		if strings.Contains(l, name) {
			mine = append(mine, l)
		}
	}
	return strings.Join(mine, "\n")
}

// psJSON returns every container of the instance.
func psJSON(t testing.TB) []Container {
	t.Helper()
	var cs []Container
	if err := json.Unmarshal([]byte(mustWB(t, "ps", "-a", "--json")), &cs); err != nil {
		t.Fatalf("ps --json: %v", err)
	}
	return cs
}

// containerNamed finds a container in ps --json output.
func containerNamed(t testing.TB, name string) Container {
	t.Helper()
	for _, c := range psJSON(t) {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no container %s in ps -a", name)
	return Container{}
}

// eventually retries check until it holds or 10 s pass.
func eventually(t testing.TB, what string, check func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !check() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting: %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
