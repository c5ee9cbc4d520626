package cgroup

import (
	"math"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"workbench/testutil"
)

func TestValidateRejectsBadInput(t *testing.T) {
	ncpu := runtime.NumCPU()
	for _, c := range []struct {
		l    Limits
		want string
	}{
		{Limits{CPUs: -1}, "--cpus"},
		{Limits{CPUs: float64(ncpu) + 0.5}, "more than the"},
		{Limits{CPUs: 0.001}, "too small"},
		{Limits{CPUs: 0.5, CPUQuota: 20000}, "cannot be combined"},
		{Limits{CPUPeriod: 10}, "--cpu-period"},
		{Limits{CPUQuota: 5}, "--cpu-quota"},
		{Limits{CPUShares: 1}, "--cpu-shares"},
		{Limits{CpusetCpus: strconv.Itoa(ncpu)}, "does not have"},
		{Limits{CpusetCpus: "0-" + strconv.Itoa(ncpu+3)}, "does not have"},
		{Limits{CpusetCpus: "a"}, "not a CPU number"},
		{Limits{CpusetCpus: "1-0"}, "backwards"},
		{Limits{Memory: 1 << 20}, "below what a process needs"},
		{Limits{Memory: -5}, "--memory"},
		{Limits{MemorySwap: 64 << 20}, "needs --memory"},
		{Limits{Memory: 64 << 20, MemorySwap: 32 << 20}, "below --memory"},
		{Limits{MemorySwap: -2}, "--memory-swap"},
		{Limits{PidsLimit: -2}, "--pids-limit"},
		{Limits{PidsLimit: 4294967296}, "--pids-limit 4294967296 is out of range: use 1 to 4194304, or -1 for no limit"},
		{Limits{PidsLimit: MaxPids + 1}, "--pids-limit 4194305 is out of range"},
		{Limits{CPUQuota: MaxCPUQuota + 1}, "--cpu-quota 17592186044416 is out of range: use 1000 to 17592186044415 microseconds, or -1 for no quota"},
		{Limits{CPUQuota: -2}, "--cpu-quota -2 is out of range"},
		{Limits{CPUPeriod: MaxCPUPeriod + 1}, "--cpu-period 1000001 is out of range: use 1000 to 1000000 microseconds"},
		{Limits{CPUShares: MaxCPUShares + 1}, "--cpu-shares 262145 is out of range: use 2 to 262144"},
		{Limits{CPUs: math.NaN()}, "--cpus NaN is out of range: use 0.01 to " + strconv.Itoa(ncpu)},
		{Limits{Memory: MaxMemory + 1}, "--memory 1PiB is more than any machine has: use 6m to 1024t"},
		{Limits{Memory: 64 << 20, MemorySwap: MaxMemory * 2}, "--memory-swap 2PiB is more than any machine has: use 6m to 1024t"},
		{Limits{Memory: 1 << 20}, "--memory 1MiB is below what a process needs: use 6m to 1024t"},
	} {
		err := c.l.Validate()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Validate(%+v) = %v, want an error with %q", c.l, err, c.want)
			continue
		}
		if strings.Contains(err.Error(), "\n") {
			t.Errorf("Validate(%+v) error spans lines: %q", c.l, err)
		}
	}
}

func TestValidateAccepts(t *testing.T) {
	for _, l := range []Limits{
		{},
		{CPUs: 0.2},
		{CPUs: float64(runtime.NumCPU())},
		{CPUPeriod: 50000, CPUQuota: 25000},
		{CPUQuota: -1},
		{CPUShares: 512, CpusetCpus: "0"},
		{Memory: MinMemory, MemorySwap: -1},
		{Memory: 64 << 20, MemorySwap: 64 << 20},
		{PidsLimit: -1},
		{PidsLimit: 10},
		{PidsLimit: MaxPids},
		{CPUQuota: MinCPUQuota},
		{CPUQuota: MaxCPUQuota},
		{CPUPeriod: MinCPUPeriod, CPUQuota: MaxCPUQuota},
		{CPUPeriod: MaxCPUPeriod},
		{CPUShares: MinCPUShares},
		{CPUShares: MaxCPUShares},
		{CPUs: MinCPUs},
		{Memory: MaxMemory, MemorySwap: MaxMemory},
	} {
		if err := l.Validate(); err != nil {
			t.Errorf("Validate(%+v) = %v", l, err)
		}
	}
}

