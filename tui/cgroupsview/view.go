package cgroupsview

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/docker/go-units"

	"workbench/cgview"
	"workbench/tui/order"
	"workbench/tui/pane"
	"workbench/tui/styles"
)

// View draws one line per container and, under them, the selected one's CPU chart.
func (m *Model) View() string { return m.Draw(m.render) }

// The widths of the columns; the name's is the least it gets, the sparkline takes what
// is left.
const (
	minNameW = 10
	cpuW     = 10
	thrW     = 11
	memW     = 28
	pidsW    = 7
)

// sorted are the columns the orders sort by, marked in the header.
var sorted = order.Columns{Name: "NAME", CPU: "CPU%/LIM", Memory: "MEMORY"}

func (m *Model) render() string {
	if notice, ok := m.Notice("sampling the cgroups…"); ok && len(m.Data.Series) == 0 {
		return notice
	}
	if len(m.Data.Series) == 0 {
		return "no containers to sample: press c to create one"
	}
	rows := m.List.Rows()
	if len(rows) == 0 {
		return styles.Dim.Render("no container matches /" + m.Filter() + " (esc clears the filter)")
	}
	var b strings.Builder
	nameW, sparkW := m.widths(sorted.Header(m.List.Order(), "NAME"))
	head := func(title string, width int) string {
		return styles.Header.Render(pane.Cell(sorted.Header(m.List.Order(), title), width))
	}
	fmt.Fprintf(&b, "%s %s %s %s %s %s", head("NAME", nameW), head("CPU", sparkW), head("CPU%/LIM", cpuW),
		head("THROTTLED", thrW), head("MEMORY", memW), styles.Header.Render("PIDS"))
	start, listH, chartH := m.listLayout()
	for r := start; r < len(rows) && r < start+listH; r++ {
		b.WriteByte('\n')
		b.WriteString(m.row(m.Data.Series[rows[r]], nameW, sparkW, r == m.List.Cursor()))
	}
	if s, ok := m.selected(); ok && chartH > 0 {
		b.WriteString("\n\n")
		b.WriteString(m.chart(s, chartH))
	}
	return b.String()
}

// widths are the name column's and the sparkline's: the name column widens to its
// longest name and its header (head) where the pane leaves the sparkline 16 cells.
func (m *Model) widths(head string) (name, spark int) {
	want := ansi.StringWidth(head)
	for _, s := range m.Data.Series {
		want = max(want, ansi.StringWidth(s.Target.Name))
	}
	room := m.Width - cpuW - thrW - memW - pidsW - 5
	name = max(minNameW, min(want, room-16))
	return name, max(8, room-name)
}

// listLayout is the first row on screen, how many rows the list shows and the height
// of the chart under it.
func (m *Model) listLayout() (start, listH, chartH int) {
	listH = len(m.List.Rows())
	if m.Height >= 16 {
		chartH = min(12, m.Height/3)
		listH = min(listH, m.Height-chartH-3)
	}
	listH = max(1, min(listH, m.Height-1))
	return m.List.Start(listH), listH, chartH
}

// row is one container: name, sparkline, CPU against its limit, throttling, memory, PIDs.
func (m *Model) row(s cgview.Series, nameW, sparkW int, selected bool) string {
	p := s.Last()
	quota := s.Stats.CPUCores() * 100
	values := cgview.CPUValues(s.History)
	spark := cgview.Sparkline(values, sparkW, cgview.CPUScale(values, quota))
	cpu := fmt.Sprintf("%.0f%%", p.CPUPercent)
	if quota > 0 {
		cpu = fmt.Sprintf("%.0f/%.0f%%", p.CPUPercent, quota)
	}
	thr := fmt.Sprintf("%.0f/s %.0fms", p.ThrottledPerSec, p.ThrottledMsPerSec)
	mem := cgview.MemoryBar(p.MemoryBytes, s.Stats.MemoryLimit, 6)
	pids := fmt.Sprintf("%d", s.Stats.PidsCurrent)
	if s.Stats.PidsLimit > 0 {
		pids += fmt.Sprintf("/%d", s.Stats.PidsLimit)
	}
	name := pane.Cell(s.Target.Name, nameW)
	if selected {
		name = styles.Selected.Render(name)
	}
	thrCell := pane.Cell(thr, thrW)
	if p.ThrottledPerSec > 0 {
		thrCell = styles.Warning.Render(thrCell)
	}
	if s.Err != "" {
		return name + " " + styles.Error.Render(s.Err)
	}
	return fmt.Sprintf("%s %s %s %s %s %s", name, styles.OK.Render(spark), pane.Cell(cpu, cpuW), thrCell, pane.Cell(mem, memW), pids)
}

// chart is the selected container's CPU over time with its quota line.
func (m *Model) chart(s cgview.Series, height int) string {
	quota := s.Stats.CPUCores() * 100
	limit := "no CPU limit"
	if quota > 0 {
		limit = fmt.Sprintf("limit %.2f CPU (quota %dus per %dus period) ── is the quota", s.Stats.CPUCores(), s.Stats.CPUQuotaUs, s.Stats.CPUPeriodUs)
	}
	var b strings.Builder
	b.WriteString(styles.Title.Render(s.Target.Name+" CPU %") + "  " + styles.Dim.Render(limit) + "\n")
	values := cgview.CPUValues(s.History)
	rows := cgview.CPUChart(values, max(10, m.Width-8), height-1, quota)
	top := cgview.CPUScale(values, quota)
	for i, r := range rows {
		label := ""
		if i == 0 {
			label = fmt.Sprintf("%4.0f%%", top)
		}
		fmt.Fprintf(&b, "%6s %s", label, r)
		if i < len(rows)-1 {
			b.WriteByte('\n')
		}
	}
	b.WriteString("\n" + styles.Dim.Render(fmt.Sprintf("%6s memory %s  oom kills %d  failcnt %d", "", units.BytesSize(float64(s.Stats.MemoryUsage)), s.Stats.OOMKills, s.Stats.MemoryFailcnt)))
	return b.String()
}
