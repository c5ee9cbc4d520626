package cgroup

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Limits reads back the limits in force. Unlimited values read as -1 for CPUQuota,
// MemorySwap and PidsLimit and 0 for Memory; CPUs is quota/period when there is a
// quota. A controller the machine lacks leaves its fields zero.
func (g *Group) Limits() (Limits, error) {
	var l Limits
	if !g.exists() {
		return l, fmt.Errorf("cgroup %s does not exist: the container was removed", g.path)
	}
	var firstErr error
	read := func(controller, file string) (string, bool) {
		if !g.lo.present[controller] {
			return "", false
		}
		b, err := os.ReadFile(filepath.Join(g.lo.dir(controller, g.path), file))
		if err != nil {
			if firstErr == nil && !os.IsNotExist(err) {
				firstErr = fmt.Errorf("read the limits of cgroup %s: %w", g.path, err)
			}
			return "", false
		}
		return strings.TrimSpace(string(b)), true
	}
	if g.lo.mode == V2 {
		if v, ok := read("cpu", "cpu.max"); ok {
			q, p, _ := strings.Cut(v, " ")
			l.CPUPeriod, _ = strconv.ParseUint(p, 10, 64)
			l.CPUQuota = parseLimit(q)
		}
		if v, ok := read("cpu", "cpu.weight"); ok {
			w, _ := strconv.ParseUint(v, 10, 64)
			l.CPUShares = WeightToShares(w)
		}
		if v, ok := read("memory", "memory.max"); ok {
			l.Memory = max(parseLimit(v), 0)
		}
		if v, ok := read("memory", "memory.swap.max"); ok {
			l.MemorySwap = parseLimit(v)
			if l.MemorySwap >= 0 && l.Memory > 0 {
				l.MemorySwap += l.Memory
			}
		}
	} else {
		if v, ok := read("cpu", "cpu.cfs_period_us"); ok {
			l.CPUPeriod, _ = strconv.ParseUint(v, 10, 64)
		}
		if v, ok := read("cpu", "cpu.cfs_quota_us"); ok {
			l.CPUQuota = parseLimit(v)
		}
		if v, ok := read("cpu", "cpu.shares"); ok {
			l.CPUShares, _ = strconv.ParseUint(v, 10, 64)
		}
		if v, ok := read("memory", "memory.limit_in_bytes"); ok {
			l.Memory = max(parseLimit(v), 0)
		}
		if v, ok := read("memory", "memory.memsw.limit_in_bytes"); ok {
			l.MemorySwap = parseLimit(v)
		}
	}
	if v, ok := read("cpuset", "cpuset.cpus"); ok {
		l.CpusetCpus = v
	}
	if v, ok := read("pids", "pids.max"); ok {
		l.PidsLimit = parseLimit(v)
	}
	if l.CPUQuota > 0 && l.CPUPeriod > 0 {
		l.CPUs = float64(l.CPUQuota) / float64(l.CPUPeriod)
	}
	return l, firstErr
}

// parseLimit reads a limit file: "max", -1 or a value past any real limit is -1.
func parseLimit(s string) int64 {
	if s == "max" {
		return -1
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v >= unlimited {
		return -1
	}
	return v
}

// WeightToShares turns a v2 cpu.weight back into the v1 shares that give it (the
// smallest such value, so a round trip through SharesToWeight is exact).
func WeightToShares(w uint64) uint64 {
	if w == 0 {
		return 0
	}
	lo, hi := uint64(2), uint64(262144)
	for lo < hi {
		mid := (lo + hi) / 2
		if SharesToWeight(mid) < w {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}
