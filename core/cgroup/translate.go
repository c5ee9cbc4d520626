package cgroup

import (
	"strconv"

	"github.com/containerd/cgroups/v3/cgroup2"
)

// write is one value written to one cgroup file.
type write struct {
	// Controller is the controller the file belongs to (its v1 mount).
	Controller string
	// File is the file name inside the cgroup directory.
	File string
	// Value is what is written.
	Value string
}

// effectiveSwap is the memory+swap limit the limits ask for: as Docker does, a memory
// limit without --memory-swap allows as much swap as memory.
func (l Limits) effectiveSwap() int64 {
	if l.MemorySwap == 0 && l.Memory > 0 {
		return 2 * l.Memory
	}
	return l.MemorySwap
}

// writes translates the limits that are set in l into the files to write, in order, for
// the given layout mode. cur are the limits in force (read back; zero when the group
// is new): they decide the order of memory writes and fill a cpu.max half that l
// leaves unset.
func writes(mode Mode, l, cur Limits) []write {
	if mode == V2 {
		return v2Writes(l, cur)
	}
	return v1Writes(l, cur)
}

func v1Writes(l, cur Limits) []write {
	var out []write
	if l.CPUShares != 0 {
		out = append(out, write{"cpu", "cpu.shares", strconv.FormatUint(l.CPUShares, 10)})
	}
	quota, period, setQuota, setPeriod := l.quota()
	if setPeriod {
		out = append(out, write{"cpu", "cpu.cfs_period_us", strconv.FormatUint(period, 10)})
	}
	if setQuota {
		out = append(out, write{"cpu", "cpu.cfs_quota_us", strconv.FormatInt(quota, 10)})
	}
	if l.CpusetCpus != "" {
		out = append(out, write{"cpuset", "cpuset.cpus", l.CpusetCpus})
	}
	var mem []write
	if l.Memory != 0 {
		mem = append(mem, write{"memory", "memory.limit_in_bytes", strconv.FormatInt(l.Memory, 10)})
	}
	if swap := l.effectiveSwap(); swap != 0 {
		mem = append(mem, write{"memory", "memory.memsw.limit_in_bytes", strconv.FormatInt(swap, 10)})
		// memory+swap may never be below memory: raise it first when the new memory
		// limit passes the memory+swap limit in force.
		if len(mem) == 2 && cur.MemorySwap > 0 && l.Memory > cur.MemorySwap {
			mem[0], mem[1] = mem[1], mem[0]
		}
	}
	out = append(out, mem...)
	if l.PidsLimit != 0 {
		out = append(out, write{"pids", "pids.max", maxOr(l.PidsLimit)})
	}
	return out
}

func v2Writes(l, cur Limits) []write {
	var out []write
	if l.CPUShares != 0 {
		out = append(out, write{"cpu", "cpu.weight", strconv.FormatUint(SharesToWeight(l.CPUShares), 10)})
	}
	quota, period, setQuota, setPeriod := l.quota()
	if setQuota || setPeriod {
		if !setQuota {
			quota = cur.CPUQuota
		}
		v := maxOr(quota)
		if quota == 0 {
			v = "max"
		}
		if setPeriod {
			v += " " + strconv.FormatUint(period, 10)
		}
		out = append(out, write{"cpu", "cpu.max", v})
	}
	if l.CpusetCpus != "" {
		out = append(out, write{"cpuset", "cpuset.cpus", l.CpusetCpus})
	}
	if l.Memory != 0 {
		out = append(out, write{"memory", "memory.max", maxOr(l.Memory)})
	}
	if swap := l.effectiveSwap(); swap != 0 {
		mem := l.Memory
		if mem == 0 {
			mem = cur.Memory
		}
		v := "max"
		if swap > 0 && mem > 0 {
			v = strconv.FormatInt(swap-mem, 10)
		}
		out = append(out, write{"memory", "memory.swap.max", v})
	}
	if l.PidsLimit != 0 {
		out = append(out, write{"pids", "pids.max", maxOr(l.PidsLimit)})
	}
	return out
}

// maxOr writes a limit, or "max" for -1 (no limit).
func maxOr(v int64) string {
	if v < 0 {
		return "max"
	}
	return strconv.FormatInt(v, 10)
}

// SharesToWeight converts v1 CPU shares (2..262144, default 1024) to a v2 cpu.weight
// (1..10000, default 100), with the curve runc and crun use.
func SharesToWeight(shares uint64) uint64 {
	return cgroup2.ConvertCPUSharesToCgroupV2Value(shares)
}
