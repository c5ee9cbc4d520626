package cli

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"workbench/cgview"
	"workbench/core"
	"workbench/core/cgroup"
	"workbench/instance"
	"workbench/testutil"
)

// statsOf reads one container's row through `stats --no-stream --json`.
func statsOf(t *testing.T, name string) cgview.Row {
	t.Helper()
	out, code := testutil.Output(t, "stats", "--no-stream", "--json", name)
	var rows []cgview.Row
	if code != 0 || json.Unmarshal([]byte(out), &rows) != nil || len(rows) != 1 {
		t.Fatalf("stats --no-stream --json %s: %d\n%s", name, code, out)
	}
	return rows[0]
}

// statsNear reads a container's row until its CPU % is within 5 points of want, at
// most eight times: a busy machine can starve a loop below its quota for a second.
func statsNear(t *testing.T, name string, want float64) (cgview.Row, bool) {
	t.Helper()
	var r cgview.Row
	for i := 0; i < 8; i++ {
		if r = statsOf(t, name); math.Abs(r.CPUPercent-want) <= 5 {
			return r, true
		}
	}
	return r, false
}

// boostContainer raises the scheduling priority of a container's processes, so that a
// busy machine cannot starve them below their CPU quota: the measurement is then of
// the quota.
func boostContainer(t *testing.T, inst instance.Instance, name string) {
	t.Helper()
	e, err := core.Open(context.Background(), inst)
	if err != nil {
		t.Fatal(err)
	}
	for _, pid := range containerPids(t, e, inst, name) {
		if err := syscall.Setpriority(syscall.PRIO_PROCESS, pid, -15); err != nil {
			t.Fatalf("renice %d: %v", pid, err)
		}
	}
}

