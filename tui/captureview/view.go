package captureview

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"

	"workbench/netviz/capture"
	"workbench/palette"
	"workbench/tui/pane"
	"workbench/tui/styles"
)

// View draws the filter and counters line, the interface list on the left and the
// packets (or the open packet's layers) on the right.
func (m *Model) View() string { return m.Draw(m.render) }

func (m *Model) render() string {
	head := pane.Fit(m.headLine(), m.Width, 1)
	h := m.Height - 1
	if h <= 0 {
		return head
	}
	listW := min(30, max(18, m.Width/4))
	list := pane.Fit(m.targetList(listW, h), listW, h)
	right := m.Width - listW - 1
	var body string
	if m.open {
		body = m.layers()
	} else {
		body = m.lines(right, h)
	}
	return head + "\n" + pane.Beside(list, pane.Fit(body, right, h), styles.Dim.Render("│"))
}

// headLine is the filter, the state and the counters; the drop counter is always there.
func (m *Model) headLine() string {
	state := styles.Dim.Render("stopped")
	if m.session != nil {
		state = styles.OK.Render(fmt.Sprintf("● capturing on %d", len(m.running)))
	}
	drops := fmt.Sprintf("dropped %d", m.stats.Dropped)
	if m.stats.Dropped > 0 {
		drops = styles.Error.Render(drops)
	}
	counters := fmt.Sprintf("%s  got %d  %s", state, m.stats.Received, drops)
	room := max(10, m.Width-lipgloss.Width(counters)-2)
	return pane.Cell(m.FilterView(room), room) + "  " + counters
}

// targetList lists the interfaces, marked or captured ones with ●, coloured as their
// lines.
func (m *Model) targetList(width, height int) string {
	if m.Err != nil {
		return styles.Error.Render(m.Err.Error())
	}
	if len(m.Data) == 0 {
		return styles.Dim.Render("no interfaces: the lab is not up yet")
	}
	start := 0
	if m.ifCursor >= height {
		start = m.ifCursor - height + 1
	}
	var b strings.Builder
	for i := start; i < len(m.Data) && i < start+height; i++ {
		t := m.Data[i]
		mark := "○ "
		if m.marked[t.Label()] || m.session != nil && m.colour(t) >= 0 {
			mark = "● "
		}
		text := pane.Cell(mark+t.Label(), width)
		if i == m.ifCursor {
			text = styles.Selected.Render(text)
		} else if c := m.colour(t); c >= 0 {
			text = lipgloss.NewStyle().Foreground(palette.InterfaceColor(c)).Render(text)
		}
		if i > start {
			b.WriteByte('\n')
		}
		b.WriteString(text)
	}
	return b.String()
}

// colour is the colour index of a target in the running session, or -1.
func (m *Model) colour(t Target) int {
	for i, r := range m.running {
		if r == t {
			return i
		}
	}
	return -1
}

// lines draws the packets that fit: the newest, or those around the selected one.
func (m *Model) lines(width, height int) string {
	if len(m.packets) == 0 {
		if m.session != nil {
			return styles.Dim.Render("waiting for packets…")
		}
		return styles.Dim.Render("space marks an interface (J/K move)\n/ types a filter (tcpdump syntax)\ns starts and stops the capture")
	}
	end := len(m.packets)
	if m.cursor >= 0 {
		end = min(len(m.packets), max(m.cursor+1, height))
	}
	start := max(0, end-height)
	var b strings.Builder
	for i := start; i < end; i++ {
		text := pane.Cell(m.line(m.packets[i]), width)
		if i == m.cursor {
			text = styles.Selected.Render(text)
		} else {
			text = lipgloss.NewStyle().Foreground(palette.InterfaceColor(m.target(m.packets[i]))).Render(text)
		}
		if i > start {
			b.WriteByte('\n')
		}
		b.WriteString(text)
	}
	return b.String()
}

// layers shows every layer of the selected packet.
func (m *Model) layers() string {
	i := m.cursor
	if i < 0 || i >= len(m.packets) {
		i = len(m.packets) - 1
	}
	p := m.packets[i]
	return styles.Title.Render(m.line(p)) + "\n" + capture.Detail(p.Data)
}

// line is a packet's summary with its interface named by host or container:
// "03:30:00.007 host1/eth0 In IP 172.18.0.2 > 203.0.113.10: ICMP echo request...".
func (m *Model) line(p capture.Packet) string {
	label := p.Iface
	if i := m.target(p); i >= 0 {
		label = m.running[i].Label()
	}
	rest := p.Line
	if len(rest) > len(timeFormat) {
		rest = strings.TrimPrefix(rest[len(timeFormat)+1:], p.Iface+" ")
	}
	return p.Time.Format("15:04:05.000") + " " + label + " " + rest
}

// timeFormat is how a capture line starts.
const timeFormat = "15:04:05.000000"

// target is the index in running of the target a packet was seen on, or -1.
func (m *Model) target(p capture.Packet) int {
	if i, ok := m.tags[p.Iface]; ok {
		return i
	}
	return -1
}
