package core

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"

	"workbench/instance"
	"workbench/testutil"
)

// The process model: the container's command is its PID 1 and nothing of the
// workbench is inside; exec joins from outside; the monitor holds the PID 1.

func TestCommandIsPID1AndAlone(t *testing.T) {
	testutil.NewLab(t)
	out := testutil.MustRun(t, "run", "--rm", "--net", "none", "busybox", "sh", "-c", "echo $$; ps -o pid,comm; true")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if lines[0] != "1" {
		t.Fatalf("echo $$ printed %q, want 1:\n%s", lines[0], out)
	}
	procs := strings.Join(strings.Fields(strings.Join(lines[1:], " ")), " ")
	if procs != "PID COMMAND 1 sh 2 ps" {
		t.Fatalf("ps inside lists %q, want only the command (sh) and ps", procs)
	}
}

// statusLine is a /proc/N/task/N/status of a container's process, printed by the
// script of TestNoProcessHasMoreThanTheContainersCapabilities.
const capsScript = `for s in /proc/[0-9]*/task/*/status; do ` +
	`echo "$s $(grep -E '^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp):' $s | tr -s '\t\n' '  ')"; done`

// TestNoProcessHasMoreThanTheContainersCapabilities reads the status of every thread
// of every process inside a container (its command, an exec'd process, --init's reaper
// and its Go threads): none has a capability beyond Docker's default set, an
// inheritable or ambient one, or lacks no_new_privs.
func TestNoProcessHasMoreThanTheContainersCapabilities(t *testing.T) {
	testutil.NewLab(t)
	testutil.MustRun(t, "run", "-d", "--name", "plain", "--net", "none", "busybox", "sleep", "1000")
	testutil.MustRun(t, "run", "-d", "--name", "reaped", "--init", "--net", "none", "busybox", "sleep", "1000")
	testutil.MustRun(t, "exec", "plain", "sh", "-c", "sleep 100 >/dev/null 2>&1 &")
	const want = "00000000a80425fb"
	for _, name := range []string{"plain", "reaped"} {
		out := testutil.MustRun(t, "exec", name, "sh", "-c", capsScript)
		n := 0
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			f := strings.Fields(line)
			if len(f) < 15 {
				continue // a process that ended while the script read it
			}
			n++
			got := map[string]string{}
			for i := 1; i+1 < len(f); i += 2 {
				got[strings.TrimSuffix(f[i], ":")] = f[i+1]
			}
			for k, v := range map[string]string{"CapInh": "0000000000000000", "CapAmb": "0000000000000000", "NoNewPrivs": "1"} {
				if got[k] != v {
					t.Errorf("%s: %s %s = %s, want %s", name, f[0], k, got[k], v)
				}
			}
			for _, k := range []string{"CapPrm", "CapEff", "CapBnd"} {
				m, err := strconv.ParseUint(got[k], 16, 64)
				if err != nil || m&^0xa80425fb != 0 {
					t.Errorf("%s: %s %s = %s, beyond Docker's default %s", name, f[0], k, got[k], want)
				}
			}
		}
		if n < 2 {
			t.Fatalf("%s: read the status of %d threads, want the command's and more:\n%s", name, n, out)
		}
	}
}

func TestInitReaperIsPID1(t *testing.T) {
	testutil.NewLab(t)
	out := testutil.MustRun(t, "run", "--rm", "--init", "--net", "none", "busybox", "sh", "-c", "cat /proc/1/cmdline | tr '\\0' ' '; echo; cat /proc/$$/status | grep PPid")
	if !strings.HasPrefix(out, InitPath+" -- sh -c") || !strings.Contains(out, "PPid:\t1") {
		t.Fatalf("with --init PID 1 is %q, want the reaper with the command as its child", out)
	}
	if r := testutil.Run(t, "", "run", "--rm", "--init", "--net", "none", "busybox", "sh", "-c", "exit 5"); r.Code != 5 {
		t.Fatalf("--init passed on exit %d, want 5", r.Code)
	}
	// The reaper passes TERM on to a command that handles it.
	testutil.MustRun(t, "run", "-d", "--init", "--name", "trap", "--net", "none", "busybox", "sh", "-c", `trap "exit 9" TERM; echo ready; while true; do sleep 0.05; done`)
	testutil.Eventually(t, "the trap to be set", func() bool { return strings.Contains(testutil.MustRun(t, "logs", "trap"), "ready") })
	testutil.MustRun(t, "stop", "-t", "5", "trap")
	if c := containerNamed(t, "trap"); c.ExitCode != 9 {
		t.Fatalf("stop through the reaper ended with %d, want the command's own 9", c.ExitCode)
	}
}

