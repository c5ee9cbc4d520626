package containers

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/docker/go-units"

	"workbench/tui/order"
	"workbench/tui/pane"
	"workbench/tui/styles"
)

// column is one column of the list: its title, width and how it reads a container.
type column struct {
	title string
	width int
	value func(Container) string
}

// View draws the list above and the selected container's detail below (or beside it
// when the pane is wide).
// The open logs view draws itself.
func (m *Model) View() string {
	if m.logs != nil {
		return m.logs.View()
	}
	return m.Draw(m.render)
}

func (m *Model) render() string {
	if notice, ok := m.Notice("reading containers…"); ok {
		return notice
	}
	if len(m.Data.Containers) == 0 {
		return "no containers yet: press c to create one, or : then run -d busybox sleep 1000"
	}
	if len(m.List.Rows()) == 0 {
		return styles.Dim.Render("no container matches /" + m.Filter() + " (esc clears the filter)")
	}
	if m.Width >= 150 {
		listW := m.Width * 3 / 5
		list := pane.Fit(m.list(listW, m.Height), listW, m.Height)
		detail := pane.Fit(m.detail(m.Width-listW-1), m.Width-listW-1, m.Height)
		return pane.Beside(list, detail, " ")
	}
	out := m.list(m.Width, m.listHeight())
	if rest := m.Height - m.listHeight(); rest > 1 {
		out = pane.Fit(out, m.Width, m.listHeight()) + "\n" + pane.Fit(m.detail(m.Width), m.Width, rest)
	}
	return pane.Fit(out, m.Width, m.Height)
}

// listHeight is the lines the list takes, its header included.
func (m *Model) listHeight() int {
	if m.Width >= 150 {
		return m.Height
	}
	h := len(m.List.Rows()) + 1
	if half := m.Height / 2; h > half && m.Height >= 12 {
		h = half
	}
	return min(h, m.Height)
}

// stateText is a container's state as the list shows it: "Exited (137)" for one that
// ended.
func stateText(c Container) string {
	switch {
	case c.State == "exited":
		return fmt.Sprintf("Exited (%d)", c.ExitCode)
	case c.Paused:
		return "paused"
	}
	return c.State
}

// rowText is what the filter looks in: every column of the row.
func rowText(c Container) string {
	return strings.Join([]string{c.Name, c.Image, stateText(c), c.Host, strings.Join(c.Networks, " "), strings.Join(c.Ports, " ")}, " ")
}

func networksText(c Container) string {
	if len(c.Networks) == 0 {
		return "-"
	}
	return strings.Join(c.Networks, ", ")
}

// sorted are the columns the orders sort by, marked in the header.
var sorted = order.Columns{Name: "NAME", CPU: "CPU%", Memory: "MEMORY"}

// columns chooses the columns that fit width, each as wide as its longest value
// within bounds; NETWORKS takes what is left, and when the room is short the widest
// columns give some back first, so no column is cut much more than another.
func (m *Model) columns(width int) []column {
	all := []column{
		{"NAME", 0, func(c Container) string { return c.Name }},
		{"IMAGE", 0, func(c Container) string { return c.Image }},
		{"STATE", 0, stateText},
		{"HOST", 0, func(c Container) string { return c.Host }},
		{"NETWORKS", 0, networksText},
		{"PORTS", 0, func(c Container) string { return strings.Join(c.Ports, ",") }},
		{"CPU%", 0, cpuText},
		{"MEMORY", 0, memoryText},
	}
	switch {
	case width < 90:
		// At 80 columns drop the image and ports; the detail box shows them.
		all = []column{all[0], all[2], all[3], all[4], all[6], all[7]}
	case width < 110:
		all = append(all[:1], all[2:]...)
	}
	want := make([]int, len(all))
	for i := range all {
		all[i].title = sorted.Header(m.List.Order(), all[i].title)
		w := ansi.StringWidth(all[i].title)
		for _, r := range m.List.Rows() {
			w = max(w, ansi.StringWidth(all[i].value(m.Data.Containers[r])))
		}
		want[i] = min(w, 32)
		all[i].width = want[i]
	}
	used := func() int {
		n := 0
		for _, c := range all {
			n += c.width + 1
		}
		return n - 1
	}
	// Too wide: take one cell at a time from the widest column, down to 6.
	for used() > width {
		widest := 0
		for i := range all {
			if all[i].width > all[widest].width {
				widest = i
			}
		}
		if all[widest].width <= 6 {
			break
		}
		all[widest].width--
	}
	// Room to spare: NETWORKS, the column of variable length, takes it.
	for i := range all {
		if strings.HasPrefix(all[i].title, "NETWORKS") {
			all[i].width += max(0, width-used())
		}
	}
	return all
}

