package core

import (
	"os/exec"
	"strings"
	"syscall"
	"testing"

	"workbench/testutil"
)

// TestBadInputLeavesNothing runs every kind of bad `run` and checks each says what was
// wrong in one line and leaves no mount, namespace, cgroup, directory or process.
func TestBadInputLeavesNothing(t *testing.T) {
	testutil.NewLab(t)
	// The first container makes the lab, which stays: it is not part of any container.
	testutil.MustRun(t, "run", "-d", "--name", "taken", "busybox", "sleep", "1000")
	before := testutil.Leftovers()
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"run", "--net", "none", "nosuchimage"}, "not in the store"},
		{[]string{"run", "--net", "none", "--name", "taken", "busybox", "true"}, "already in use"},
		{[]string{"run", "--net", "none", "--name", "-bad", "busybox", "true"}, "is invalid"},
		{[]string{"run"}, "requires at least 1 arg"},
		{[]string{"run", "--net", "none", "busybox", "no-such-command"}, "executable file not found"},
		{[]string{"run", "--net", "none", "busybox", "/bin/no/such"}, "no such file"},
		{[]string{"run", "--bogus", "busybox", "true"}, "unknown flag"},
		{[]string{"run", "--net", "none", "-w", "relative", "busybox", "true"}, "not an absolute path"},
		{[]string{"run", "--net", "none", "-e", "=x", "busybox", "true"}, "variable name is empty"},
		{[]string{"run", "--net", "none", "--hostname", "bad_host!", "busybox", "true"}, "host name"},
		{[]string{"run", "--net", "container:nosuch", "busybox", "true"}, "no such container"},
		{[]string{"run", "--net", "nosuchnet", "busybox", "true"}, "nosuchnet"},
		{[]string{"create", "--net", "nosuchnet", "busybox", "true"}, "nosuchnet"},
		{[]string{"run", "--memory", "1", "busybox", "true"}, "memory"},
		{[]string{"run", "--net", "none", "-p", "80", "busybox", "true"}, "-p needs a bridge network"},
		{[]string{"exec", "nosuch", "true"}, "no such container"},
		{[]string{"run", "-it", "--net", "none", "busybox", "sh"}, "not a TTY"},
		{[]string{"exec", "-it", "taken", "sh"}, "not a TTY"},
		{[]string{"exec", "taken", "no-such-command"}, "executable file not found"},
		{[]string{"kill", "-s", "NOPE", "taken"}, "unknown signal"},
		{[]string{"stop", "-t", "-1", "taken"}, "negative"},
		{[]string{"rm", "taken"}, "is running"},
		{[]string{"logs", "nosuch"}, "no such container"},
	}
	if r := testutil.Run(t, "", "run", "--net", "none", "busybox", "no-such-command"); r.Code != 127 {
		t.Errorf("a command not in the image exits %d, want 127 as Docker", r.Code)
	}
	if r := testutil.Run(t, "", "run", "--net", "none", "busybox", "/etc"); r.Code != 126 {
		t.Errorf("a directory as command exits %d, want 126 as Docker", r.Code)
	}
	for _, c := range cases {
		r := testutil.Run(t, "", c.args...)
		if r.Code == 0 || !strings.Contains(r.Err, c.want) || strings.Count(strings.TrimSpace(r.Err), "\n") > 0 {
			t.Errorf("workbench %s: exit %d, stderr %q; want one line with %q", strings.Join(c.args, " "), r.Code, r.Err, c.want)
		}
		// As Docker's: run and create that could not make the container end with 125,
		// unless the command itself could not be run (126, 127).
		makes := c.args[0] == "run" || c.args[0] == "create"
		if makes && r.Code != 125 && r.Code != 126 && r.Code != 127 {
			t.Errorf("workbench %s: exit %d, want 125", strings.Join(c.args, " "), r.Code)
		}
	}
	if d := testutil.InstanceLeftovers(before); d != "" {
		t.Errorf("bad input left things behind:\n%s", d)
	}
	if n := len(psJSON(t)); n != 1 {
		t.Errorf("%d containers after bad input, want only the first", n)
	}
}

func TestNotRoot(t *testing.T) {
	testutil.NewLab(t)
	cmd := exec.Command(testutil.Binary(t), "run", "--rm", "busybox", "true")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "needs root") {
		t.Fatalf("run as nobody: %v: %s", err, out)
	}
}

