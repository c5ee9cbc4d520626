package cgroup

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"testing"
	"time"

	"workbench/cmdlog"
	"workbench/instance"
	"workbench/testutil"
)

// helperEnv makes the test binary act as a small workload instead of running tests.
const helperEnv = "WORKBENCH_CGROUP_HELPER"

func TestMain(m *testing.M) {
	if mib, err := strconv.Atoi(os.Getenv(helperEnv)); err == nil {
		allocate(mib)
		return
	}
	os.Exit(m.Run())
}

// allocate waits for a line on stdin (the gate: the process is in its cgroup by then),
// then touches mib MiB of memory one MiB at a time and sleeps.
func allocate(mib int) {
	_, _ = bufio.NewReader(os.Stdin).ReadString('\n')
	var keep [][]byte
	for i := 0; i < mib; i++ {
		b := make([]byte, 1<<20)
		for j := range b {
			b[j] = byte(j)
		}
		keep = append(keep, b)
	}
	fmt.Println(len(keep))
	time.Sleep(time.Hour)
}

// newGroup makes a group for the test in a fresh instance and removes every cgroup of
// that instance when the test ends, checking that none is left.
func newGroup(t testing.TB, l Limits) (*Group, instance.Instance, *cmdlog.Log) {
	t.Helper()
	testutil.RequireRoot(t)
	inst := testutil.NewInstance(t)
	log := cmdlog.Open(inst.CommandLogPath())
	t.Cleanup(func() {
		if err := ResetAll(inst); err != nil {
			t.Errorf("ResetAll: %v", err)
		}
		requireNoCgroups(t, inst)
		os.RemoveAll(inst.RunDir)
	})
	g, err := Create(inst, "c1", l, log)
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	return g, inst, log
}

// requireNoCgroups fails if the instance has a cgroup left in any hierarchy.
func requireNoCgroups(t testing.TB, inst instance.Instance) {
	t.Helper()
	lo, err := machineLayout()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{"cpu", "cpuacct", "cpuset", "memory", "pids", "freezer", "blkio", "devices", "systemd", "unified"} {
		d := lo.dir(c, inst.CgroupParent())
		if _, err := os.Stat(d); err == nil {
			t.Errorf("cgroup %s is left behind", d)
		}
	}
}

// startInGroup starts a command that waits for a line on stdin, puts it in the group,
// then lets it go. The process is killed when the test ends.
func startInGroup(t *testing.T, g *Group, cmd *exec.Cmd) *exec.Cmd {
	t.Helper()
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	if err := g.AddProcess(cmd.Process.Pid); err != nil {
		t.Fatal(err)
	}
	if _, err := in.Write([]byte("go\n")); err != nil {
		t.Fatal(err)
	}
	return cmd
}

// boost raises a process's scheduling priority, so that a busy machine (other tests,
// builds) cannot starve it below its CPU quota: the measurement is then of the quota.
func boost(t *testing.T, pid int) {
	t.Helper()
	if err := syscall.Setpriority(syscall.PRIO_PROCESS, pid, -15); err != nil {
		t.Fatalf("renice %d: %v", pid, err)
	}
}

// busyLoop is a shell that spins once released.
func busyLoop() *exec.Cmd {
	return exec.Command("sh", "-c", "read x; while :; do :; done")
}

// cpuPercent measures the group's CPU use, in % of one core, over d; it measures again
// (three times at most) while the figure is more than 5 points from want, since a busy
// machine can starve a loop below its quota for a while.
func cpuPercent(t *testing.T, g *Group, want float64, d time.Duration) (pct float64, first, last Stats) {
	t.Helper()
	for try := 0; try < 3; try++ {
		var err error
		if first, err = g.Stats(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(d)
		if last, err = g.Stats(); err != nil {
			t.Fatal(err)
		}
		wall := last.Time.Sub(first.Time).Nanoseconds()
		pct = 100 * float64(last.CPUUsageNs-first.CPUUsageNs) / float64(wall)
		if math.Abs(pct-want) <= 5 {
			break
		}
		t.Logf("measured %.1f%%, want %.0f%%: measuring again", pct, want)
	}
	return pct, first, last
}
