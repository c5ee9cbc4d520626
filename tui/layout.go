package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"workbench/tui/keys"
	"workbench/tui/pane"
	"workbench/tui/styles"
)

// WideWidth is the width from which a second pane is shown beside the focused one.
const WideWidth = 150

// brand starts the tab bar when there is room for it.
const brand = "workbench "

// area is where a pane is drawn.
type area struct{ x, y, w, h int }

// regions returns, for each visible pane, its inner area; the focused pane is first.
// Line 0 is the tab bar; the last two lines are the status and the help.
func (m *Model) regions() ([]int, []area) {
	top, h := 1, m.height-3
	if h < 3 || m.width < 10 {
		return nil, nil
	}
	if m.zoom {
		return []int{m.focus}, []area{{0, top, m.width, h}}
	}
	side := m.side()
	if m.width < WideWidth || side < 0 {
		return []int{m.focus}, []area{{1, top + 1, m.width - 2, h - 2}}
	}
	left := m.width * 62 / 100
	return []int{m.focus, side}, []area{
		{1, top + 1, left - 2, h - 2},
		{left + 1, top + 1, m.width - left - 2, h - 2},
	}
}

// side is the pane shown beside the focused one on a wide screen: the command log, or
// the containers when the log has focus.
func (m *Model) side() int {
	last := len(m.panes) - 1
	if m.focus != last {
		return last
	}
	if last > 0 {
		return 0
	}
	return -1
}

// visible lists the panes on screen.
func (m *Model) visible() []int {
	idx, _ := m.regions()
	return idx
}

// layout gives every visible pane its size.
func (m *Model) layout() {
	idx, areas := m.regions()
	for i, p := range idx {
		m.panes[p].SetSize(areas[i].w, areas[i].h)
	}
	m.cmd.SetWidth(m.width)
	m.help.SetWidth(m.width)
	if m.ask != nil {
		m.ask.SetWidth(m.width)
	}
	if m.view != nil {
		m.view.SetSize(m.width, m.height-3)
	}
	if m.list != nil {
		m.list.SetSize(m.width, m.height-3)
	}
}

// View draws the tab bar, the visible panes in their frames, the status line and the
// help line (or the `:` line while it is open).
func (m *Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	if m.mouse {
		v.MouseMode = tea.MouseModeCellMotion
	}
	v.WindowTitle = "workbench"
	return v
}

func (m *Model) render() string {
	if m.width < 20 || m.height < 6 {
		return "workbench needs a bigger terminal (at least 20x6)"
	}
	var b strings.Builder
	b.WriteString(m.tabBar())
	b.WriteByte('\n')
	b.WriteString(m.body())
	b.WriteByte('\n')
	b.WriteString(pane.Fit(m.statusLine(), m.width, 1))
	b.WriteByte('\n')
	b.WriteString(pane.Fit(m.bottomLine(), m.width, 1))
	return b.String()
}

// body draws the middle of the screen: a dialog, the help or the panes.
func (m *Model) body() string {
	h := m.height - 3
	switch {
	case m.form != nil:
		return pane.Fit(m.form.View(), m.width, h)
	case m.showHelp:
		return m.helpView(h)
	case m.view != nil:
		return pane.Fit(m.view.View(), m.width, h)
	case m.list != nil:
		return pane.Fit(m.list.View(), m.width, h)
	}
	idx, areas := m.regions()
	if len(idx) == 0 {
		return pane.Fit("", m.width, h)
	}
	if m.zoom {
		return pane.Fit(m.panes[idx[0]].View(), m.width, h)
	}
	blocks := make([]string, len(idx))
	for i, p := range idx {
		frame := styles.Frame
		if i == 0 {
			frame = styles.FocusedFrame
		}
		blocks[i] = m.frames.framed(i, m.panes[p].View(), frame, areas[i])
	}
	if len(blocks) == 1 {
		return blocks[0]
	}
	return pane.Beside(blocks[0], blocks[1], "")
}

// tabLabels are the tab bar's labels: every pane's number and title, or, where they
// do not fit, the other panes' titles cut short, then their numbers alone; the
// focused pane's title is always whole.
func (m *Model) tabLabels() []string {
	room := m.width
	if m.width >= 100 {
		room -= ansi.StringWidth(brand)
	}
	for _, cut := range []int{-1, 5, 3, 0} {
		labels, width := make([]string, len(m.panes)), 0
		for i, p := range m.panes {
			title := []rune(p.Title())
			switch {
			case i == m.focus || cut < 0 || len(title) <= cut:
			case cut == 0:
				title = nil
			default:
				title = append(title[:cut:cut], '…')
			}
			labels[i] = strings.TrimSpace(fmt.Sprintf("%d %s", i+1, string(title)))
			width += ansi.StringWidth(labels[i]) + 2
		}
		if width <= room || cut == 0 {
			return labels
		}
	}
	return nil
}

