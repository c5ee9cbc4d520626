package cgroup

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// ParseMemory reads a size as Docker spells it: a number with an optional unit b, k, m,
// g, t (powers of 1024, any case, an optional trailing "b" or "ib"): "512m", "1g",
// "1.5G", "65536". "-1" means unlimited and returns -1.
func ParseMemory(s string) (int64, error) {
	in := strings.TrimSpace(s)
	if in == "-1" {
		return -1, nil
	}
	if in == "" {
		return 0, fmt.Errorf("memory size is empty: give a size such as 512m or 1g")
	}
	lower := strings.ToLower(in)
	num := strings.TrimRightFunc(lower, func(r rune) bool { return r >= 'a' && r <= 'z' || r == ' ' })
	unit := strings.TrimSpace(lower[len(num):])
	mult, ok := map[string]float64{
		"": 1, "b": 1,
		"k": 1 << 10, "kb": 1 << 10, "kib": 1 << 10,
		"m": 1 << 20, "mb": 1 << 20, "mib": 1 << 20,
		"g": 1 << 30, "gb": 1 << 30, "gib": 1 << 30,
		"t": 1 << 40, "tb": 1 << 40, "tib": 1 << 40,
	}[unit]
	if !ok {
		return 0, fmt.Errorf("memory size %q has an unknown unit %q: use b, k, m, g or t, e.g. 512m", s, unit)
	}
	if num == "" || strings.ContainsAny(num, "+-eExXpP_") {
		return 0, fmt.Errorf("memory size %q is not a number with a unit: use e.g. 512m or 1g", s)
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || math.IsNaN(v) {
		return 0, fmt.Errorf("memory size %q is not a number with a unit: use e.g. 512m or 1g", s)
	}
	b := v * mult
	if b > MaxMemory {
		return 0, fmt.Errorf("memory size %q is more than any machine has: use at most %s", s, memoryText(MaxMemory))
	}
	return int64(b), nil
}

// maxCPU bounds the CPU numbers a cpuset may name, so a hostile list cannot ask for a
// huge allocation.
const maxCPU = 8192

// ParseCpuset reads a CPU list as the kernel writes it ("0-2,4,7") and returns the CPU
// numbers in order, without repeats.
func ParseCpuset(s string) ([]int, error) {
	in := strings.TrimSpace(s)
	if in == "" {
		return nil, fmt.Errorf("CPU list is empty: name CPUs such as 0 or 0-1,3")
	}
	seen := map[int]bool{}
	for _, part := range strings.Split(in, ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := cpuNumber(lo)
		if err != nil {
			return nil, fmt.Errorf("CPU list %q: %w", s, err)
		}
		b := a
		if isRange {
			if b, err = cpuNumber(hi); err != nil {
				return nil, fmt.Errorf("CPU list %q: %w", s, err)
			}
			if b < a {
				return nil, fmt.Errorf("CPU list %q: range %s runs backwards: write it low-high", s, part)
			}
		}
		for c := a; c <= b; c++ {
			seen[c] = true
		}
	}
	out := make([]int, 0, len(seen))
	for c := range seen {
		out = append(out, c)
	}
	sort.Ints(out)
	return out, nil
}

func cpuNumber(s string) (int, error) {
	if s == "" || strings.TrimLeft(s, "0123456789") != "" || len(s) > 5 {
		return 0, fmt.Errorf("%q is not a CPU number: name CPUs such as 0 or 0-1,3", s)
	}
	n, _ := strconv.Atoi(s)
	if n >= maxCPU {
		return 0, fmt.Errorf("CPU %d is beyond any machine: name CPUs such as 0 or 0-1,3", n)
	}
	return n, nil
}
