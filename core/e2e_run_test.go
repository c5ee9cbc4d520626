package core

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"workbench/testutil"
)

func TestRunIsolation(t *testing.T) {
	testutil.NewLab(t)
	script := `hostname; echo pid1=$(cat /proc/1/comm); ps -o pid,comm | wc -l; ` +
		`test -e /etc/debian_version && echo MACHINE-FILE-VISIBLE; ` +
		`echo keys=$(wc -c < /proc/keys); grep -E 'CapBnd|Seccomp:' /proc/self/status; ` +
		`echo x > /proc/sys/kernel/hostname 2>/dev/null && echo PROCSYS-WRITABLE; ` +
		`touch /sys/x 2>/dev/null && echo SYS-WRITABLE; ls /dev; cat /proc/self/mountinfo | grep -c ' / / '`
	r := testutil.Run(t, "", "run", "--rm", "--net", "none", "--hostname", "box", "busybox", "sh", "-c", script)
	if r.Code != 0 {
		t.Fatalf("run: exit %d: %s", r.Code, r.Err)
	}
	lines := strings.Split(strings.TrimSpace(r.Out), "\n")
	if lines[0] != "box" {
		t.Errorf("hostname = %q, want box", lines[0])
	}
	if lines[1] != "pid1=sh" {
		t.Errorf("PID 1 is %q, want the container's command", lines[1])
	}
	if n, _ := strconv.Atoi(strings.TrimSpace(lines[2])); n > 5 {
		t.Errorf("ps inside sees %d lines: the machine's processes leak in:\n%s", n, r.Out)
	}
	for _, bad := range []string{"MACHINE-FILE-VISIBLE", "PROCSYS-WRITABLE", "SYS-WRITABLE"} {
		if strings.Contains(r.Out, bad) {
			t.Errorf("%s:\n%s", bad, r.Out)
		}
	}
	if !strings.Contains(r.Out, "keys=0") {
		t.Errorf("/proc/keys is not masked:\n%s", r.Out)
	}
	if !strings.Contains(r.Out, "CapBnd:\t00000000a80425fb") {
		t.Errorf("bounding set is not Docker's default:\n%s", r.Out)
	}
	if !strings.Contains(r.Out, "Seccomp:\t2") {
		t.Errorf("no seccomp filter:\n%s", r.Out)
	}
	for _, dev := range []string{"null", "zero", "full", "random", "urandom", "tty", "ptmx", "pts", "shm", "fd", "stdin"} {
		if !strings.Contains(r.Out, "\n"+dev+"\n") {
			t.Errorf("/dev/%s missing:\n%s", dev, r.Out)
		}
	}
	if len(psJSON(t)) != 0 {
		t.Errorf("--rm left the container")
	}
}

func TestInitReapsOrphans(t *testing.T) {
	testutil.NewLab(t)
	out := testutil.MustRun(t, "run", "--rm", "--init", "--net", "none", "busybox", "sh", "-c",
		`(sleep 0.1 &); sleep 0.6; ps -o pid,ppid,stat,comm`)
	if strings.Contains(out, " Z ") || !strings.Contains(out, "ps") {
		t.Fatalf("an orphan was not reaped by PID 1:\n%s", out)
	}
}

func TestRunExitCodeAndLogs(t *testing.T) {
	testutil.NewLab(t)
	r := testutil.Run(t, "", "run", "--name", "x", "--net", "none", "-e", "GREETING=hi there", "-w", "/tmp/work", "busybox",
		"sh", "-c", `echo "$GREETING from $(pwd)"; echo to-stderr >&2; exit 3`)
	if r.Code != 3 {
		t.Fatalf("exit code %d, want 3 (%s)", r.Code, r.Err)
	}
	if r.Out != "hi there from /tmp/work\n" || r.Err != "to-stderr\n" {
		t.Fatalf("streams: out %q err %q", r.Out, r.Err)
	}
	if ps := testutil.MustRun(t, "ps", "-a"); !strings.Contains(ps, "Exited (3)") {
		t.Fatalf("ps -a does not show Exited (3):\n%s", ps)
	}
	if ps := testutil.MustRun(t, "ps"); strings.Contains(ps, " x\n") {
		t.Fatalf("ps shows an exited container:\n%s", ps)
	}
	l := testutil.Run(t, "", "logs", "x")
	if l.Out != "hi there from /tmp/work\n" || l.Err != "to-stderr\n" {
		t.Fatalf("logs: out %q err %q", l.Out, l.Err)
	}
	in := testutil.Run(t, "", "inspect", "x")
	if !strings.Contains(in.Out, `"ExitCode": 3`) {
		t.Fatalf("inspect:\n%s", in.Out)
	}
	testutil.MustRun(t, "rm", "x")
	if len(psJSON(t)) != 0 {
		t.Fatal("rm left the container")
	}
}

