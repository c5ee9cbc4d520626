package captureview

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

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
	listW := m.listWidth()
	list := pane.Fit(m.targetList(listW, h), listW, h)
	right := m.Width - listW - 1
	var body string
	if m.open {
		body = styles.Title.Render(m.line(m.packets[m.cursor])) + styles.Dim.Render("  esc closes") + "\n" + m.layers.View()
	} else {
		body = m.lines(right, h)
	}
	return head + "\n" + pane.Beside(list, pane.Fit(body, right, h), styles.Dim.Render("│"))
}

// listWidth is the width of the interface list.
func (m *Model) listWidth() int { return min(30, max(18, m.Width/4)) }

// layerText is every layer of a packet wrapped to width at its spaces, its tabs made
// spaces: a terminal would draw a tab wider than it counts, past the pane's border.
func layerText(data []byte, width int) string {
	return ansi.Wrap(strings.ReplaceAll(capture.Detail(data), "\t", "    "), max(10, width), " ")
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
	m.bpf.SetWidth(max(1, room-len([]rune(m.bpf.Prompt))-1))
	return pane.Cell(m.bpf.View(), room) + "  " + counters
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
		if i == m.ifCursor && m.inList {
			text = styles.Selected.Render(text)
		} else if i == m.ifCursor {
			text = styles.Key.Render(text)
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

// window is the first of the shown packets on screen and the one after the last: the
// newest, or those around the selected one.
func (m *Model) window(shown []int, height int) (start, end int) {
	end = len(shown)
	if m.cursor >= 0 {
		at := 0
		for r, i := range shown {
			if i <= m.cursor {
				at = r
			}
		}
		end = min(len(shown), max(at+1, height))
	}
	return max(0, end-height), end
}

// lines draws the packets that fit.
func (m *Model) lines(width, height int) string {
	if len(m.packets) == 0 {
		if m.session != nil {
			return styles.Dim.Render("waiting for packets…")
		}
		return styles.Dim.Render("space marks an interface (j/k move, h/l go between the lists)\nf types a capture filter (tcpdump syntax)\ns starts and stops the capture")
	}
	shown := m.shown()
	if len(shown) == 0 {
		return styles.Dim.Render("no packet matches /" + m.Filter() + " (esc clears the filter)")
	}
	start, end := m.window(shown, height)
	var b strings.Builder
	for r := start; r < end; r++ {
		i := shown[r]
		text := pane.Cell(m.line(m.packets[i]), width)
		if i == m.cursor {
			text = styles.Selected.Render(text)
		} else {
			text = lipgloss.NewStyle().Foreground(palette.InterfaceColor(m.target(m.packets[i]))).Render(text)
		}
		if r > start {
			b.WriteByte('\n')
		}
		b.WriteString(text)
	}
	return b.String()
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
