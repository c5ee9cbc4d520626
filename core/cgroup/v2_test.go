package cgroup

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"workbench/cmdlog"
	"workbench/instance"
	"workbench/testutil"
)

// The machine runs cgroup v1; these tests cover the v2 path on a directory tree laid
// out as a cgroup2 mount would be (the kernel's files, written and read as plain files).

func TestV2WritesTranslateLimits(t *testing.T) {
	got := v2Writes(Limits{CPUs: 0.5, CPUShares: 1024, CpusetCpus: "0-1", Memory: 64 << 20, MemorySwap: 96 << 20, PidsLimit: 10}, Limits{})
	want := []write{
		{"cpu", "cpu.weight", "100"},
		{"cpu", "cpu.max", "50000 100000"},
		{"cpuset", "cpuset.cpus", "0-1"},
		{"memory", "memory.max", "67108864"},
		{"memory", "memory.swap.max", "33554432"},
		{"pids", "pids.max", "10"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("v2Writes = %v\nwant %v", got, want)
	}
	for _, c := range []struct {
		l, cur Limits
		want   []write
	}{
		{Limits{CPUQuota: 20000}, Limits{}, []write{{"cpu", "cpu.max", "20000"}}},
		{Limits{CPUQuota: -1}, Limits{}, []write{{"cpu", "cpu.max", "max"}}},
		{Limits{CPUPeriod: 50000}, Limits{CPUQuota: 25000}, []write{{"cpu", "cpu.max", "25000 50000"}}},
		{Limits{CPUPeriod: 50000}, Limits{CPUQuota: -1}, []write{{"cpu", "cpu.max", "max 50000"}}},
		{Limits{Memory: 32 << 20}, Limits{}, []write{{"memory", "memory.max", "33554432"}, {"memory", "memory.swap.max", "33554432"}}},
		{Limits{Memory: 32 << 20, MemorySwap: -1}, Limits{}, []write{{"memory", "memory.max", "33554432"}, {"memory", "memory.swap.max", "max"}}},
		{Limits{PidsLimit: -1}, Limits{}, []write{{"pids", "pids.max", "max"}}},
	} {
		if got := v2Writes(c.l, c.cur); !reflect.DeepEqual(got, c.want) {
			t.Errorf("v2Writes(%+v, cur %+v) = %v, want %v", c.l, c.cur, got, c.want)
		}
	}
}

func TestV1WritesOrderMemoryAgainstSwap(t *testing.T) {
	grow := v1Writes(Limits{Memory: 100 << 20, MemorySwap: 200 << 20}, Limits{Memory: 10 << 20, MemorySwap: 20 << 20})
	if grow[0].File != "memory.memsw.limit_in_bytes" {
		t.Errorf("growing memory past memory+swap must raise memsw first: %v", grow)
	}
	shrink := v1Writes(Limits{Memory: 10 << 20}, Limits{Memory: 100 << 20, MemorySwap: 200 << 20})
	if shrink[0].File != "memory.limit_in_bytes" || shrink[1].Value != "20971520" {
		t.Errorf("shrinking memory must lower it first and keep swap = memory: %v", shrink)
	}
	cpu := v1Writes(Limits{CPUs: 1.5, CPUShares: 512, PidsLimit: -1}, Limits{})
	want := []write{{"cpu", "cpu.shares", "512"}, {"cpu", "cpu.cfs_period_us", "100000"}, {"cpu", "cpu.cfs_quota_us", "150000"}, {"pids", "pids.max", "max"}}
	if !reflect.DeepEqual(cpu, want) {
		t.Errorf("v1Writes = %v, want %v", cpu, want)
	}
}

func TestSharesWeightRoundTrip(t *testing.T) {
	if SharesToWeight(1024) != 100 || SharesToWeight(2) != 1 || SharesToWeight(262144) != 10000 {
		t.Fatalf("SharesToWeight: 1024->%d 2->%d 262144->%d", SharesToWeight(1024), SharesToWeight(2), SharesToWeight(262144))
	}
	for _, s := range []uint64{2, 100, 512, 1024, 2048, 100000, 262144} {
		w := SharesToWeight(s)
		if got := SharesToWeight(WeightToShares(w)); got != w {
			t.Errorf("weight %d (shares %d) -> shares %d -> weight %d", w, s, WeightToShares(w), got)
		}
	}
}

func TestV2GroupPathsAndFiles(t *testing.T) {
	lo := layout{mode: V2, root: "/sys/fs/cgroup", present: map[string]bool{"cpu": true, "cpuacct": true, "cpuset": true, "memory": true, "pids": true}}
	inst, _ := instance.New("wb")
	p, _ := groupPath(inst, "abc")
	if got := lo.hierarchies(p); !reflect.DeepEqual(got, []string{"/sys/fs/cgroup/workbench/abc"}) {
		t.Errorf("v2 hierarchies = %v", got)
	}
	f := newStatFiles(lo, p)
	if f.cpuMax != "/sys/fs/cgroup/workbench/abc/cpu.max" || f.memOOM != "/sys/fs/cgroup/workbench/abc/memory.events" || f.cpuUsage != "" {
		t.Errorf("v2 stat files = %+v", f)
	}
	v1 := layout{mode: V1, root: "/sys/fs/cgroup", present: map[string]bool{"cpu": true, "memory": true}}
	if got := v1.hierarchies(p); !reflect.DeepEqual(got, []string{"/sys/fs/cgroup/cpu/workbench/abc", "/sys/fs/cgroup/memory/workbench/abc"}) {
		t.Errorf("v1 hierarchies = %v", got)
	}
	if w := missingWarnings(v1.present); len(w) != 5 || !strings.Contains(w[0], "cpuacct") || !strings.Contains(w[2], "--pids-limit is not applied") || !strings.Contains(w[3], "device allowlist") || !strings.Contains(w[4], "--pause=false") {
		t.Errorf("missing controller warnings = %q", w)
	}
}

// fakeV2 lays out a cgroup2 root with the files the kernel would show.
func fakeV2(t *testing.T) layout {
	root := t.TempDir()
	for _, f := range []string{"cgroup.subtree_control", "cgroup.controllers", "cpuset.mems.effective"} {
		writeTestFile(t, filepath.Join(root, f), "")
	}
	writeTestFile(t, filepath.Join(root, "cpuset.mems.effective"), "0\n")
	return layout{mode: V2, root: root, present: map[string]bool{"cpu": true, "cpuacct": true, "cpuset": true, "memory": true, "pids": true}}
}

// fakeV2Group opens the group c1 of instance wb in a fake v2 tree whose directory dir
// holds files (name to content), with a command log of its own.
func fakeV2Group(t *testing.T, files map[string]string) (g *Group, dir string) {
	t.Helper()
	lo := fakeV2(t)
	inst, _ := instance.New("wb")
	dir = filepath.Join(lo.root, "workbench", "c1")
	for f, v := range files {
		writeTestFile(t, filepath.Join(dir, f), v)
	}
	g, err := openIn(lo, inst, "c1")
	if err != nil {
		t.Fatal(err)
	}
	g.log = cmdlog.Open(filepath.Join(t.TempDir(), "commands.log"))
	return g, dir
}

// readTestFile is the content of a file of the fake tree.
func readTestFile(t *testing.T, path string) string { return testutil.ReadFile(t, path) }

func writeTestFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestV2MakeRecordsWhatItWrites makes a group in a tree whose root has cpu and memory
// on already: the root gets only what is missing, the new parent everything, and the
// log holds exactly the writes and directories made.
func TestV2MakeRecordsWhatItWrites(t *testing.T) {
	lo := fakeV2(t)
	writeTestFile(t, filepath.Join(lo.root, "cgroup.subtree_control"), "cpu memory\n")
	inst, _ := instance.New("wb")
	log := cmdlog.Open(filepath.Join(t.TempDir(), "commands.log"))
	g := &Group{lo: lo, path: inst.CgroupParent() + "/c1", log: log}
	if err := g.make(); err != nil {
		t.Fatal(err)
	}
	for file, want := range map[string]string{"cgroup.subtree_control": "+cpuset +pids", "workbench/cgroup.subtree_control": "+cpu +cpuset +memory +pids"} {
		if got := testutil.ReadFile(t, filepath.Join(lo.root, file)); got != want {
			t.Errorf("%s = %q, want %q", file, got, want)
		}
	}
	if fi, err := os.Stat(filepath.Join(lo.root, "workbench/c1")); err != nil || !fi.IsDir() {
		t.Errorf("the group's directory is not there: %v", err)
	}
	cmds := testutil.Commands(t, log)
	want := []string{
		"echo '+cpuset +pids' > " + lo.root + "/cgroup.subtree_control",
		"mkdir " + lo.root + "/workbench",
		"echo '+cpu +cpuset +memory +pids' > " + lo.root + "/workbench/cgroup.subtree_control",
		"mkdir " + lo.root + "/workbench/c1",
	}
	if !reflect.DeepEqual(cmds, want) {
		t.Errorf("recorded:\n%s\nwant:\n%s", strings.Join(cmds, "\n"), strings.Join(want, "\n"))
	}
}

func TestV2UpdateLimitsAndStats(t *testing.T) {
	g, dir := fakeV2Group(t, map[string]string{
		"cgroup.procs": "", "cpu.max": "max 100000\n", "cpu.weight": "100\n", "cpuset.cpus": "\n",
		"memory.max": "max\n", "memory.swap.max": "max\n", "pids.max": "max\n",
		"cpu.stat":       "usage_usec 1500\nuser_usec 1000\nsystem_usec 500\nnr_periods 30\nnr_throttled 12\nthrottled_usec 4000\n",
		"memory.current": "1048576\n", "memory.events": "low 0\nhigh 0\nmax 7\noom 1\noom_kill 1\n", "pids.current": "3\n",
	})
	if err := g.Update(Limits{CPUs: 0.2, CPUShares: 512, CpusetCpus: "0", Memory: 10 << 20, PidsLimit: 20}); err != nil {
		t.Fatal(err)
	}
	for f, want := range map[string]string{"cpu.max": "20000 100000", "cpu.weight": "59", "cpuset.cpus": "0", "memory.max": "10485760", "memory.swap.max": "10485760", "pids.max": "20"} {
		if got := testutil.ReadFile(t, filepath.Join(dir, f)); got != want {
			t.Errorf("%s = %q, want %q", f, got, want)
		}
	}
	l, err := g.Limits()
	if err != nil {
		t.Fatal(err)
	}
	want := Limits{CPUs: 0.2, CPUPeriod: 100000, CPUQuota: 20000, CPUShares: WeightToShares(59), CpusetCpus: "0", Memory: 10 << 20, MemorySwap: 20 << 20, PidsLimit: 20}
	if l != want {
		t.Errorf("Limits() = %+v\nwant %+v", l, want)
	}
	s, err := g.Stats()
	if err != nil {
		t.Fatal(err)
	}
	s.Time = s.Time.Truncate(0)
	if s.CPUUsageNs != 1500000 || s.NrPeriods != 30 || s.NrThrottled != 12 || s.ThrottledNs != 4000000 ||
		s.CPUQuotaUs != 20000 || s.CPUPeriodUs != 100000 || s.MemoryUsage != 1<<20 || s.MemoryLimit != 10<<20 ||
		s.MemoryFailcnt != 7 || s.OOMKills != 1 || s.PidsCurrent != 3 || s.PidsLimit != 20 {
		t.Errorf("v2 Stats = %+v", s)
	}
	if oom, err := g.OOMKilled(); err != nil || !oom {
		t.Errorf("OOMKilled() = %v, %v", oom, err)
	}
}
