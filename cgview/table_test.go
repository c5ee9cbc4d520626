package cgview

import (
	"strings"
	"testing"
	"time"

	"workbench/core/cgroup"
)

func TestRowsAndTable(t *testing.T) {
	snap := Snapshot{Series: []Series{
		{
			Target: Target{ID: "0123456789abcdef", Name: "busy"},
			Stats: cgroup.Stats{CPUUsageNs: 5e9, CPUQuotaUs: 20000, CPUPeriodUs: 100000, NrPeriods: 300, NrThrottled: 290,
				ThrottledNs: 2.4e9, MemoryUsage: 1 << 20, MemoryLimit: 64 << 20, PidsCurrent: 1, PidsLimit: 10},
			History: []Point{{Time: time.Unix(1, 0), CPUPercent: 19.996, MachinePercent: 9.998, ThrottledPerSec: 10, ThrottledMsPerSec: 800}},
		},
		{Target: Target{ID: "ff", Name: "gone"}, Err: "cgroup gone"},
	}}
	rows := Rows(snap)
	if len(rows) != 2 || rows[0].CPUPercent != 20 || rows[0].CPUs != 0.2 || rows[1].Error == "" {
		t.Fatalf("Rows = %+v", rows)
	}
	got := FitTable(rows, 0)
	for _, want := range []string{
		"CONTAINER ID", "0123456789ab", "busy", "20.00%", "0.20 CPUs (20000/100000us)", "290 (10.0/s)", "2.40s (800ms/s)",
		"1MiB / 64MiB", "1.56%", "1 / 10", "gone",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("table lacks %q:\n%s", want, got)
		}
	}
	if fmtNs(0) != "0s" || fmtNs(1500) != "1us" || fmtNs(3e6) != "3ms" {
		t.Error("fmtNs")
	}
}

// TestFitTable: the stats table of a throttled container with every limit fits 120 and
// 80 columns, keeping the name, CPU, quota, memory and PIDs, and is whole without a
// width.
func TestFitTable(t *testing.T) {
	rows := []Row{{ID: "0123456789abcdef", Name: "throttled-worker", CPUPercent: 49.99, MachinePercent: 6.25,
		CPUQuotaUs: 50000, CPUPeriodUs: 100000, CPUs: 0.5, NrPeriods: 123456, NrThrottled: 120000, ThrottledNs: 61e9,
		ThrottledPerSec: 10, ThrottledMsPerSec: 500, MemoryUsage: 48 << 20, MemoryLimit: 64 << 20, MemoryFailcnt: 12,
		OOMKills: 1, PidsCurrent: 3, PidsLimit: 100}, {ID: "ff", Name: "gone", Error: "cgroup gone"}}
	if whole := FitTable(rows, 0); !strings.Contains(whole, "0.50 CPUs (50000/100000us)") || !strings.Contains(whole, "MACHINE %") {
		t.Errorf("the whole table lost a column:\n%s", whole)
	}
	for _, width := range []int{120, 80} {
		got := FitTable(rows, width)
		for _, line := range strings.Split(strings.TrimSuffix(got, "\n"), "\n") {
			if n := len([]rune(line)); n > width {
				t.Errorf("at %d columns a line is %d wide:\n%s", width, n, got)
			}
		}
		for _, want := range []string{"NAME", "CPU %", "QUOTA", "MEM USAGE / LIMIT", "PIDS", "throttled-worker", "0.50 CPUs", "3 / 100"} {
			if !strings.Contains(got, want) {
				t.Errorf("at %d columns the table lacks %q:\n%s", width, want, got)
			}
		}
	}
}
