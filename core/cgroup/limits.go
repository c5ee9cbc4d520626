// Package cgroup puts a container's processes under control groups and reads back what
// the kernel accounts for them: CPU (CFS quota, period, shares, cpuset), memory and
// PIDs. It drives cgroup v1 (one mount per controller, as on this machine's hybrid
// layout) and cgroup v2 by making their directories and writing their files itself,
// and records every directory it makes and every write as the shell command a person
// would type. containerd's cgroups library only builds the v2 device program.
package cgroup

import (
	"fmt"
	"math"
	"os"
	"runtime"
	"strings"

	"github.com/docker/go-units"
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
	// AllDevices lets the group open every device (--privileged) instead of the
	// default allowlist; set at creation only.
	AllDevices bool `json:",omitempty"`
}

// The ranges a limit may take: what the kernel accepts, and Docker's floors where it
// has them.
const (
	// MinMemory is the smallest memory limit accepted: below it a process cannot even
	// start (Docker uses the same floor).
	MinMemory = 6 << 20
	// MaxMemory is the largest memory or memory+swap limit accepted, 1 PiB: more than
	// any machine holds, and far from the kernel's own ceiling.
	MaxMemory = 1 << 50
	// MinCPUPeriod and MaxCPUPeriod bound the CFS period in µs (1 ms to 1 s).
	MinCPUPeriod, MaxCPUPeriod = 1000, 1000000
	// MinCPUQuota and MaxCPUQuota bound the CFS quota in µs: at least 1 ms, at most the
	// kernel's max_cfs_runtime (2^44-1 µs, about 203 days).
	MinCPUQuota, MaxCPUQuota = 1000, 1<<44 - 1
	// MinCPUShares and MaxCPUShares bound the relative CPU weight.
	MinCPUShares, MaxCPUShares = 2, 262144
	// MaxPids is the largest pids.max the kernel takes (PID_MAX_LIMIT on 64-bit).
	MaxPids = 4194304
)

// DefaultCPUPeriod is the CFS period used with CPUs when no period is given, in µs.
const DefaultCPUPeriod = 100000

// MinCPUs is the smallest --cpus: a quota of MinCPUQuota per DefaultCPUPeriod.
const MinCPUs = float64(MinCPUQuota) / DefaultCPUPeriod

// IsZero reports whether no limit is set.
func (l Limits) IsZero() bool { return l == Limits{} }

// Validate checks every limit before anything is made, and says in one line what is
// wrong and the range to use instead.
func (l Limits) Validate() error {
	if l.CPUs != 0 {
		if err := checkCPUs(l.CPUs); err != nil {
			return err
		}
	}
	if l.CPUs > 0 && (l.CPUPeriod != 0 || l.CPUQuota != 0) {
		return fmt.Errorf("--cpus cannot be combined with --cpu-period or --cpu-quota: use either --cpus or the period and quota")
	}
	if l.CPUPeriod != 0 && (l.CPUPeriod < MinCPUPeriod || l.CPUPeriod > MaxCPUPeriod) {
		return fmt.Errorf("--cpu-period %d is out of range: use %d to %d microseconds", l.CPUPeriod, MinCPUPeriod, MaxCPUPeriod)
	}
	if l.CPUQuota != 0 && l.CPUQuota != -1 && (l.CPUQuota < MinCPUQuota || l.CPUQuota > MaxCPUQuota) {
		return fmt.Errorf("--cpu-quota %d is out of range: use %d to %d microseconds, or -1 for no quota", l.CPUQuota, MinCPUQuota, int64(MaxCPUQuota))
	}
	if l.CPUShares != 0 && (l.CPUShares < MinCPUShares || l.CPUShares > MaxCPUShares) {
		return fmt.Errorf("--cpu-shares %d is out of range: use %d to %d (1024 is the default weight)", l.CPUShares, MinCPUShares, MaxCPUShares)
	}
	if l.CpusetCpus != "" {
		if err := checkCpuset(l.CpusetCpus); err != nil {
			return err
		}
	}
	if l.Memory != 0 {
		if err := checkMemory("--memory", l.Memory); err != nil {
			return err
		}
	}
	if l.MemorySwap != 0 && l.MemorySwap != -1 {
		if err := checkMemory("--memory-swap", l.MemorySwap); err != nil {
			return err
		}
	}
	if l.MemorySwap > 0 && l.Memory == 0 {
		return fmt.Errorf("--memory-swap needs --memory: give both, e.g. --memory 64m --memory-swap 128m")
	}
	if l.MemorySwap > 0 && l.MemorySwap < l.Memory {
		return fmt.Errorf("--memory-swap %s is below --memory %s: it counts memory plus swap, so make it at least as large", units.BytesSize(float64(l.MemorySwap)), units.BytesSize(float64(l.Memory)))
	}
	if l.PidsLimit != 0 && l.PidsLimit != -1 && (l.PidsLimit < 1 || l.PidsLimit > MaxPids) {
		return fmt.Errorf("--pids-limit %d is out of range: use 1 to %d, or -1 for no limit", l.PidsLimit, MaxPids)
	}
	return nil
}

