package cgroup

import (
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/docker/go-units"

	"workbench/testutil"
)

func TestCPUQuotaHoldsBusyLoopAndUpdateMovesIt(t *testing.T) {
	g, _, log := newGroup(t, Limits{CPUs: 0.2})
	boost(t, startInGroup(t, g, busyLoop()).Process.Pid)
	time.Sleep(300 * time.Millisecond)
	pct, first, last := cpuPercent(t, g, 20, 3*time.Second)
	t.Logf("--cpus 0.2: %.1f%% of a core, nr_throttled %d -> %d", pct, first.NrThrottled, last.NrThrottled)
	if math.Abs(pct-20) > 5 {
		t.Errorf("busy loop at --cpus 0.2 used %.1f%% of a core, want 20%% ± 5", pct)
	}
	if last.NrThrottled <= first.NrThrottled || last.ThrottledNs <= first.ThrottledNs {
		t.Errorf("throttling did not grow: %+v -> %+v", first, last)
	}
	if last.CPUQuotaUs != 20000 || last.CPUPeriodUs != 100000 {
		t.Errorf("quota/period = %d/%d, want 20000/100000", last.CPUQuotaUs, last.CPUPeriodUs)
	}

	if err := g.Update(Limits{CPUs: 0.5}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	pct, _, _ = cpuPercent(t, g, 50, 3*time.Second)
	t.Logf("--cpus 0.5: %.1f%% of a core", pct)
	// Half a core is more than a busy machine may give, whatever the priority: the
	// loop must go past the old quota and stay under the new one.
	if pct <= 25 || pct > 55 {
		t.Errorf("busy loop after Update to 0.5 used %.1f%% of a core, want more than the old 20%% and at most 50%% + 5", pct)
	}
	l, err := g.Limits()
	if err != nil {
		t.Fatal(err)
	}
	if l.CPUs != 0.5 || l.CPUQuota != 50000 || l.CPUPeriod != 100000 {
		t.Errorf("Limits() = %+v, want 0.5 CPUs (50000/100000)", l)
	}
	requireLogged(t, log, "echo 50000 > "+filepath.Join(g.lo.dir("cpu", g.Path()), "cpu.cfs_quota_us"))
}

func TestMemoryLimitEndsInOOMKill(t *testing.T) {
	g, _, _ := newGroup(t, Limits{Memory: 16 << 20})
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), helperEnv+"=128")
	startInGroup(t, g, cmd)
	err := cmd.Wait()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != -1 || !strings.Contains(ee.String(), "killed") {
		t.Fatalf("process allocating 128 MiB under a 16 MiB limit ended with %v, want killed by SIGKILL", err)
	}
	oom, err := g.OOMKilled()
	if err != nil || !oom {
		t.Fatalf("OOMKilled() = %v, %v; want true", oom, err)
	}
	s, err := g.Stats()
	if err != nil {
		t.Fatal(err)
	}
	if s.MemoryLimit != 16<<20 || s.OOMKills == 0 || s.MemoryFailcnt == 0 {
		t.Errorf("stats after the OOM kill: %+v", s)
	}
}

func TestPidsLimitStopsForkLoop(t *testing.T) {
	g, _, _ := newGroup(t, Limits{PidsLimit: 10})
	cmd := exec.Command("sh", "-c", "read x; i=0; while [ $i -lt 40 ]; do sleep 60 & i=$((i+1)); done 2>/dev/null; sleep 60")
	startInGroup(t, g, cmd)
	testutil.Eventually(t, "the fork loop to fill pids.current up to 10", func() bool {
		s, err := g.Stats()
		if err != nil {
			t.Fatal(err)
		}
		return s.PidsCurrent == 10
	})
	time.Sleep(500 * time.Millisecond)
	s, _ := g.Stats()
	pids, _ := g.Pids()
	if s.PidsCurrent != 10 || s.PidsLimit != 10 || len(pids) > 10 {
		t.Fatalf("fork loop under --pids-limit 10: pids.current %d, limit %d, %d processes; want 10", s.PidsCurrent, s.PidsLimit, len(pids))
	}
	events, err := os.ReadFile(filepath.Join(g.lo.dir("pids", g.Path()), "pids.events"))
	if err != nil || keyValue(events, "max") == 0 {
		t.Fatalf("pids.events shows no refused fork: %q, %v", events, err)
	}
}

func TestCpusetPinsProcess(t *testing.T) {
	g, _, _ := newGroup(t, Limits{CpusetCpus: "0"})
	cmd := startInGroup(t, g, busyLoop())
	b, err := os.ReadFile("/proc/" + strconv.Itoa(cmd.Process.Pid) + "/status")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "Cpus_allowed_list:\t0\n") {
		t.Fatalf("process in cpuset 0 is not pinned:\n%s", b)
	}
}