// TestStopOfAPID1WithoutHandlerEndsIn137 shows the kernel's rule for a PID 1: a TERM
// it has no handler for is not delivered, so stop -t 1 ends in SIGKILL.
func TestStopOfAPID1WithoutHandlerEndsIn137(t *testing.T) {
	testutil.NewLab(t)
	testutil.MustRun(t, "run", "-d", "--name", "sleeper", "--net", "none", "busybox", "sleep", "1000")
	start := time.Now()
	testutil.MustRun(t, "stop", "-t", "1", "sleeper")
	took := time.Since(start)
	c := containerNamed(t, "sleeper")
	if c.State != StateExited || c.ExitCode != 137 {
		t.Fatalf("stop -t 1 of sleep: %s (%d), want Exited (137)", c.State, c.ExitCode)
	}
	if took < 900*time.Millisecond {
		t.Fatalf("stop took %v: the TERM ended sleep, which as PID 1 should ignore it", took)
	}
	if ps := testutil.MustRun(t, "ps", "-a"); !strings.Contains(ps, "Exited (137)") {
		t.Fatalf("ps -a:\n%s", ps)
	}
}

func TestExecJoinsEveryNamespaceAndTheCgroup(t *testing.T) {
	testutil.NewLab(t)
	for _, userns := range []bool{false, true} {
		name := "web"
		args := []string{"run", "-d", "--name", name, "busybox", "sleep", "1000"}
		kinds := "mnt uts ipc pid net cgroup"
		if userns {
			name = "userns"
			args = []string{"run", "-d", "--userns", "--name", name, "busybox", "sleep", "1000"}
			kinds += " user"
		}
		testutil.MustRun(t, args...)
		script := "for k in " + kinds + "; do echo $k $(readlink /proc/self/ns/$k) $(readlink /proc/1/ns/$k); done; " +
			"echo cgroup $(cat /proc/self/cgroup | md5sum) $(cat /proc/1/cgroup | md5sum); id -u; cat /proc/self/uid_map"
		out := testutil.MustRun(t, "exec", name, "sh", "-c", script)
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			f := strings.Fields(line)
			if len(f) == 3 && strings.Contains(f[1], ":[") && f[1] != f[2] {
				t.Errorf("%s: exec's %s namespace %s is not PID 1's %s", name, f[0], f[1], f[2])
			}
			if len(f) == 5 && f[0] == "cgroup" && f[1] != f[3] {
				t.Errorf("%s: exec is not in PID 1's cgroup", name)
			}
		}
		if !strings.Contains(out, "\n0\n") {
			t.Errorf("%s: exec runs as %q, want root of the container", name, out)
		}
		if userns && !strings.Contains(strings.Join(strings.Fields(out), " "), "0 100000 65536") {
			t.Errorf("%s: exec is not in the container's user namespace:\n%s", name, out)
		}
		c := containerNamed(t, name)
		if procs := cgroupProcs(t, c); len(procs) != 1 {
			t.Errorf("%s: the cgroup holds %v after exec ended, want the command alone", name, procs)
		}
	}
}

// TestExecClientKilledLeavesTheContainer kills an `exec -it` client while its shell
// runs: the shell gets the hangup of its closed terminal and ends, the container runs
// on.
func TestExecClientKilledLeavesTheContainer(t *testing.T) {
	testutil.NewLab(t)
	testutil.MustRun(t, "run", "-d", "--name", "web", "--net", "none", "busybox", "sleep", "1000")
	c := containerNamed(t, "web")
	client := exec.Command(testutil.Binary(t), "exec", "-it", "web", "sh")
	tty, err := pty.Start(client)
	if err != nil {
		t.Fatal(err)
	}
	defer tty.Close()
	go func() { _, _ = io.Copy(io.Discard, eofAfter(tty, time.Minute)) }()
	testutil.Eventually(t, "the exec'd shell to run", func() bool { return len(cgroupProcs(t, c)) == 2 })
	_ = client.Process.Kill()
	_, _ = client.Process.Wait()
	testutil.Eventually(t, "the exec'd shell to end with its terminal", func() bool { return len(cgroupProcs(t, c)) == 1 })
	if c := containerNamed(t, "web"); c.State != StateRunning || !alive(c.Pid, c.PidStart) {
		t.Fatalf("the container did not outlive the exec client: %s", c.State)
	}
	if out := testutil.MustRun(t, "exec", "web", "echo", "still"); out != "still\n" {
		t.Fatalf("exec after the killed client: %q", out)
	}
}