// TestReconcileAfterKill9 kills workbench processes mid-run: the CLIs of foreground
// containers (which run on under the monitor, --rm included), then the monitor
// itself (its containers run on, and the next command says so), then the containers'
// PID 1 (the next command records their end, and removes the --rm one).
func TestReconcileAfterKill9(t *testing.T) {
	testutil.NewLab(t)
	testutil.MustRun(t, "run", "-d", "--name", "bg", "--net", "none", "busybox", "sleep", "1000")
	fgCLI := testutil.Start(t, "run", "--name", "fg", "--net", "none", "busybox", "sleep", "1000")
	rmCLI := testutil.Start(t, "run", "--rm", "--name", "rmfg", "--net", "none", "busybox", "sleep", "1000")
	running := map[string]Container{}
	testutil.Eventually(t, "the containers to run", func() bool {
		for _, c := range psJSON(t) {
			if c.State == StateRunning {
				running[c.Name] = c
			}
		}
		return len(running) == 3
	})
	for _, cli := range []*exec.Cmd{fgCLI, rmCLI} {
		_ = cli.Process.Kill()
		_ = cli.Wait()
	}
	for _, name := range []string{"fg", "rmfg"} {
		if c := containerNamed(t, name); c.State != StateRunning || !alive(c.Pid, c.PidStart) {
			t.Fatalf("%s did not outlive its CLI: %+v", name, c)
		}
	}
	monitor := running["bg"].MonitorPid
	if monitor == 0 || running["fg"].MonitorPid != monitor {
		t.Fatalf("the containers are not held by one monitor: %+v", running)
	}
	_ = syscall.Kill(monitor, syscall.SIGKILL)
	testutil.Eventually(t, "the monitor to die", func() bool { return !alive(monitor, running["bg"].MonitorStart) })
	r := testutil.Run(t, "", "ps")
	if r.Code != 0 || !strings.Contains(r.Err, "monitor ended") || !strings.Contains(r.Err, "bg, fg, rmfg") {
		t.Fatalf("ps after the monitor died: exit %d, stderr %q: want the three named as running on", r.Code, r.Err)
	}
	for name, c := range running {
		if !alive(c.Pid, c.PidStart) {
			t.Fatalf("%s died with the monitor", name)
		}
		_ = syscall.Kill(c.Pid, syscall.SIGKILL)
	}
	testutil.Eventually(t, "every PID 1 to die", func() bool {
		for _, c := range running {
			if alive(c.Pid, c.PidStart) {
				return false
			}
		}
		return true
	})
	for _, name := range []string{"bg", "fg"} {
		c := containerNamed(t, name)
		if c.State != StateExited || c.Error == "" {
			t.Errorf("%s after its monitor and PID 1 died: %s %q", name, c.State, c.Error)
		}
	}
	if n := len(psJSON(t)); n != 2 {
		t.Errorf("%d containers, want bg and fg only: the --rm one must be gone", n)
	}
	testutil.MustRun(t, "rm", "bg", "fg")
}

// TestResetLeavesNothing makes containers of every kind and checks reset removes
// every trace of the instance.
func TestResetLeavesNothing(t *testing.T) {
	testutil.RequireRoot(t)
	testutil.KeepMachineNetwork(t)
	before := testutil.Leftovers()
	testutil.NewInstance(t)
	testutil.MustRun(t, "run", "-d", "--name", "a", "--net", "none", "busybox", "sleep", "1000")
	testutil.MustRun(t, "run", "-d", "--name", "b", "--userns", "--net", "none", "busybox", "sleep", "1000")
	testutil.MustRun(t, "run", "--name", "c", "--net", "none", "busybox", "true")
	testutil.MustRun(t, "run", "-d", "--name", "d", "-p", "8080:80", "busybox", "httpd", "-f", "-p", "80")
	testutil.MustRun(t, "exec", "a", "sh", "-c", "sleep 100 >/dev/null 2>&1 &")
	testutil.MustRun(t, "reset")
	if d := testutil.InstanceLeftovers(before); d != "" {
		t.Fatalf("reset left:\n%s", d)
	}
}

// TestConcurrentCommands starts runs side by side, two of them with the same name:
// the lock keeps the state whole and exactly one of the two gets the name.
func TestConcurrentCommands(t *testing.T) {
	testutil.NewLab(t)
	names := []string{"a", "b", "c", "d", "e", "same", "same"}
	results := make(chan testutil.Result, len(names))
	for _, n := range names {
		go func(n string) {
			results <- testutil.Run(t, "", "run", "-d", "--name", n, "--net", "none", "busybox", "sleep", "1000")
		}(n)
	}
	failed := 0
	for range names {
		if r := <-results; r.Code != 0 {
			failed++
			if !strings.Contains(r.Err, "already in use") {
				t.Errorf("a concurrent run failed: %s", r.Err)
			}
		}
	}
	if failed != 1 {
		t.Errorf("%d runs failed, want exactly one of the two named same", failed)
	}
	running := 0
	for _, c := range psJSON(t) {
		if c.State == StateRunning && alive(c.Pid, c.PidStart) {
			running++
		}
	}
	if running != len(names)-1 {
		t.Errorf("%d containers run, want %d", running, len(names)-1)
	}
}