func TestDeleteKillsAndRemovesEverywhere(t *testing.T) {
	g, inst, log := newGroup(t, Limits{CPUs: 1, Memory: 64 << 20, PidsLimit: 50, CpusetCpus: "0-1", CPUShares: 512})
	cmd := startInGroup(t, g, busyLoop())
	if err := g.Delete(); err != nil {
		t.Fatal(err)
	}
	for _, d := range g.Dirs() {
		if _, err := os.Stat(d); err == nil {
			t.Errorf("%s still exists after Delete", d)
		}
	}
	if err := cmd.Wait(); err == nil {
		t.Error("the process survived Delete")
	}
	if _, err := Open(inst, "c1"); err == nil {
		t.Error("Open found the deleted group")
	}
	requireLogged(t, log, "rmdir "+g.lo.dir("memory", g.Path()))
}

func TestResetAllRemovesEveryGroupOfTheInstance(t *testing.T) {
	g, inst, log := newGroup(t, Limits{})
	g2, err := Create(inst, "c2", Limits{PidsLimit: 20}, log)
	if err != nil {
		t.Fatal(err)
	}
	startInGroup(t, g, busyLoop())
	startInGroup(t, g2, busyLoop())
	if err := ResetAll(inst); err != nil {
		t.Fatal(err)
	}
	requireNoCgroups(t, inst)
}

func TestCreateRecordsEveryWriteAndReadsBack(t *testing.T) {
	l := Limits{CPUPeriod: 50000, CPUQuota: 25000, CPUShares: 512, CpusetCpus: "1", Memory: 32 << 20, MemorySwap: 64 << 20, PidsLimit: 30}
	g, _, log := newGroup(t, l)
	got, err := g.Limits()
	if err != nil {
		t.Fatal(err)
	}
	want := l
	want.CPUs = 0.5
	if got != want {
		t.Errorf("Limits() = %+v, want %+v", got, want)
	}
	for _, w := range v1Writes(l, Limits{}) {
		requireLogged(t, log, "echo "+w.Value+" > "+filepath.Join(g.lo.dir(w.Controller, g.Path()), w.File))
	}
	requireLogged(t, log, "mkdir "+g.lo.dir("pids", g.Path()))
	if g.lo.mode == V1 && g.lo.present["cpuset"] {
		// A new cpuset takes its parent's memory nodes: the log says which.
		dir := g.lo.dir("cpuset", g.Path())
		mems, err := os.ReadFile(filepath.Join(dir, "cpuset.mems"))
		if err != nil || strings.TrimSpace(string(mems)) == "" {
			t.Fatalf("the cpuset has no memory nodes: %q, %v", mems, err)
		}
		requireLogged(t, log, "echo "+strings.TrimSpace(string(mems))+" > "+filepath.Join(dir, "cpuset.mems"))
	}
	startInGroup(t, g, busyLoop())
	pids, err := g.Pids()
	if err != nil || len(pids) != 1 {
		t.Fatalf("Pids() = %v, %v", pids, err)
	}
	requireLogged(t, log, "echo "+strconv.Itoa(pids[0])+" > "+filepath.Join(g.lo.dir("cpu", g.Path()), "cgroup.procs"))
}

func TestCreateRejectsBadLimitsBeforeMakingAnything(t *testing.T) {
	g, inst, log := newGroup(t, Limits{})
	if _, err := Create(inst, "bad", Limits{Memory: 1 << 20}, log); err == nil {
		t.Fatal("Create accepted a 1 MiB memory limit")
	}
	if _, err := Open(inst, "bad"); err == nil {
		t.Fatal("a rejected Create left a cgroup")
	}
	if _, err := Create(inst, "c1", Limits{}, log); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("second Create of c1 = %v, want 'already exists'", err)
	}
	if err := g.Update(Limits{CPUs: 1000}); err == nil {
		t.Fatal("Update accepted 1000 CPUs")
	}
}

// TestKernelTakesTheLimitsAtTheirBounds shows that the ranges Validate allows are the
// kernel's: both ends are written without error, one step past is refused.
func TestKernelTakesTheLimitsAtTheirBounds(t *testing.T) {
	g, _, _ := newGroup(t, Limits{CPUPeriod: MinCPUPeriod, CPUQuota: MaxCPUQuota, CPUShares: MaxCPUShares, Memory: MaxMemory, PidsLimit: MaxPids})
	if err := g.Update(Limits{CPUPeriod: MaxCPUPeriod, CPUQuota: MinCPUQuota, CPUShares: MinCPUShares, Memory: MinMemory, PidsLimit: 1}); err != nil {
		t.Fatalf("the lower bounds: %v", err)
	}
	if g.lo.mode == V2 {
		return
	}
	for _, c := range []struct{ controller, file, value string }{
		{"pids", "pids.max", strconv.Itoa(MaxPids + 1)},
		{"cpu", "cpu.cfs_quota_us", strconv.FormatInt(MaxCPUQuota+1, 10)},
		{"cpu", "cpu.cfs_quota_us", strconv.Itoa(MinCPUQuota - 1)},
		{"cpu", "cpu.cfs_period_us", strconv.Itoa(MaxCPUPeriod + 1)},
		{"cpu", "cpu.cfs_period_us", strconv.Itoa(MinCPUPeriod - 1)},
	} {
		if err := os.WriteFile(filepath.Join(g.lo.dir(c.controller, g.Path()), c.file), []byte(c.value), 0o644); err == nil {
			t.Errorf("the kernel took %s %s: the range in Validate is narrower than the kernel's", c.file, c.value)
		}
	}
}