// eofAfter reads f, giving up after d.
func eofAfter(f *os.File, d time.Duration) *os.File {
	_ = f.SetReadDeadline(time.Now().Add(d))
	return f
}

func TestStartAndRestartKeepTheWritableLayer(t *testing.T) {
	testutil.NewLab(t)
	testutil.MustRun(t, "run", "-d", "--name", "keeper", "busybox", "sh", "-c", "echo run >> /data; exec sleep 1000")
	first := containerNamed(t, "keeper")
	testutil.MustRun(t, "stop", "-t", "0", "keeper")
	testutil.MustRun(t, "start", "keeper")
	testutil.Eventually(t, "the second start to write", func() bool {
		return strings.Count(testutil.Run(t, "", "exec", "keeper", "cat", "/data").Out, "run") == 2
	})
	testutil.MustRun(t, "restart", "-t", "0", "keeper")
	testutil.Eventually(t, "the restart to write", func() bool {
		return strings.Count(testutil.Run(t, "", "exec", "keeper", "cat", "/data").Out, "run") == 3
	})
	now := containerNamed(t, "keeper")
	if now.State != StateRunning || now.Pid == first.Pid || len(now.Networks) != 1 {
		t.Fatalf("after restart: %s pid %d (was %d), networks %v", now.State, now.Pid, first.Pid, now.Networks)
	}
	if r := testutil.Run(t, "", "start", "keeper"); r.Code != 0 {
		t.Fatalf("start of a running container: %d %s", r.Code, r.Err)
	}
	if r := testutil.Run(t, "", "start", "nosuch"); r.Code == 0 || !strings.Contains(r.Err, "no such container") {
		t.Fatalf("start nosuch: %d %q", r.Code, r.Err)
	}
}

func TestRestartPolicies(t *testing.T) {
	testutil.NewLab(t)
	testutil.MustRun(t, "run", "-d", "--name", "flaky", "--restart", "on-failure:2", "--net", "none", "busybox", "sh", "-c", "exit 3")
	testutil.Eventually(t, "on-failure:2 to give up", func() bool {
		c := containerNamed(t, "flaky")
		return c.State == StateExited && c.RestartCount == 2
	})
	testutil.MustRun(t, "run", "-d", "--name", "ok", "--restart", "on-failure", "--net", "none", "busybox", "true")
	testutil.Eventually(t, "on-failure to leave a success alone", func() bool {
		c := containerNamed(t, "ok")
		return c.State == StateExited && c.RestartCount == 0
	})
	testutil.MustRun(t, "run", "-d", "--name", "always", "--restart", "always", "--net", "none", "busybox", "sh", "-c", "sleep 0.1")
	testutil.Eventually(t, "always to restart", func() bool { return containerNamed(t, "always").RestartCount >= 2 })
	testutil.MustRun(t, "stop", "-t", "1", "always")
	c := containerNamed(t, "always")
	time.Sleep(500 * time.Millisecond)
	if again := containerNamed(t, "always"); again.State != StateExited || again.RestartCount != c.RestartCount {
		t.Fatalf("a stopped always container came back: %s, %d restarts (was %d)", again.State, again.RestartCount, c.RestartCount)
	}
	if r := testutil.Run(t, "", "run", "--rm", "--restart", "always", "busybox", "true"); r.Code == 0 || !strings.Contains(r.Err, "conflict") {
		t.Fatalf("--rm with --restart: %d %q", r.Code, r.Err)
	}
	if r := testutil.Run(t, "", "run", "--restart", "sometimes", "busybox", "true"); r.Code == 0 || !strings.Contains(r.Err, "unknown") {
		t.Fatalf("--restart sometimes: %d %q", r.Code, r.Err)
	}
}

