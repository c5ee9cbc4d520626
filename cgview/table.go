package cgview

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/docker/go-units"
)

// Row is one container's figures as `stats --json` prints them.
type Row struct {
	// ID is the container's ID.
	ID string `json:"id"`
	// Name is the container's name.
	Name string `json:"name"`
	// CPUPercent is CPU use over the last interval, in % of one core.
	CPUPercent float64 `json:"cpu_percent"`
	// MachinePercent is the same in % of the whole machine.
	MachinePercent float64 `json:"machine_percent"`
	// CPUUsageNs is the CPU time used since the start, in ns.
	CPUUsageNs uint64 `json:"cpu_usage_ns"`
	// CPUQuotaUs is the CFS quota in µs per period; -1 = none.
	CPUQuotaUs int64 `json:"cpu_quota_us"`
	// CPUPeriodUs is the CFS period in µs.
	CPUPeriodUs uint64 `json:"cpu_period_us"`
	// CPUs is quota/period, 0 = no quota.
	CPUs float64 `json:"cpus"`
	// NrPeriods counts the periods with runnable tasks.
	NrPeriods uint64 `json:"nr_periods"`
	// NrThrottled counts the periods that ended throttled.
	NrThrottled uint64 `json:"nr_throttled"`
	// ThrottledNs is the total time throttled, in ns.
	ThrottledNs uint64 `json:"throttled_ns"`
	// ThrottledPerSec is throttled periods per second over the last interval.
	ThrottledPerSec float64 `json:"throttled_per_sec"`
	// ThrottledMsPerSec is throttled milliseconds per second over the last interval.
	ThrottledMsPerSec float64 `json:"throttled_ms_per_sec"`
	// MemoryUsage is the memory charged, in bytes.
	MemoryUsage uint64 `json:"memory_usage"`
	// MemoryLimit is the memory limit in bytes, 0 = none.
	MemoryLimit uint64 `json:"memory_limit"`
	// MemoryFailcnt counts how often the limit was hit.
	MemoryFailcnt uint64 `json:"memory_failcnt"`
	// OOMKills counts the tasks the OOM killer ended.
	OOMKills uint64 `json:"oom_kills"`
	// PidsCurrent is the number of tasks.
	PidsCurrent uint64 `json:"pids_current"`
	// PidsLimit is the most tasks allowed, 0 = none.
	PidsLimit uint64 `json:"pids_limit"`
	// Error says why the cgroup could not be read.
	Error string `json:"error,omitempty"`
}

// Rows turns a snapshot into one row per container, in the snapshot's order.
func Rows(s Snapshot) []Row {
	out := make([]Row, 0, len(s.Series))
	for _, ser := range s.Series {
		st, p := ser.Stats, ser.Last()
		out = append(out, Row{
			ID: ser.Target.ID, Name: ser.Target.Name,
			CPUPercent: round2(p.CPUPercent), MachinePercent: round2(p.MachinePercent),
			CPUUsageNs: st.CPUUsageNs, CPUQuotaUs: st.CPUQuotaUs, CPUPeriodUs: st.CPUPeriodUs, CPUs: st.CPUCores(),
			NrPeriods: st.NrPeriods, NrThrottled: st.NrThrottled, ThrottledNs: st.ThrottledNs,
			ThrottledPerSec: round2(p.ThrottledPerSec), ThrottledMsPerSec: round2(p.ThrottledMsPerSec),
			MemoryUsage: st.MemoryUsage, MemoryLimit: st.MemoryLimit, MemoryFailcnt: st.MemoryFailcnt, OOMKills: st.OOMKills,
			PidsCurrent: st.PidsCurrent, PidsLimit: st.PidsLimit, Error: ser.Err,
		})
	}
	return out
}

func round2(v float64) float64 { return float64(int64(v*100+0.5)) / 100 }

// FitTable renders rows as the `stats` table (CPU against its quota, throttling, memory
// against its limit, OOM kills and PIDs) in at most width columns (0 = no limit): the
// quota loses its microseconds first, then columns go, the least telling first, until
// the table fits.
func FitTable(rows []Row, width int) string {
	cols := statsColumns()
	for step := 0; width > 0 && tableWidth(rows, cols) > width && step < len(fitSteps); step++ {
		cols = fitSteps[step](cols)
	}
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	head := make([]string, len(cols))
	for i, c := range cols {
		head[i] = c.head
	}
	fmt.Fprintln(w, strings.Join(head, "\t"))
	for _, r := range rows {
		fmt.Fprintln(w, strings.Join(cells(r, cols), "\t"))
	}
	w.Flush()
	return b.String()
}

