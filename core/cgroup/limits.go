// Package cgroup puts a container's processes under control groups and reads back what
// the kernel accounts for them: CPU (CFS quota, period, shares, cpuset), memory and
// PIDs. It drives cgroup v1 (one mount per controller, as on this machine's hybrid
// layout) and cgroup v2 through github.com/containerd/cgroups/v3, and records every
// write it makes as the shell command a person would type.
package cgroup

import (
	"fmt"
	"math"
	"runtime"
)

// Limits are the resource limits of one container, spelled as Docker's flags. The zero
// value of a field means "not set": Create leaves the kernel default and Update leaves
// the value in force.
type Limits struct {
	// CPUs is the number of CPUs the group may use (--cpus 0.5 = half a core), turned
	// into a CFS quota over CPUPeriod (100 ms when unset).
	CPUs float64 `json:",omitempty"`
	// CPUPeriod is the CFS period in microseconds (--cpu-period), 1000 to 1000000.
	CPUPeriod uint64 `json:",omitempty"`
	// CPUQuota is the CFS quota in microseconds per period (--cpu-quota); -1 removes it.
	CPUQuota int64 `json:",omitempty"`
	// CPUShares is the relative CPU weight (--cpu-shares, 1024 is the default), 2 to 262144.
	CPUShares uint64 `json:",omitempty"`
	// CpusetCpus lists the CPUs the group may run on (--cpuset-cpus "0-1,3").
	CpusetCpus string `json:",omitempty"`
	// Memory is the memory limit in bytes (--memory); at least MinMemory.
	Memory int64 `json:",omitempty"`
	// MemorySwap is memory plus swap in bytes (--memory-swap); -1 = unlimited swap.
	MemorySwap int64 `json:",omitempty"`
	// PidsLimit is the most tasks the group may hold (--pids-limit); -1 = unlimited.
	PidsLimit int64 `json:",omitempty"`
}

// MinMemory is the smallest memory limit accepted: below it a process cannot even start
// (Docker uses the same floor).
const MinMemory = 6 << 20

// DefaultCPUPeriod is the CFS period used with CPUs when no period is given, in µs.
const DefaultCPUPeriod = 100000

// IsZero reports whether no limit is set.
func (l Limits) IsZero() bool { return l == Limits{} }

// Validate checks every limit before anything is made, and says in one line what is
// wrong and what to use instead.
func (l Limits) Validate() error {
	ncpu := runtime.NumCPU()
	if l.CPUs < 0 || math.IsNaN(l.CPUs) || math.IsInf(l.CPUs, 0) {
		return fmt.Errorf("--cpus %v is invalid: give a positive number of CPUs, e.g. --cpus 0.5", l.CPUs)
	}
	if l.CPUs > float64(ncpu) {
		return fmt.Errorf("--cpus %v is more than the %d CPUs of this machine: use a value from 0.01 to %d", l.CPUs, ncpu, ncpu)
	}
	if l.CPUs > 0 && l.CPUs*DefaultCPUPeriod < 1000 {
		return fmt.Errorf("--cpus %v is too small: the least is 0.01 (a 1 ms quota per 100 ms)", l.CPUs)
	}
	if l.CPUs > 0 && (l.CPUPeriod != 0 || l.CPUQuota != 0) {
		return fmt.Errorf("--cpus cannot be combined with --cpu-period or --cpu-quota: use either --cpus or the period and quota")
	}
	if l.CPUPeriod != 0 && (l.CPUPeriod < 1000 || l.CPUPeriod > 1000000) {
		return fmt.Errorf("--cpu-period %d is out of range: use 1000 to 1000000 microseconds", l.CPUPeriod)
	}
	if l.CPUQuota != 0 && l.CPUQuota != -1 && l.CPUQuota < 1000 {
		return fmt.Errorf("--cpu-quota %d is too small: use at least 1000 microseconds, or -1 for no quota", l.CPUQuota)
	}
	if l.CPUShares != 0 && (l.CPUShares < 2 || l.CPUShares > 262144) {
		return fmt.Errorf("--cpu-shares %d is out of range: use 2 to 262144 (1024 is the default weight)", l.CPUShares)
	}
	if l.CpusetCpus != "" {
		cpus, err := ParseCpuset(l.CpusetCpus)
		if err != nil {
			return fmt.Errorf("--cpuset-cpus: %w", err)
		}
		for _, c := range cpus {
			if c >= ncpu {
				return fmt.Errorf("--cpuset-cpus %q names CPU %d, which this machine does not have: use CPUs 0 to %d", l.CpusetCpus, c, ncpu-1)
			}
		}
	}
	if l.Memory < 0 {
		return fmt.Errorf("--memory %d is invalid: give a size such as 64m or 1g", l.Memory)
	}
	if l.Memory > 0 && l.Memory < MinMemory {
		return fmt.Errorf("--memory %s is below what a process needs: use at least 6m", FormatBytes(uint64(l.Memory)))
	}
	if l.MemorySwap < -1 {
		return fmt.Errorf("--memory-swap %d is invalid: give a size such as 128m, or -1 for unlimited swap", l.MemorySwap)
	}
	if l.MemorySwap > 0 && l.Memory == 0 {
		return fmt.Errorf("--memory-swap needs --memory: give both, e.g. --memory 64m --memory-swap 128m")
	}
	if l.MemorySwap > 0 && l.MemorySwap < l.Memory {
		return fmt.Errorf("--memory-swap %s is below --memory %s: it counts memory plus swap, so make it at least as large", FormatBytes(uint64(l.MemorySwap)), FormatBytes(uint64(l.Memory)))
	}
	if l.PidsLimit < -1 {
		return fmt.Errorf("--pids-limit %d is invalid: give a positive number of tasks, or -1 for no limit", l.PidsLimit)
	}
	return nil
}

// quota returns the CFS quota and period the limits ask for; ok is false when neither
// is set.
func (l Limits) quota() (quota int64, period uint64, setQuota, setPeriod bool) {
	period = l.CPUPeriod
	if l.CPUs > 0 {
		if period == 0 {
			period = DefaultCPUPeriod
		}
		return int64(math.Round(l.CPUs * float64(period))), period, true, true
	}
	return l.CPUQuota, period, l.CPUQuota != 0, period != 0
}
