package cgview

import (
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"runtime"
	"syscall"
	"testing"
	"time"

	"workbench/cmdlog"
	"workbench/core/cgroup"
	"workbench/instance"
	"workbench/testutil"
)

// groups makes n cgroups in a fresh instance, removed when the test ends.
func groups(t testing.TB, n int, l cgroup.Limits) (instance.Instance, []Target, []*cgroup.Group) {
	t.Helper()
	testutil.RequireRoot(t)
	inst := testutil.NewInstance(t)
	t.Cleanup(func() {
		if err := cgroup.ResetAll(inst); err != nil {
			t.Errorf("ResetAll: %v", err)
		}
		os.RemoveAll(inst.RunDir)
	})
	log := cmdlog.Open(inst.CommandLogPath())
	var targets []Target
	var gs []*cgroup.Group
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("c%03d", i)
		g, err := cgroup.Create(inst, id, l, log)
		if err != nil {
			t.Fatal(err)
		}
		targets = append(targets, Target{ID: id, Name: "name-" + id, CgroupID: id})
		gs = append(gs, g)
	}
	return inst, targets, gs
}

func TestSamplerMeasuresThrottledLoop(t *testing.T) {
	inst, targets, gs := groups(t, 1, cgroup.Limits{CPUs: 0.2, Memory: 64 << 20})
	cmd := exec.Command("sh", "-c", "read x; while :; do :; done")
	in, _ := cmd.StdinPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	if err := gs[0].AddProcess(cmd.Process.Pid); err != nil {
		t.Fatal(err)
	}
	// A raised priority keeps a busy machine from starving the loop below its quota.
	if err := syscall.Setpriority(syscall.PRIO_PROCESS, cmd.Process.Pid, -15); err != nil {
		t.Fatal(err)
	}
	_, _ = in.Write([]byte("go\n"))

	s := NewSampler(inst, func(context.Context) ([]Target, error) { return targets, nil }, 3)
	defer s.Close()
	for i := 0; i < 5; i++ {
		if err := s.Sample(t.Context()); err != nil {
			t.Fatal(err)
		}
		if i == 1 {
			kept := s.Snapshot()
			defer func() {
				if len(kept.Series[0].History) != 1 {
					t.Errorf("an old snapshot changed: %+v", kept.Series[0].History)
				}
			}()
		}
		time.Sleep(700 * time.Millisecond)
	}
	// A busy machine can starve the loop below its quota for a while: sample on.
	for i := 0; i < 5 && math.Abs(s.Snapshot().Series[0].Last().CPUPercent-20) > 5; i++ {
		time.Sleep(700 * time.Millisecond)
		_ = s.Sample(t.Context())
	}
	snap := s.Snapshot()
	ser, ok := snap.Find("name-c000")
	if !ok || len(ser.History) != 3 {
		t.Fatalf("snapshot = %+v", snap)
	}
	last := ser.Last()
	t.Logf("last point: %+v", last)
	if math.Abs(last.CPUPercent-20) > 5 || math.Abs(last.MachinePercent-last.CPUPercent/float64(runtime.NumCPU())) > 1e-9 {
		t.Errorf("CPU %% of a core = %.1f, want 20 ± 5", last.CPUPercent)
	}
	if last.ThrottledPerSec < 5 || last.ThrottledMsPerSec < 100 {
		t.Errorf("throttling rates too low for a loop held at 20%%: %+v", last)
	}
	if ser.Stats.MemoryLimit != 64<<20 || ser.Stats.PidsCurrent != 1 {
		t.Errorf("memory figures: %+v", ser.Stats)
	}

	// A target whose cgroup is gone is reported, not fatal; one that leaves the list goes.
	if err := gs[0].Delete(); err != nil {
		t.Fatal(err)
	}
	_ = s.Sample(t.Context())
	if ser, _ := s.Snapshot().Find("c000"); ser.Err == "" {
		t.Error("a deleted cgroup reads without error")
	}
	targets = nil
	_ = s.Sample(t.Context())
	if n := len(s.Snapshot().Series); n != 0 {
		t.Errorf("%d series left after the target list emptied", n)
	}
}

func TestRates(t *testing.T) {
	t0 := time.Unix(100, 0)
	a := cgroup.Stats{Time: t0, CPUUsageNs: 1e9, NrThrottled: 10, ThrottledNs: 0}
	b := cgroup.Stats{Time: t0.Add(2 * time.Second), CPUUsageNs: 2e9, NrThrottled: 30, ThrottledNs: 400e6, MemoryUsage: 42}
	p := rates(a, b, 2)
	if p.CPUPercent != 50 || p.MachinePercent != 25 || p.ThrottledPerSec != 10 || p.ThrottledMsPerSec != 200 || p.MemoryBytes != 42 {
		t.Errorf("rates = %+v", p)
	}
	if p := rates(b, a, 2); p.CPUPercent != 0 {
		t.Errorf("backwards time gives %+v", p)
	}
}

// BenchmarkSample250 reads 250 real cgroups in one sampling round, the sampler's whole
// cost per tick; one iteration makes 20 rounds and reports the median and worst wall
// time, and the median CPU time (steadier on a busy machine).
func BenchmarkSample250(b *testing.B) {
	inst, targets, _ := groups(b, 250, cgroup.Limits{CPUs: 0.5, Memory: 64 << 20, PidsLimit: 100})
	s := NewSampler(inst, func(context.Context) ([]Target, error) { return targets, nil }, 0)
	defer s.Close()
	_ = s.Sample(b.Context()) // opens every group once
	for b.Loop() {
		var took, cpu []float64
		for i := 0; i < 20; i++ {
			before := cpuTime()
			if err := s.Sample(b.Context()); err != nil {
				b.Fatal(err)
			}
			cpu = append(cpu, float64(cpuTime()-before)/1e6)
			took = append(took, float64(s.Snapshot().Took.Microseconds())/1000)
		}
		p50, worst := medianMax(took)
		cpu50, _ := medianMax(cpu)
		b.ReportMetric(p50, "p50-ms")
		b.ReportMetric(worst, "max-ms")
		b.ReportMetric(cpu50, "cpu-p50-ms")
	}
}

// cpuTime is the CPU time the process has used, in nanoseconds.
func cpuTime() int64 {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Utime.Nano() + ru.Stime.Nano()
}

func medianMax(v []float64) (float64, float64) {
	s := append([]float64(nil), v...)
	for i := range s {
		for j := i + 1; j < len(s); j++ {
			if s[j] < s[i] {
				s[i], s[j] = s[j], s[i]
			}
		}
	}
	return s[len(s)/2], s[len(s)-1]
}