func TestRunStdinAndCommandNotFound(t *testing.T) {
	testutil.NewLab(t)
	r := testutil.Run(t, "hello\n", "run", "--rm", "-i", "--net", "none", "busybox", "cat")
	if r.Out != "hello\n" {
		t.Fatalf("run -i: %q %q", r.Out, r.Err)
	}
	r = testutil.Run(t, "", "run", "--rm", "-t", "--net", "none", "busybox", "sh", "-c", "test -t 0 && test -t 1 && echo TTY")
	if !strings.Contains(r.Out, "TTY") {
		t.Fatalf("run -t gave no terminal: %q %q", r.Out, r.Err)
	}
	// Without --rm too, the monitor runs the container, attached to our streams.
	r = testutil.Run(t, "hello\n", "run", "-i", "--name", "cat", "--net", "none", "busybox", "sh", "-c", "cat; exit 5")
	if r.Out != "hello\n" || r.Code != 5 {
		t.Fatalf("supervised run -i: %q %q %d", r.Out, r.Err, r.Code)
	}
	r = testutil.Run(t, "", "run", "-t", "--name", "tty", "--net", "none", "busybox", "sh", "-c", "test -t 0 && echo TTY; stty size; tty")
	if !strings.Contains(r.Out, "TTY") || !strings.Contains(r.Out, "24 80") || !strings.Contains(r.Out, "/dev/pts/0") {
		t.Fatalf("supervised run -t: %q %q", r.Out, r.Err)
	}
}

func TestDetachedSurvivesAndExec(t *testing.T) {
	testutil.NewLab(t)
	id := strings.TrimSpace(testutil.MustRun(t, "run", "-d", "--name", "web", "--net", "none", "busybox", "sleep", "1000"))
	if len(id) != 64 {
		t.Fatalf("run -d printed %q, want the ID", id)
	}
	c := containerNamed(t, "web")
	if c.State != StateRunning || !alive(c.Pid, c.PidStart) || !alive(c.MonitorPid, c.MonitorStart) {
		t.Fatalf("detached container is not running after the CLI ended: %+v", c)
	}
	var ins []struct {
		Namespaces   []NamespaceInfo
		Cgroup       *CgroupInfo
		Capabilities []string
	}
	if err := json.Unmarshal([]byte(testutil.MustRun(t, "inspect", "web")), &ins); err != nil || len(ins) != 1 {
		t.Fatalf("inspect: %v", err)
	}
	shared := map[string]bool{}
	for _, n := range ins[0].Namespaces {
		shared[n.Type] = n.Shared
	}
	for kind, want := range map[string]bool{"mnt": false, "uts": false, "ipc": false, "pid": false, "net": false, "cgroup": false, "user": true} {
		if got, ok := shared[kind]; !ok || got != want {
			t.Errorf("inspect: %s namespace shared with the machine = %v (listed %v), want %v", kind, got, ok, want)
		}
	}
	if ins[0].Cgroup == nil || !strings.HasSuffix(ins[0].Cgroup.Path, c.ID) || len(ins[0].Capabilities) != 14 {
		t.Errorf("inspect: cgroup %+v, %d capabilities", ins[0].Cgroup, len(ins[0].Capabilities))
	}
	out := testutil.MustRun(t, "exec", "web", "ps", "-o", "pid,ppid,comm")
	if !strings.Contains(out, "sleep") || !strings.Contains(out, " ps") {
		t.Fatalf("exec's ps does not show the container's processes and itself:\n%s", out)
	}
	if out := testutil.MustRun(t, "exec", "-e", "A=1", "-w", "/etc", "web", "sh", "-c", "echo $A $(pwd) $(cat hostname)"); out != "1 /etc "+id[:12]+"\n" {
		t.Fatalf("exec env/workdir/files: %q", out)
	}
	if out := testutil.MustRun(t, "exec", "-t", "web", "tty"); !strings.HasPrefix(out, "/dev/pts/") {
		t.Fatalf("exec -t: the terminal is not one of the container's /dev/pts: %q", out)
	}
	if r := testutil.Run(t, "hi\n", "exec", "-i", "web", "cat"); r.Out != "hi\n" {
		t.Fatalf("exec -i: %q", r.Out)
	}
	if r := testutil.Run(t, "", "exec", "web", "sh", "-c", "exit 4"); r.Code != 4 {
		t.Fatalf("exec exit code %d, want 4", r.Code)
	}
	// The exec'd process is in the container's cgroup.
	testutil.MustRun(t, "exec", "web", "sh", "-c", "sleep 30 >/dev/null 2>&1 & echo started")
	procs := cgroupProcs(t, c)
	if len(procs) != 2 {
		t.Fatalf("cgroup holds %v: want the command and the exec'd sleep, nothing else", procs)
	}
	if out := testutil.MustRun(t, "exec", "web", "sh", "-c", "readlink /proc/self/ns/mnt"); strings.Contains(out, nsLink("self", "mnt")) {
		t.Fatalf("exec runs in the machine's mount namespace: %s", out)
	}
	testutil.MustRun(t, "rm", "-f", "web")
	testutil.Eventually(t, "the init to end", func() bool { return !alive(c.Pid, c.PidStart) })
}