// TestExitCodes checks Docker's numbers from run, exec and host exec: the command's
// code, 128+N after signal N, 126 for a command that cannot be run, 127 for one that
// is not there, 125 when the container cannot be made.
func TestExitCodes(t *testing.T) {
	testutil.NewLab(t)
	testutil.MustRun(t, "run", "-d", "--name", "web", "busybox", "sleep", "1000")
	for _, c := range []struct {
		args []string
		code int
	}{
		{[]string{"run", "--rm", "--net", "none", "busybox", "sh", "-c", "exit 42"}, 42},
		// A PID 1 gets only the signals it handles, its own included: the reaper of
		// --init is PID 1 here, and the command dies of the signal.
		{[]string{"run", "--rm", "--init", "--net", "none", "busybox", "sh", "-c", "kill -SEGV $$"}, 139},
		{[]string{"run", "--rm", "--net", "none", "busybox", "/etc/passwd"}, 126},
		{[]string{"run", "--rm", "--net", "none", "busybox", "nosuch"}, 127},
		{[]string{"run", "--rm", "--net", "none", "-u", "nosuchuser", "busybox", "true"}, 125},
		{[]string{"exec", "web", "sh", "-c", "exit 42"}, 42},
		{[]string{"exec", "web", "sh", "-c", "kill -SEGV $$"}, 139},
		{[]string{"exec", "web", "/etc/passwd"}, 126},
		{[]string{"exec", "web", "nosuch"}, 127},
		{[]string{"exec", "-w", "/nowhere", "web", "true"}, 126},
		{[]string{"host", "exec", "host1", "sh", "-c", "exit 42"}, 42},
		{[]string{"host", "exec", "host1", "sh", "-c", "kill -SEGV $$"}, 139},
		{[]string{"host", "exec", "host1", "/etc/passwd"}, 126},
		{[]string{"host", "exec", "host1", "nosuch"}, 127},
	} {
		if r := testutil.Run(t, "", c.args...); r.Code != c.code {
			t.Errorf("workbench %s: exit %d (%s), want %d", strings.Join(c.args, " "), r.Code, strings.TrimSpace(r.Err), c.code)
		}
	}
}

// TestStatsCountsTheContainersOwnProcesses: a one-process container has one PID.
func TestStatsCountsTheContainersOwnProcesses(t *testing.T) {
	testutil.NewLab(t)
	testutil.MustRun(t, "run", "-d", "--name", "one", "--net", "none", "busybox", "sleep", "1000")
	c := containerNamed(t, "one")
	matches, _ := filepath.Glob("/sys/fs/cgroup/pids/*/" + c.CgroupID + "/pids.current")
	if len(matches) != 1 {
		t.Fatalf("no pids cgroup for %s", c.Name)
	}
	b, err := os.ReadFile(matches[0])
	if err != nil || strings.TrimSpace(string(b)) != "1" {
		t.Fatalf("pids.current = %q, want 1", b)
	}
	out := testutil.MustRun(t, "stats", "--no-stream")
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "one") && !strings.HasSuffix(strings.TrimSpace(line), " 1") {
			t.Fatalf("stats shows %q, want PIDS 1", line)
		}
	}
}

func TestMonitorOutlivesNothingItNeedNot(t *testing.T) {
	testutil.NewLab(t)
	testutil.MustRun(t, "run", "--rm", "--net", "none", "busybox", "true")
	inst, err := instance.FromEnv()
	if err != nil {
		t.Fatal(err)
	}
	m, ok := newEngine(inst).currentMonitor()
	if !ok {
		t.Fatal("no monitor after a run")
	}
	if cwd, _ := os.Readlink("/proc/" + strconv.Itoa(m.Pid) + "/cwd"); cwd != "/" {
		t.Errorf("the monitor's working directory is %s, want /", cwd)
	}
	// The descriptors of the container that just ended may take a moment to close; the
	// monitor closes them before it leaves, idle.
	var held []string
	testutil.Eventually(t, "the monitor to close the ended container's descriptors", func() bool {
		var now []string
		fds, _ := os.ReadDir("/proc/" + strconv.Itoa(m.Pid) + "/fd")
		for _, fd := range fds {
			target, _ := os.Readlink("/proc/" + strconv.Itoa(m.Pid) + "/fd/" + fd.Name())
			now = append(now, target)
		}
		if !alive(m.Pid, m.Start) {
			t.Fatalf("the monitor left holding %d descriptors with no container: %v", len(held), held)
		}
		held = now
		return len(held) <= 12
	})
	testutil.Eventually(t, "the idle monitor to leave", func() bool { return !alive(m.Pid, m.Start) })
}