func requireLogged(t *testing.T, log interface {
	Path() string
}, line string) {
	t.Helper()
	b, err := os.ReadFile(log.Path())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "\t"+line+"\n") {
		t.Errorf("command log lacks %q:\n%s", line, b)
	}
}

func TestMissingControllerIsNamedAndTheRestRuns(t *testing.T) {
	testutil.RequireRoot(t)
	inst := testutil.NewInstance(t)
	t.Cleanup(func() { _ = ResetAll(inst); requireNoCgroups(t, inst); os.RemoveAll(inst.RunDir) })
	lo, err := machineLayout()
	if err != nil {
		t.Fatal(err)
	}
	partial := layout{mode: lo.mode, root: lo.root, present: map[string]bool{}}
	for c, ok := range lo.present {
		partial.present[c] = ok && c != "pids"
	}
	g, err := createIn(partial, inst, "c1", Limits{CPUs: 0.5, PidsLimit: 10}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if w := strings.Join(g.Warnings(), "\n"); !strings.Contains(w, "pids cgroup controller is not available") || !strings.Contains(w, "--pids-limit is not applied") {
		t.Errorf("warnings = %q", w)
	}
	if _, err := os.Stat(lo.dir("pids", g.Path())); err == nil {
		t.Error("a pids cgroup was made although the controller is treated as missing")
	}
	l, err := g.Limits()
	if err != nil || l.CPUQuota != 50000 || l.PidsLimit != 0 {
		t.Errorf("Limits() = %+v, %v: want the CPU quota applied and no pids limit", l, err)
	}
	if s, err := g.Stats(); err != nil || s.CPUQuotaUs != 50000 || s.PidsLimit != 0 {
		t.Errorf("Stats() = %+v, %v", s, err)
	}
}

func TestUpdateBelowUsageSaysWhy(t *testing.T) {
	// Room enough for the helper built with -race, whose runtime takes more memory.
	g, _, _ := newGroup(t, Limits{Memory: 512 << 20})
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), helperEnv+"=24")
	out, _ := cmd.StdoutPipe()
	startInGroup(t, g, cmd)
	buf := make([]byte, 16)
	if _, err := out.Read(buf); err != nil {
		t.Fatal(err)
	}
	err := g.Update(Limits{CPUs: 0.5, Memory: 8 << 20, MemorySwap: 8 << 20})
	if err == nil {
		t.Skip("the kernel reclaimed below 8 MiB without swap; nothing to check")
	}
	t.Logf("Update below usage: %v", err)
	if !strings.Contains(err.Error(), "pick a larger limit") {
		t.Errorf("Update below usage = %v", err)
	}
	if l, err := g.Limits(); err != nil || l.Memory != 512<<20 || l.MemorySwap != 1024<<20 || l.CPUQuota != -1 {
		t.Errorf("a failed update changed the limits: %+v, %v", l, err)
	}
}

func TestUpdateMemoryUpAndDownKeepsSwapInStep(t *testing.T) {
	g, _, _ := newGroup(t, Limits{Memory: 10 << 20})
	for _, mem := range []int64{100 << 20, 20 << 20, 6 << 20} {
		if err := g.Update(Limits{Memory: mem}); err != nil {
			t.Fatalf("Update to %s: %v", units.BytesSize(float64(mem)), err)
		}
		l, err := g.Limits()
		if err != nil || l.Memory != mem || l.MemorySwap != 2*mem {
			t.Errorf("after Update to %s: %+v, %v; want memory+swap twice memory", units.BytesSize(float64(mem)), l, err)
		}
	}
	if err := g.Update(Limits{MemorySwap: -1}); err != nil {
		t.Fatal(err)
	}
	if err := g.Update(Limits{Memory: 50 << 20}); err != nil {
		t.Fatal(err)
	}
	if l, _ := g.Limits(); l.MemorySwap != -1 {
		t.Errorf("unlimited swap was not kept: %+v", l)
	}
}