func TestParseMemory(t *testing.T) {
	for in, want := range map[string]int64{
		"512m": 512 << 20, "1g": 1 << 30, "1G": 1 << 30, "1.5g": 3 << 29, "65536": 65536,
		"10M": 10 << 20, "64mb": 64 << 20, "64MiB": 64 << 20, "4k": 4096, "100b": 100, "-1": -1, " 2t": 2 << 40,
	} {
		got, err := ParseMemory(in)
		if err != nil || got != want {
			t.Errorf("ParseMemory(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "m", "12x", "1.2.3m", "-5m", "1e9", "0x10", "+5m", "10 mm", "99999999999t", "NaN", "Inf"} {
		if v, err := ParseMemory(bad); err == nil {
			t.Errorf("ParseMemory(%q) = %d, want an error", bad, v)
		}
	}
}

func TestParseCpuset(t *testing.T) {
	for in, want := range map[string]string{"0": "[0]", "0-2,4": "[0 1 2 4]", "3,1,1-2": "[1 2 3]", " 7 ": "[7]"} {
		got, err := ParseCpuset(in)
		if err != nil || sprint(got) != want {
			t.Errorf("ParseCpuset(%q) = %v, %v; want %s", in, got, err, want)
		}
	}
	for _, bad := range []string{"", ",", "1-", "-1", "a", "2-1", "0,,1", "1 2", "99999", "0-8192"} {
		if got, err := ParseCpuset(bad); err == nil {
			t.Errorf("ParseCpuset(%q) = %v, want an error", bad, got)
		}
	}
}

func sprint(v []int) string {
	parts := make([]string, len(v))
	for i, c := range v {
		parts[i] = strconv.Itoa(c)
	}
	return "[" + strings.Join(parts, " ") + "]"
}

func FuzzParseMemory(f *testing.F) {
	testutil.Seed(f, "512m", "1g", "1.5G", "-1", "", "12x", "64MiB", "1e9", "9999999999999999t")
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseMemory(s)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error spans lines: %q", err)
			}
			return
		}
		if v < -1 {
			t.Fatalf("ParseMemory(%q) = %d: negative size accepted", s, v)
		}
	})
}

func FuzzParseCpuset(f *testing.F) {
	testutil.Seed(f, "0", "0-1", "0-2,4", "", "a", "2-1", "0-8191", "1,1,1")
	f.Fuzz(func(t *testing.T, s string) {
		cpus, err := ParseCpuset(s)
		if err != nil {
			return
		}
		if len(cpus) == 0 {
			t.Fatalf("ParseCpuset(%q) accepted an empty list", s)
		}
		for i, c := range cpus {
			if c < 0 || c >= maxCPU || i > 0 && c <= cpus[i-1] {
				t.Fatalf("ParseCpuset(%q) = %v: not sorted, unique and in range", s, cpus)
			}
		}
	})
}

// FuzzValidate checks that Validate never panics, answers in one line that names a
// flag, and lets through only limits inside the kernel's ranges.
func FuzzValidate(f *testing.F) {
	f.Add(0.5, uint64(0), int64(0), uint64(512), "0", int64(64<<20), int64(-1), int64(10))
	f.Add(0.0, uint64(1000), int64(17592186044415), uint64(262144), "", int64(MaxMemory), int64(MaxMemory), int64(4194304))
	f.Add(math.Inf(1), uint64(999), int64(-2), uint64(1), "0-9999", int64(-5), int64(-2), int64(4294967296))
	f.Add(math.NaN(), uint64(1<<63), int64(math.MinInt64), uint64(1<<63), "1-0", int64(math.MaxInt64), int64(math.MinInt64), int64(math.MaxInt64))
	f.Fuzz(func(t *testing.T, cpus float64, period uint64, quota int64, shares uint64, cpuset string, mem, swap, pids int64) {
		l := Limits{CPUs: cpus, CPUPeriod: period, CPUQuota: quota, CPUShares: shares, CpusetCpus: cpuset, Memory: mem, MemorySwap: swap, PidsLimit: pids}
		err := l.Validate()
		if err != nil {
			if msg := err.Error(); strings.Contains(msg, "\n") || !strings.HasPrefix(msg, "--") {
				t.Fatalf("Validate(%+v) = %q: want one line that starts with the flag", l, msg)
			}
			return
		}
		in := func(v, lo, hi int64) bool { return v == 0 || v >= lo && v <= hi }
		switch {
		case l.CPUs != 0 && !(l.CPUs >= MinCPUs && l.CPUs <= float64(runtime.NumCPU())),
			!in(int64(min(l.CPUPeriod, math.MaxInt64)), MinCPUPeriod, MaxCPUPeriod),
			l.CPUQuota != -1 && !in(l.CPUQuota, MinCPUQuota, MaxCPUQuota),
			!in(int64(min(l.CPUShares, math.MaxInt64)), MinCPUShares, MaxCPUShares),
			!in(l.Memory, MinMemory, MaxMemory),
			l.MemorySwap != -1 && !in(l.MemorySwap, MinMemory, MaxMemory),
			l.PidsLimit != -1 && !in(l.PidsLimit, 1, MaxPids):
			t.Fatalf("Validate accepted %+v, outside the kernel's ranges", l)
		}
		for _, w := range writes(V1, l, Limits{}) {
			if strings.HasPrefix(w.Value, "-") && w.Value != "-1" {
				t.Fatalf("Validate accepted %+v, which writes %s %s", l, w.File, w.Value)
			}
		}
	})
}