func nsLink(pid, kind string) string {
	l, _ := os.Readlink(filepath.Join("/proc", pid, "ns", kind))
	return l
}

// cgroupProcs lists the processes of a container's cgroup in the pids hierarchy.
func cgroupProcs(t *testing.T, c Container) []string {
	t.Helper()
	matches, _ := filepath.Glob("/sys/fs/cgroup/pids/*/" + c.CgroupID + "/cgroup.procs")
	if len(matches) == 0 {
		t.Fatalf("no pids cgroup for %s", c.ID)
	}
	b, err := os.ReadFile(matches[0])
	if err != nil {
		t.Fatal(err)
	}
	return strings.Fields(string(b))
}

func TestSignalsAndStop(t *testing.T) {
	testutil.NewLab(t)
	testutil.MustRun(t, "run", "-d", "--name", "trap", "--net", "none", "busybox", "sh", "-c",
		`trap "echo got TERM; exit 7" TERM; echo ready; while true; do sleep 0.05; done`)
	testutil.Eventually(t, "the trap to be set", func() bool { return strings.Contains(testutil.MustRun(t, "logs", "trap"), "ready") })
	follow := testutil.Start(t, "logs", "-f", "trap")
	testutil.MustRun(t, "kill", "-s", "TERM", "trap")
	if out := testutil.MustRun(t, "wait", "trap"); out != "7\n" {
		t.Fatalf("wait printed %q, want 7", out)
	}
	if out := testutil.MustRun(t, "logs", "trap"); !strings.Contains(out, "got TERM") {
		t.Fatalf("the TERM did not reach the command: %q", out)
	}
	done := make(chan error, 1)
	go func() { done <- follow.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("logs -f: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("logs -f did not end with the container")
	}
	testutil.MustRun(t, "run", "-d", "--name", "stubborn", "--net", "none", "busybox", "sh", "-c", `trap "" TERM; while true; do sleep 0.05; done`)
	testutil.MustRun(t, "stop", "-t", "1", "stubborn")
	if c := containerNamed(t, "stubborn"); c.State != StateExited || c.ExitCode != 137 {
		t.Fatalf("stop did not end it with SIGKILL: %s %d", c.State, c.ExitCode)
	}
	if r := testutil.Run(t, "", "kill", "-s", "BOGUS", "trap"); r.Code == 0 || !strings.Contains(r.Err, "unknown signal") {
		t.Fatalf("kill -s BOGUS: %d %s", r.Code, r.Err)
	}
}

func TestUserns(t *testing.T) {
	testutil.NewLab(t)
	out := testutil.MustRun(t, "run", "--rm", "--userns", "--net", "none", "busybox", "sh", "-c", "cat /proc/self/uid_map; id -u; touch /made && echo ok")
	if !strings.Contains(strings.Join(strings.Fields(out), " "), "0 100000 65536 0 ok") {
		t.Fatalf("user namespace mapping wrong:\n%s", out)
	}
}

// TestHostNetworkAsFirstCommand runs --net host before anything made the lab: the
// command makes the lab and runs in host1's namespace, with host1's bridge in sight.
func TestHostNetworkAsFirstCommand(t *testing.T) {
	testutil.NewLab(t)
	if out := testutil.MustRun(t, "run", "--rm", "--net", "host", "busybox", "ip", "-o", "link"); !strings.Contains(out, "wb0") {
		t.Fatalf("--net host as the first command does not see host1's bridge:\n%s", out)
	}
	if r := testutil.Run(t, "", "run", "--rm", "--net", "host", "--host", "host9", "busybox", "true"); r.Code != 125 || !strings.Contains(r.Err, `unknown host "host9"`) {
		t.Fatalf("--net host on a host that does not exist: %d %q", r.Code, r.Err)
	}
}
