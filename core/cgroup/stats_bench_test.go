package cgroup

import (
	"fmt"
	"testing"
	"time"

	"github.com/containerd/cgroups/v3/cgroup1"
)

// BenchmarkStats250 compares three ways of reading 250 real cgroups once: the
// library's Load+Stat, Group.Stats (open, read, close each file) and a Reader (files
// kept open). One iteration reads all 250 ten times each way and reports the median.
func BenchmarkStats250(b *testing.B) {
	_, inst, log := newGroup(b, Limits{})
	var groups []*Group
	for i := 0; i < 250; i++ {
		g, err := Create(inst, fmt.Sprintf("b%03d", i), Limits{CPUs: 0.5, Memory: 64 << 20, PidsLimit: 100}, log)
		if err != nil {
			b.Fatal(err)
		}
		groups = append(groups, g)
	}
	hierarchy := cgroup1.WithHierarchy(func() ([]cgroup1.Subsystem, error) { return v1Subsystems(groups[0].lo), nil })
	readers := make([]*Reader, len(groups))
	for i, g := range groups {
		readers[i] = g.NewReader()
		defer readers[i].Close()
	}
	median := func(read func(g *Group, i int) error) float64 {
		var took []time.Duration
		for round := 0; round < 10; round++ {
			start := time.Now()
			for i, g := range groups {
				if err := read(g, i); err != nil {
					b.Fatal(err)
				}
			}
			took = append(took, time.Since(start))
		}
		for i := range took {
			for j := i + 1; j < len(took); j++ {
				if took[j] < took[i] {
					took[i], took[j] = took[j], took[i]
				}
			}
		}
		return float64(took[len(took)/2].Microseconds()) / 1000
	}
	for b.Loop() {
		b.ReportMetric(median(func(g *Group, _ int) error {
			cg, err := cgroup1.Load(cgroup1.StaticPath(g.Path()), hierarchy)
			if err != nil {
				return err
			}
			_, err = cg.Stat(cgroup1.IgnoreNotExist)
			return err
		}), "library-ms")
		b.ReportMetric(median(func(g *Group, _ int) error { _, err := g.Stats(); return err }), "open-read-ms")
		b.ReportMetric(median(func(_ *Group, i int) error { _, err := readers[i].Read(); return err }), "reader-ms")
	}
}

// v1Subsystems are the library's controllers for the ones this machine has.
func v1Subsystems(lo layout) []cgroup1.Subsystem {
	newSubsystem := map[string]func(root string) cgroup1.Subsystem{
		"cpu":     func(r string) cgroup1.Subsystem { return cgroup1.NewCpu(r) },
		"cpuacct": func(r string) cgroup1.Subsystem { return cgroup1.NewCpuacct(r) },
		"cpuset":  func(r string) cgroup1.Subsystem { return cgroup1.NewCpuset(r) },
		"memory":  func(r string) cgroup1.Subsystem { return cgroup1.NewMemory(r) },
		"pids":    func(r string) cgroup1.Subsystem { return cgroup1.NewPids(r) },
		"devices": func(r string) cgroup1.Subsystem { return cgroup1.NewDevices(r) },
		"freezer": func(r string) cgroup1.Subsystem { return cgroup1.NewFreezer(r) },
	}
	var out []cgroup1.Subsystem
	for _, c := range controllers {
		if lo.present[c] {
			out = append(out, newSubsystem[c](lo.root))
		}
	}
	return out
}
