package cli

import (
	"fmt"
	"runtime"

	"github.com/spf13/pflag"

	"workbench/core/cgroup"
)

// limitFlags are the resource-limit flags `run` and `update` share, spelled as Docker's.
type limitFlags struct {
	fs         *pflag.FlagSet
	cpus       float64
	cpuPeriod  uint64
	cpuQuota   int64
	cpuShares  uint64
	cpusetCpus string
	memory     string
	memorySwap string
	pidsLimit  int64
}

// addLimitFlags adds --cpus, --cpu-period, --cpu-quota, --cpu-shares, --cpuset-cpus,
// --memory, --memory-swap and --pids-limit to fs.
func addLimitFlags(fs *pflag.FlagSet) *limitFlags {
	f := &limitFlags{fs: fs}
	fs.Float64Var(&f.cpus, "cpus", 0, "number of CPUs the container may use, e.g. 0.5 (a CFS quota)")
	fs.Uint64Var(&f.cpuPeriod, "cpu-period", 0, "CFS period in microseconds (1000 to 1000000)")
	fs.Int64Var(&f.cpuQuota, "cpu-quota", 0, "CFS quota in microseconds per period (-1 = none)")
	fs.Uint64VarP(&f.cpuShares, "cpu-shares", "c", 0, "relative CPU weight (1024 = default)")
	fs.StringVar(&f.cpusetCpus, "cpuset-cpus", "", "CPUs the container may run on, e.g. 0 or 0-1")
	fs.StringVarP(&f.memory, "memory", "m", "", "memory limit, e.g. 64m or 1g (at least 6m)")
	fs.StringVar(&f.memorySwap, "memory-swap", "", "memory plus swap limit, e.g. 128m (-1 = unlimited swap)")
	fs.Int64Var(&f.pidsLimit, "pids-limit", 0, "most processes the container may hold (-1 = unlimited)")
	setExamples(fs, map[string]string{"cpus": "0.5", "cpu-period": "100000", "cpu-quota": "50000",
		"cpu-shares": "512", "cpuset-cpus": "0-1", "memory": "64m", "memory-swap": "128m", "pids-limit": "100"})
	return f
}

// limits turns the flags given into checked limits; flags not given stay unset. A
// flag given as 0 (or empty) is refused here, since 0 means "not set" in Limits;
// Validate checks the ranges of the rest.
func (f *limitFlags) limits() (cgroup.Limits, error) {
	var l cgroup.Limits
	changed := func(name string) bool { return f.fs != nil && f.fs.Changed(name) }
	if changed("cpus") {
		if f.cpus == 0 {
			return l, fmt.Errorf("--cpus 0 is out of range: use %v to %d CPUs, e.g. --cpus 0.5", cgroup.MinCPUs, runtime.NumCPU())
		}
		l.CPUs = f.cpus
	}
	if changed("cpu-period") {
		if f.cpuPeriod == 0 {
			return l, fmt.Errorf("--cpu-period 0 is out of range: use %d to %d microseconds", cgroup.MinCPUPeriod, cgroup.MaxCPUPeriod)
		}
		l.CPUPeriod = f.cpuPeriod
	}
	if changed("cpu-quota") {
		if f.cpuQuota == 0 {
			return l, fmt.Errorf("--cpu-quota 0 is out of range: use %d to %d microseconds, or -1 for no quota", cgroup.MinCPUQuota, int64(cgroup.MaxCPUQuota))
		}
		l.CPUQuota = f.cpuQuota
	}
	if changed("cpu-shares") {
		if f.cpuShares == 0 {
			return l, fmt.Errorf("--cpu-shares 0 is out of range: use %d to %d (1024 is the default weight)", cgroup.MinCPUShares, cgroup.MaxCPUShares)
		}
		l.CPUShares = f.cpuShares
	}
	if changed("cpuset-cpus") {
		if f.cpusetCpus == "" {
			return l, fmt.Errorf("--cpuset-cpus is empty: name CPUs such as 0 or 0-1")
		}
		l.CpusetCpus = f.cpusetCpus
	}
	if changed("memory") {
		m, err := cgroup.ParseMemory(f.memory)
		if err != nil {
			return l, fmt.Errorf("--memory: %w", err)
		}
		if m <= 0 {
			return l, fmt.Errorf("--memory %s is out of range: give a size of at least 6m, e.g. --memory 64m", f.memory)
		}
		l.Memory = m
	}
	if changed("memory-swap") {
		m, err := cgroup.ParseMemory(f.memorySwap)
		if err != nil {
			return l, fmt.Errorf("--memory-swap: %w", err)
		}
		if m == 0 {
			return l, fmt.Errorf("--memory-swap 0 is out of range: give a size at least --memory, or -1 for unlimited swap")
		}
		l.MemorySwap = m
	}
	if changed("pids-limit") {
		if f.pidsLimit == 0 {
			return l, fmt.Errorf("--pids-limit 0 would stop the container from starting any process: use 1 to %d, or -1 for no limit", cgroup.MaxPids)
		}
		l.PidsLimit = f.pidsLimit
	}
	return l, l.Validate()
}
