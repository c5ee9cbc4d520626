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

// Table renders rows as the `stats` table: CPU against its quota, throttling, memory
// against its limit, OOM kills and PIDs.
func Table(rows []Row) string {
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "CONTAINER ID\tNAME\tCPU %\tMACHINE %\tQUOTA\tPERIODS\tTHROTTLED\tTHROTTLED TIME\tMEM USAGE / LIMIT\tMEM %\tFAILCNT\tOOM\tPIDS")
	for _, r := range rows {
		id := r.ID
		if len(id) > 12 {
			id = id[:12]
		}
		if r.Error != "" {
			fmt.Fprintf(w, "%s\t%s\t--\t--\t--\t--\t--\t--\t--\t--\t--\t--\t--\n", id, r.Name)
			continue
		}
		quota := "none"
		if r.CPUs > 0 {
			quota = fmt.Sprintf("%.2f CPUs (%d/%dus)", r.CPUs, r.CPUQuotaUs, r.CPUPeriodUs)
		}
		limit, memPct := "no limit", "--"
		if r.MemoryLimit > 0 {
			limit = units.BytesSize(float64(r.MemoryLimit))
			memPct = fmt.Sprintf("%.2f%%", 100*float64(r.MemoryUsage)/float64(r.MemoryLimit))
		}
		pids := fmt.Sprint(r.PidsCurrent)
		if r.PidsLimit > 0 {
			pids += fmt.Sprintf(" / %d", r.PidsLimit)
		}
		fmt.Fprintf(w, "%s\t%s\t%.2f%%\t%.2f%%\t%s\t%d\t%d (%.1f/s)\t%s (%.0fms/s)\t%s / %s\t%s\t%d\t%d\t%s\n",
			id, r.Name, r.CPUPercent, r.MachinePercent, quota, r.NrPeriods, r.NrThrottled, r.ThrottledPerSec,
			fmtNs(r.ThrottledNs), r.ThrottledMsPerSec, units.BytesSize(float64(r.MemoryUsage)), limit, memPct,
			r.MemoryFailcnt, r.OOMKills, pids)
	}
	w.Flush()
	return b.String()
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