// containerPids are the processes in the cgroup of the container called name.
func containerPids(t *testing.T, e *core.Engine, inst instance.Instance, name string) []int {
	t.Helper()
	c, err := e.Lookup(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	g, err := cgroup.Open(inst, c.CgroupID)
	if err != nil {
		t.Fatal(err)
	}
	pids, err := g.Pids()
	if err != nil {
		t.Fatal(err)
	}
	return pids
}

// instanceCgroups lists the instance's cgroup directories in every hierarchy.
func instanceCgroups(inst instance.Instance) []string {
	m, _ := filepath.Glob(filepath.Join("/sys/fs/cgroup", "*", strings.TrimPrefix(inst.CgroupParent(), "/")))
	return m
}

func TestLimitsEndToEnd(t *testing.T) {
	inst := testutil.KernelTest(t)
	t.Cleanup(func() {
		testutil.Output(t, "reset")
		if left := instanceCgroups(inst); len(left) != 0 {
			t.Errorf("cgroups left after reset: %v", left)
		}
	})

	if out, code := testutil.Output(t, "run", "-d", "--name", "busy", "--cpus", "0.2", "busybox", "sh", "-c", "while :; do :; done"); code != 0 {
		t.Fatalf("run --cpus 0.2: %d\n%s", code, out)
	}
	boostContainer(t, inst, "busy")
	time.Sleep(500 * time.Millisecond)
	r, ok := statsNear(t, "busy", 20)
	t.Logf("--cpus 0.2: %.1f%% of a core, %d of %d periods throttled", r.CPUPercent, r.NrThrottled, r.NrPeriods)
	if !ok || r.NrThrottled == 0 || r.CPUs != 0.2 {
		t.Errorf("busy loop at --cpus 0.2: %+v", r)
	}

	if out, code := testutil.Output(t, "update", "--cpus", "0.5", "busy"); code != 0 || strings.TrimSpace(out) != "busy" {
		t.Fatalf("update --cpus 0.5: %d\n%s", code, out)
	}
	time.Sleep(300 * time.Millisecond)
	// Half a core is more than a busy machine may give, whatever the priority: the
	// loop must not pass the new quota, and the quota must be the new one.
	r, ok = statsNear(t, "busy", 50)
	t.Logf("--cpus 0.5: %.1f%% of a core", r.CPUPercent)
	if !ok && r.CPUPercent > 55 || r.CPUQuotaUs != 50000 || r.CPUPercent <= 25 {
		t.Errorf("busy loop after update --cpus 0.5: %+v", r)
	}

	// Streaming: one JSON array a second until the context ends, then status 0.
	ctx, cancel := context.WithTimeout(context.Background(), 2500*time.Millisecond)
	defer cancel()
	var stream, errs strings.Builder
	if code := Run(ctx, []string{"stats", "--json"}, strings.NewReader(""), &stream, &errs); code != 0 {
		t.Errorf("streaming stats ended with %d: %s", code, errs.String())
	}
	if lines := strings.Split(strings.TrimSpace(stream.String()), "\n"); len(lines) < 2 || !strings.Contains(lines[1], `"name":"busy"`) {
		t.Errorf("streaming stats printed:\n%s", stream.String())
	}

	out, code := testutil.Output(t, "run", "--name", "hog", "--memory", "10m", "busybox", "sh", "-c", `a=$(head -c 67108864 /dev/zero | tr "\0" x); echo ${#a}`)
	if code != 137 {
		t.Errorf("run --memory 10m with a 64 MiB allocation: exit %d, want 137\n%s", code, out)
	}
	if out, _ := testutil.Output(t, "ps", "-a"); !strings.Contains(out, "Exited (137)") {
		t.Errorf("ps -a does not show the OOM-killed container as Exited (137):\n%s", out)
	}
	e, err := core.Open(context.Background(), inst)
	if err != nil {
		t.Fatal(err)
	}
	if c, err := e.Lookup(context.Background(), "hog"); err != nil || !c.OOMKilled {
		t.Errorf("the engine did not record the OOM kill: %+v, %v", c, err)
	}

	// A fork loop stops at the pids limit. Only the init's main thread counts (the
	// others are exempt), so the loop gets nearly all of it, and the init survives
	// the limit being full: the container keeps running.
	if out, code := testutil.Output(t, "run", "-d", "--name", "forks", "--pids-limit", "10", "busybox", "sh", "-c",
		`(i=0; while [ $i -lt 40 ]; do sleep 300 & i=$((i+1)); done) 2>/dev/null; exec sleep 300`); code != 0 {
		t.Fatalf("run --pids-limit 10: %d\n%s", code, out)
	}
	time.Sleep(time.Second)
	if r := statsOf(t, "forks"); r.PidsLimit != 10 || r.PidsCurrent < 8 || r.PidsCurrent > 10 {
		t.Errorf("fork loop under --pids-limit 10: %d tasks, limit %d", r.PidsCurrent, r.PidsLimit)
	}
	if c, err := e.Lookup(context.Background(), "forks"); err != nil || c.State != core.StateRunning {
		t.Errorf("the container did not survive its pids limit being full: %+v, %v", c.State, err)
	}

	// --cpuset-cpus 0 pins every process of the container to CPU 0.
	if out, code := testutil.Output(t, "run", "-d", "--name", "pinned", "--cpuset-cpus", "0", "busybox", "sleep", "300"); code != 0 {
		t.Fatalf("run --cpuset-cpus 0: %d\n%s", code, out)
	}
	pids := containerPids(t, e, inst, "pinned")
	if len(pids) == 0 {
		t.Fatal("the pinned container has no process")
	}
	for _, pid := range pids {
		b, _ := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "status"))
		if !strings.Contains(string(b), "Cpus_allowed_list:\t0\n") {
			t.Errorf("process %d of a --cpuset-cpus 0 container is not pinned to CPU 0", pid)
		}
	}

	// Bad input: one line, nothing made.
	before, _ := os.ReadDir(inst.ContainersDir())
	for _, args := range [][]string{
		{"run", "--cpus", "0", "busybox", "true"},
		{"run", "--cpuset-cpus", "64", "busybox", "true"},
		{"run", "--memory", "5x", "busybox", "true"},
		{"run", "--memory", "1m", "busybox", "true"},
		{"run", "--pids-limit", "0", "busybox", "true"},
		{"update", "--cpus", "-2", "busy"},
		{"update", "--cpus", "1", "nosuch"},
		{"stats", "--no-stream", "nosuch"},
	} {
		out, code := testutil.Output(t, args...)
		if code == 0 || strings.Count(strings.TrimSpace(out), "\n") != 0 || !strings.HasPrefix(out, "workbench: ") {
			t.Errorf("%v: exit %d, want one error line:\n%s", args, code, out)
		}
	}
	after, _ := os.ReadDir(inst.ContainersDir())
	if len(after) != len(before) {
		t.Errorf("rejected runs left containers: %d before, %d after", len(before), len(after))
	}
	if l := len(instanceCgroups(inst)); l == 0 {
		t.Error("the instance's cgroups vanished while containers exist")
	}
}
