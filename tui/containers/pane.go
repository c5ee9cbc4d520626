package containers

import (
	"context"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"workbench/tui/pane"
)

// KeyMap is the pane's own keys: the scroll keys move the selection.
type KeyMap struct {
	pane.ScrollKeys
	Bottom, Shell, Kill, Stop, Remove, Trace key.Binding
}

// DefaultKeyMap is the pane's key map.
func DefaultKeyMap() KeyMap {
	k := KeyMap{
		ScrollKeys: pane.DefaultScrollKeys(),
		Bottom:     key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G", "last")),
		Shell:      key.NewBinding(key.WithKeys("x", "enter"), key.WithHelp("x/enter", "shell in container")),
		Kill:       key.NewBinding(key.WithKeys("K"), key.WithHelp("K", "kill")),
		Stop:       key.NewBinding(key.WithKeys("S"), key.WithHelp("S", "stop")),
		Remove:     key.NewBinding(key.WithKeys("D"), key.WithHelp("D", "remove (force)")),
		Trace:      key.NewBinding(key.WithKeys("T"), key.WithHelp("T", "trace a probe from it")),
	}
	k.Top.SetHelp("g", "first")
	return k
}

// ShortHelp is the one-line hint.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.Shell, k.Kill, k.Remove}
}

// FullHelp is every key of the pane.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}, {k.Shell, k.Kill, k.Stop, k.Remove, k.Trace}}
}

// Model is the containers pane.
type Model struct {
	pane.Base[Snapshot]
	source   Source
	keys     KeyMap
	cursor   int
	selected string
}

// New returns the pane reading from source.
func New(source Source) *Model {
	m := &Model{source: source, keys: DefaultKeyMap()}
	m.Base = pane.NewBase[Snapshot]("Containers", m.keys, nil)
	m.follow("")
	return m
}

// follow loads the detail of the container named name from now on.
func (m *Model) follow(name string) {
	m.selected = name
	src := m.source
	m.SetLoad(func(ctx context.Context) (Snapshot, error) { return src.Load(ctx, name) })
}

// Selected is the name of the selected container, or "".
func (m *Model) Selected() string { return m.selected }

// Update handles keys and fresh snapshots.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	if ok, changed := m.Take(msg); ok {
		if !changed {
			return nil
		}
		// Keep the same container selected when rows come and go.
		m.cursor = 0
		for i, c := range m.Data.Containers {
			if c.Name == m.selected {
				m.cursor = i
			}
		}
		return m.selectionChanged()
	}
	if msg, ok := msg.(tea.KeyPressMsg); ok {
		return m.handleKey(msg)
	}
	return nil
}

func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	n := len(m.Data.Containers)
	switch {
	case key.Matches(msg, m.keys.Up):
		m.moveTo(m.cursor - 1)
	case key.Matches(msg, m.keys.Down):
		m.moveTo(m.cursor + 1)
	case key.Matches(msg, m.keys.PageUp):
		m.moveTo(m.cursor - max(1, m.Height/2))
	case key.Matches(msg, m.keys.PageDown):
		m.moveTo(m.cursor + max(1, m.Height/2))
	case key.Matches(msg, m.keys.Top):
		m.moveTo(0)
	case key.Matches(msg, m.keys.Bottom):
		m.moveTo(n - 1)
	case n == 0:
		return nil
	case key.Matches(msg, m.keys.Shell):
		return m.shell()
	case key.Matches(msg, m.keys.Kill):
		return m.run("kill", m.selected)
	case key.Matches(msg, m.keys.Stop):
		return m.run("stop", m.selected)
	case key.Matches(msg, m.keys.Remove):
		return m.run("rm", "-f", m.selected)
	case key.Matches(msg, m.keys.Trace):
		from := m.selected
		return func() tea.Msg { return pane.TraceMsg{From: from} }
	default:
		return nil
	}
	return m.selectionChanged()
}

func (m *Model) moveTo(i int) {
	if i >= len(m.Data.Containers) {
		i = len(m.Data.Containers) - 1
	}
	if i < 0 {
		i = 0
	}
	if i != m.cursor {
		m.cursor = i
		m.Invalidate()
	}
}

// selectionChanged tells the other panes when the selected container changes.
func (m *Model) selectionChanged() tea.Cmd {
	name := ""
	if m.cursor < len(m.Data.Containers) {
		name = m.Data.Containers[m.cursor].Name
	}
	if name == m.selected {
		return nil
	}
	m.follow(name)
	// Tell the other panes, and read the newly selected container's detail now.
	return tea.Batch(func() tea.Msg { return pane.SelectMsg{Container: name} }, m.Reload())
}

// shell asks the app to hand the terminal to a shell in the selected container.
func (m *Model) shell() tea.Cmd {
	name := m.selected
	return func() tea.Msg { return pane.ExecMsg{Args: []string{"exec", "-it", name, "sh"}} }
}

// run asks the app to run a CLI command on the selected container.
func (m *Model) run(args ...string) tea.Cmd {
	return func() tea.Msg { return pane.RunMsg{Args: args} }
}

// Names lists the containers' names, for completion.
func (m *Model) Names() []string {
	out := make([]string, len(m.Data.Containers))
	for i, c := range m.Data.Containers {
		out[i] = c.Name
	}
	return out
}
