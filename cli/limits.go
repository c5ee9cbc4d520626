package cli

import (
	"errors"
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
	for _, err := range []error{
		given(f, "cpus", f.cpus, &l.CPUs, fmt.Sprintf("--cpus 0 is out of range: use %v to %d CPUs, e.g. --cpus 0.5", cgroup.MinCPUs, runtime.NumCPU())),
		given(f, "cpu-period", f.cpuPeriod, &l.CPUPeriod, fmt.Sprintf("--cpu-period 0 is out of range: use %d to %d microseconds", cgroup.MinCPUPeriod, cgroup.MaxCPUPeriod)),
		given(f, "cpu-quota", f.cpuQuota, &l.CPUQuota, fmt.Sprintf("--cpu-quota 0 is out of range: use %d to %d microseconds, or -1 for no quota", cgroup.MinCPUQuota, int64(cgroup.MaxCPUQuota))),
		given(f, "cpu-shares", f.cpuShares, &l.CPUShares, fmt.Sprintf("--cpu-shares 0 is out of range: use %d to %d (1024 is the default weight)", cgroup.MinCPUShares, cgroup.MaxCPUShares)),
		given(f, "cpuset-cpus", f.cpusetCpus, &l.CpusetCpus, "--cpuset-cpus is empty: name CPUs such as 0 or 0-1"),
		givenSize(f, "memory", f.memory, &l.Memory, func(m int64) bool { return m > 0 }, fmt.Sprintf("--memory %s is out of range: give a size of at least 6m, e.g. --memory 64m", f.memory)),
		givenSize(f, "memory-swap", f.memorySwap, &l.MemorySwap, func(m int64) bool { return m != 0 }, "--memory-swap 0 is out of range: give a size at least --memory, or -1 for unlimited swap"),
		given(f, "pids-limit", f.pidsLimit, &l.PidsLimit, fmt.Sprintf("--pids-limit 0 would stop the container from starting any process: use 1 to %d, or -1 for no limit", cgroup.MaxPids)),
	} {
		if err != nil {
			return l, err
		}
	}
	return l, l.Validate()
}

// given copies the value of flag name to the limit at to when the flag was given. 0
// (or "") is refused with the message zero: 0 means "not set" in Limits.
func given[T comparable](f *limitFlags, name string, v T, to *T, zero string) error {
	if f.fs == nil || !f.fs.Changed(name) {
		return nil
	}
	if v == *new(T) {
		return errors.New(zero)
	}
	*to = v
	return nil
}

// givenSize is given for a size flag (512m, 1g): the size is read, then refused with
// bad unless ok takes it.
func givenSize(f *limitFlags, name, v string, to *int64, ok func(int64) bool, bad string) error {
	if f.fs == nil || !f.fs.Changed(name) {
		return nil
	}
	m, err := cgroup.ParseMemory(v)
	switch {
	case err != nil:
		return fmt.Errorf("--%s: %w", name, err)
	case !ok(m):
		return errors.New(bad)
	}
	*to = m
	return nil
}