// checkCPUs checks a --cpus value against the CPUs this process may run on.
func checkCPUs(cpus float64) error {
	ncpu := runtime.NumCPU()
	switch {
	case cpus > float64(ncpu):
		return fmt.Errorf("--cpus %v is more than the %d CPUs of this machine: use %v to %d", cpus, ncpu, MinCPUs, ncpu)
	case cpus >= MinCPUs:
		return nil
	case cpus > 0:
		return fmt.Errorf("--cpus %v is too small: use %v (a 1 ms quota per 100 ms) to %d", cpus, MinCPUs, ncpu)
	}
	return fmt.Errorf("--cpus %v is out of range: use %v to %d CPUs, e.g. --cpus 0.5", cpus, MinCPUs, ncpu)
}

// checkCpuset checks that a --cpuset-cpus list names only CPUs the machine has online.
func checkCpuset(list string) error {
	cpus, err := ParseCpuset(list)
	if err != nil {
		return fmt.Errorf("--cpuset-cpus: %w", err)
	}
	online, have := onlineCPUs()
	for _, c := range cpus {
		if !have[c] {
			return fmt.Errorf("--cpuset-cpus %q names CPU %d, which this machine does not have: use CPUs %s", list, c, online)
		}
	}
	return nil
}

// onlineCPUs returns the machine's online CPUs as the kernel lists them ("0-3") and
// as a set; without /sys, the CPUs this process may use stand in.
func onlineCPUs() (string, map[int]bool) {
	have := map[int]bool{}
	if b, err := os.ReadFile("/sys/devices/system/cpu/online"); err == nil {
		if cpus, err := ParseCpuset(string(b)); err == nil {
			for _, c := range cpus {
				have[c] = true
			}
			return strings.TrimSpace(string(b)), have
		}
	}
	n := runtime.NumCPU()
	for c := 0; c < n; c++ {
		have[c] = true
	}
	return fmt.Sprintf("0-%d", n-1), have
}

// checkMemory checks a memory or memory+swap size in bytes.
func checkMemory(flag string, b int64) error {
	switch {
	case b < 0:
		return fmt.Errorf("%s %d is out of range: use %s to %s", flag, b, memoryText(MinMemory), memoryText(MaxMemory))
	case b < MinMemory:
		return fmt.Errorf("%s %s is below what a process needs: use %s to %s", flag, units.BytesSize(float64(b)), memoryText(MinMemory), memoryText(MaxMemory))
	case b > MaxMemory:
		return fmt.Errorf("%s %s is more than any machine has: use %s to %s", flag, units.BytesSize(float64(b)), memoryText(MinMemory), memoryText(MaxMemory))
	}
	return nil
}

// memoryText writes a size of whole mebibytes or tebibytes as a flag value: 6m, 1024t.
func memoryText(b int64) string {
	if b >= 1<<40 && b%(1<<40) == 0 {
		return fmt.Sprintf("%dt", b>>40)
	}
	return fmt.Sprintf("%dm", b>>20)
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