// column is one column of the stats table: its head and its cell.
type column struct {
	head string
	cell func(Row) string
}

func statsColumns() []column {
	return []column{
		{"CONTAINER ID", func(r Row) string { return r.ID[:min(12, len(r.ID))] }},
		{"NAME", func(r Row) string { return r.Name }},
		{"CPU %", func(r Row) string { return fmt.Sprintf("%.2f%%", r.CPUPercent) }},
		{"MACHINE %", func(r Row) string { return fmt.Sprintf("%.2f%%", r.MachinePercent) }},
		{"QUOTA", func(r Row) string {
			if r.CPUs <= 0 {
				return "none"
			}
			return fmt.Sprintf("%.2f CPUs (%d/%dus)", r.CPUs, r.CPUQuotaUs, r.CPUPeriodUs)
		}},
		{"PERIODS", func(r Row) string { return fmt.Sprint(r.NrPeriods) }},
		{"THROTTLED", func(r Row) string { return fmt.Sprintf("%d (%.1f/s)", r.NrThrottled, r.ThrottledPerSec) }},
		{"THROTTLED TIME", func(r Row) string { return fmt.Sprintf("%s (%.0fms/s)", fmtNs(r.ThrottledNs), r.ThrottledMsPerSec) }},
		{"MEM USAGE / LIMIT", func(r Row) string {
			limit := "no limit"
			if r.MemoryLimit > 0 {
				limit = units.BytesSize(float64(r.MemoryLimit))
			}
			return units.BytesSize(float64(r.MemoryUsage)) + " / " + limit
		}},
		{"MEM %", func(r Row) string {
			if r.MemoryLimit == 0 {
				return "--"
			}
			return fmt.Sprintf("%.2f%%", 100*float64(r.MemoryUsage)/float64(r.MemoryLimit))
		}},
		{"FAILCNT", func(r Row) string { return fmt.Sprint(r.MemoryFailcnt) }},
		{"OOM", func(r Row) string { return fmt.Sprint(r.OOMKills) }},
		{"PIDS", func(r Row) string {
			if r.PidsLimit > 0 {
				return fmt.Sprintf("%d / %d", r.PidsCurrent, r.PidsLimit)
			}
			return fmt.Sprint(r.PidsCurrent)
		}},
	}
}

// fitSteps make the table narrower, one step at a time.
var fitSteps = []func([]column) []column{
	func(cols []column) []column {
		return replaceColumn(cols, "QUOTA", func(r Row) string {
			if r.CPUs <= 0 {
				return "none"
			}
			return fmt.Sprintf("%.2f CPUs", r.CPUs)
		})
	},
	dropColumn("MACHINE %"), dropColumn("PERIODS"), dropColumn("FAILCNT"), dropColumn("CONTAINER ID"),
	dropColumn("OOM"), dropColumn("THROTTLED TIME"), dropColumn("MEM %"),
}

func replaceColumn(cols []column, head string, cell func(Row) string) []column {
	out := append([]column(nil), cols...)
	for i := range out {
		if out[i].head == head {
			out[i].cell = cell
		}
	}
	return out
}

func dropColumn(head string) func([]column) []column {
	return func(cols []column) []column {
		out := make([]column, 0, len(cols))
		for _, c := range cols {
			if c.head != head {
				out = append(out, c)
			}
		}
		return out
	}
}

// cells are a row's cells in cols; a row that could not be read shows dashes.
func cells(r Row, cols []column) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		switch {
		case r.Error == "" || c.head == "CONTAINER ID" || c.head == "NAME":
			out[i] = c.cell(r)
		default:
			out[i] = "--"
		}
	}
	return out
}

// tableWidth is how wide the table of rows in cols is, with its two-space gaps.
func tableWidth(rows []Row, cols []column) int {
	total := 0
	for _, c := range cols {
		w := len(c.head)
		for _, r := range rows {
			w = max(w, len([]rune(cells(r, []column{c})[0])))
		}
		total += w + 2
	}
	return total - 2
}

// fmtNs writes a duration in nanoseconds the short way: 1.25s, 340ms, 0s.
func fmtNs(ns uint64) string {
	switch {
	case ns >= 1e9:
		return fmt.Sprintf("%.2fs", float64(ns)/1e9)
	case ns >= 1e6:
		return fmt.Sprintf("%dms", ns/1e6)
	case ns == 0:
		return "0s"
	}
	return fmt.Sprintf("%dus", ns/1e3)
}