// list draws the header and the rows around the cursor that fit in height.
func (m *Model) list(width, height int) string {
	cols := m.columns(width)
	var b strings.Builder
	for i, c := range cols {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(styles.Header.Render(pane.Cell(c.title, c.width)))
	}
	rows := m.List.Rows()
	start := m.List.Start(m.listHeight() - 1)
	for r := start; r < len(rows) && r < start+height-1; r++ {
		b.WriteByte('\n')
		b.WriteString(m.row(m.Data.Containers[rows[r]], cols, r == m.List.Cursor()))
	}
	return b.String()
}

func (m *Model) row(c Container, cols []column, selected bool) string {
	cells := make([]string, len(cols))
	for i, col := range cols {
		cells[i] = pane.Cell(col.value(c), col.width)
	}
	if selected {
		return styles.Selected.Render(strings.Join(cells, " "))
	}
	for i, col := range cols {
		if col.title == "STATE" {
			st := c.State
			if c.Paused {
				st = "paused"
			}
			cells[i] = styles.State(st).Render(cells[i])
		}
	}
	return strings.Join(cells, " ")
}

// detail draws the selected container's inside.
func (m *Model) detail(width int) string {
	c, ok := m.current()
	if !ok {
		return ""
	}
	d := c.Detail
	var b strings.Builder
	line := func(label, text string) {
		fmt.Fprintf(&b, "%s %s\n", styles.Title.Render(pane.Cell(label, 10)), text)
	}
	b.WriteString(styles.Title.Render(c.Name) + " " + styles.Dim.Render(c.ID) + "\n")
	state := styles.State(c.State).Render(c.State)
	if c.State == "exited" {
		state += fmt.Sprintf(" (code %d)", d.ExitCode)
		if d.OOMKilled {
			state += styles.Error.Render(" OOM-killed")
		}
	}
	if d.Error != "" {
		state += " " + styles.Error.Render(d.Error)
	}
	line("state", state)
	line("image", c.Image)
	line("command", strings.Join(d.Cmd, " "))
	if d.Pid > 0 {
		line("pid", fmt.Sprintf("%d on the machine, 1 inside", d.Pid))
	}
	for _, p := range d.PidsInside {
		line("", p)
	}
	if len(d.Namespaces) > 0 {
		var ns []string
		for _, n := range d.Namespaces {
			s := fmt.Sprintf("%s:[%d]", n.Kind, n.Inode)
			if n.SharedWith != "" {
				s = styles.Warning.Render(s + " shared with " + n.SharedWith)
			}
			ns = append(ns, s)
		}
		for i, l := range wrapWords(ns, width-12) {
			line(pick(i == 0, "namespaces", ""), l)
		}
	}
	if d.CgroupPath != "" {
		line("cgroup", d.CgroupPath)
	}
	if len(d.Limits) > 0 {
		line("limits", strings.Join(d.Limits, ", "))
	}
	for i, v := range d.Veths {
		line(pick(i == 0, "links", ""), v)
	}
	for i, p := range c.Ports {
		line(pick(i == 0, "ports", ""), p)
	}
	for i, l := range d.Layers {
		line(pick(i == 0, "rootfs", ""), l)
	}
	return strings.TrimRight(b.String(), "\n")
}

func pick(first bool, a, b string) string {
	if first {
		return a
	}
	return b
}

func cpuText(c Container) string {
	if c.CPUPercent < 0 || c.State != "running" {
		return "-"
	}
	return fmt.Sprintf("%.1f", c.CPUPercent)
}

func memoryText(c Container) string {
	if c.State != "running" {
		return "-"
	}
	if c.MemoryLimit > 0 {
		return units.BytesSize(float64(c.Memory)) + "/" + units.BytesSize(float64(c.MemoryLimit))
	}
	return units.BytesSize(float64(c.Memory))
}

// wrapWords joins words with two spaces into lines no wider than width.
func wrapWords(words []string, width int) []string {
	var lines []string
	cur, curW := "", 0
	for _, w := range words {
		ww := ansi.StringWidth(w)
		if cur != "" && curW+2+ww > width {
			lines = append(lines, cur)
			cur, curW = "", 0
		}
		if cur != "" {
			cur += "  "
			curW += 2
		}
		cur += w
		curW += ww
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}
