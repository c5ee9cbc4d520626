package cli

import (
	"fmt"

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
	return f
}

// limits turns the flags given into checked limits; flags not given stay unset.
func (f *limitFlags) limits() (cgroup.Limits, error) {
	var l cgroup.Limits
	changed := func(name string) bool { return f.fs != nil && f.fs.Changed(name) }
	if changed("cpus") {
		if f.cpus <= 0 {
			return l, fmt.Errorf("--cpus %v is invalid: give a positive number of CPUs, e.g. --cpus 0.5", f.cpus)
		}
		l.CPUs = f.cpus
	}
	if changed("cpu-period") {
		if f.cpuPeriod == 0 {
			return l, fmt.Errorf("--cpu-period 0 is invalid: use 1000 to 1000000 microseconds")
		}
		l.CPUPeriod = f.cpuPeriod
	}
	if changed("cpu-quota") {
		if f.cpuQuota == 0 {
			return l, fmt.Errorf("--cpu-quota 0 is invalid: use at least 1000 microseconds, or -1 for no quota")
		}
		l.CPUQuota = f.cpuQuota
	}
	if changed("cpu-shares") {
		if f.cpuShares == 0 {
			return l, fmt.Errorf("--cpu-shares 0 is invalid: use 2 to 262144 (1024 is the default weight)")
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
			return l, fmt.Errorf("--memory %s is invalid: give a size of at least 6m, e.g. 64m", f.memory)
		}
		l.Memory = m
	}
	if changed("memory-swap") {
		m, err := cgroup.ParseMemory(f.memorySwap)
		if err != nil {
			return l, fmt.Errorf("--memory-swap: %w", err)
		}
		if m == 0 {
			return l, fmt.Errorf("--memory-swap 0 is invalid: give a size at least --memory, or -1 for unlimited swap")
		}
		l.MemorySwap = m
	}
	if changed("pids-limit") {
		if f.pidsLimit == 0 {
			return l, fmt.Errorf("--pids-limit 0 would stop the container from starting any process: give a positive number, or -1 for no limit")
		}
		l.PidsLimit = f.pidsLimit
	}
	return l, l.Validate()
}