// tabBar names every pane with its number; the focused one is reversed.
func (m *Model) tabBar() string {
	var b strings.Builder
	if m.width >= 100 {
		b.WriteString(styles.Title.Render(brand))
	}
	for i, label := range m.tabLabels() {
		if i == m.focus {
			b.WriteString(styles.ActiveTab.Render(label))
		} else {
			b.WriteString(styles.Tab.Render(label))
		}
	}
	if m.zoom {
		b.WriteString(styles.Dim.Render(" [zoom]"))
	}
	if !m.mouse {
		b.WriteString(styles.Dim.Render(" [mouse off]"))
	}
	return pane.Fit(b.String(), m.width, 1)
}

// statusLine shows the running work with a spinner, or the last result or error.
func (m *Model) statusLine() string {
	text := m.status
	if m.busy > 0 {
		text = m.spin.View() + " " + text
	}
	if m.statusErr {
		return styles.Error.Render(text)
	}
	return text
}

// bottomLine is the `:` line while it is open, else the short help.
func (m *Model) bottomLine() string {
	switch {
	case m.commandOpen:
		return m.cmd.View()
	case m.ask != nil:
		return m.ask.View()
	case m.form != nil:
		return m.help.ShortHelpView(m.form.KeyMap().ShortHelp())
	case m.view != nil:
		return m.help.ShortHelpView(m.view.KeyMap().ShortHelp())
	case m.list != nil:
		return m.help.ShortHelpView(m.list.ShortHelp())
	}
	return m.frames.keyHint(m.help, append(m.focused().KeyMap().ShortHelp(), m.keys.ShortHelp()...), m.width)
}

// helpSection is one titled block of the help: its keys in columns.
type helpSection struct {
	title string
	keys  [][]key.Binding
}

// helpSections are the keys the help shows: the focused pane's own, the ones every
// pane shares, the global ones. The README's key table lists the same, pane by pane.
func (m *Model) helpSections() []helpSection {
	s := []helpSection{
		{m.focused().Title() + " keys", m.focused().KeyMap().FullHelp()},
		{"Every pane", keys.DefaultNav().FullHelp()},
		{"Global keys", m.keys.FullHelp()},
	}
	if m.extraKeys != nil {
		s = append(s, helpSection{"Lab keys", m.extraKeys.FullHelp()})
	}
	return s
}

// helpView lists every key of the focused pane, then the shared and the global ones.
func (m *Model) helpView(h int) string {
	m.help.ShowAll = true
	m.help.SetWidth(0)
	defer func() { m.help.ShowAll = false; m.help.SetWidth(m.width) }()
	var b strings.Builder
	for _, s := range m.helpSections() {
		b.WriteString(styles.Title.Render(s.title) + "\n")
		b.WriteString(m.help.FullHelpView(s.keys) + "\n\n")
	}
	b.WriteString(styles.Dim.Render("any key closes this help"))
	return pane.Fit(b.String(), m.width, h)
}

// handleClick moves the focus to a clicked tab or pane.
func (m *Model) handleClick(msg tea.MouseClickMsg) tea.Cmd {
	mouse := msg.Mouse()
	if mouse.Y == 0 {
		x := 0
		if m.width >= 100 {
			x = ansi.StringWidth(brand)
		}
		for i, label := range m.tabLabels() {
			w := ansi.StringWidth(label) + 2
			if mouse.X >= x && mouse.X < x+w {
				m.setFocus(i)
				return nil
			}
			x += w
		}
		return nil
	}
	idx, areas := m.regions()
	for i, a := range areas {
		if mouse.X >= a.x-1 && mouse.X <= a.x+a.w && mouse.Y >= a.y-1 && mouse.Y <= a.y+a.h {
			m.setFocus(idx[i])
			if mouse.X >= a.x && mouse.X < a.x+a.w && mouse.Y >= a.y && mouse.Y < a.y+a.h {
				return m.panes[idx[i]].Update(pane.ClickMsg{X: mouse.X - a.x, Y: mouse.Y - a.y})
			}
		}
	}
	return nil
}

// wheelKey turns the mouse wheel into the arrow keys every pane knows.
func wheelKey(msg tea.MouseWheelMsg) tea.Msg {
	if msg.Mouse().Button == tea.MouseWheelUp {
		return tea.KeyPressMsg{Code: tea.KeyUp}
	}
	return tea.KeyPressMsg{Code: tea.KeyDown}
}
