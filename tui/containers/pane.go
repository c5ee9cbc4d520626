package containers

import (
	"context"
	"reflect"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"workbench/tui/pane"
)

// KeyMap is the pane's own keys.
type KeyMap struct {
	Up, Down, Top, Bottom key.Binding
	Shell, Kill, Stop     key.Binding
	Remove                key.Binding
}

// DefaultKeyMap is the pane's key map.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:     key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:   key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Top:    key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g", "first")),
		Bottom: key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G", "last")),
		Shell:  key.NewBinding(key.WithKeys("x", "enter"), key.WithHelp("x/enter", "shell in container")),
		Kill:   key.NewBinding(key.WithKeys("K"), key.WithHelp("K", "kill")),
		Stop:   key.NewBinding(key.WithKeys("S"), key.WithHelp("S", "stop")),
		Remove: key.NewBinding(key.WithKeys("D"), key.WithHelp("D", "remove (force)")),
	}
}

// ShortHelp is the one-line hint.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.Shell, k.Kill, k.Remove}
}

// FullHelp is every key of the pane.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.Top, k.Bottom}, {k.Shell, k.Kill, k.Stop, k.Remove}}
}

// loadedMsg carries a fresh snapshot.
type loadedMsg struct {
	snap Snapshot
	err  error
}

// Model is the containers pane.
type Model struct {
	source        Source
	keys          KeyMap
	snap          Snapshot
	err           error
	loaded        bool
	cursor        int
	selected      string
	width, height int
	cache         string
	dirty         bool
}

// New returns the pane reading from source.
func New(source Source) *Model {
	return &Model{source: source, keys: DefaultKeyMap(), dirty: true}
}

// Title is the pane's name.
func (m *Model) Title() string { return "Containers" }

// KeyMap lists the pane's keys.
func (m *Model) KeyMap() help.KeyMap { return m.keys }

// Typing is always false: the pane reads no text.
func (m *Model) Typing() bool { return false }

// SetSize gives the pane its size.
func (m *Model) SetSize(width, height int) {
	if width != m.width || height != m.height {
		m.width, m.height, m.dirty = width, height, true
	}
}

// Selected is the name of the selected container, or "".
func (m *Model) Selected() string { return m.selected }

// Refresh loads a new snapshot.
func (m *Model) Refresh() tea.Cmd {
	if m.source == nil {
		return nil
	}
	src, sel := m.source, m.selected
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		snap, err := src.Load(ctx, sel)
		return loadedMsg{snap: snap, err: err}
	}
}

// Update handles keys and fresh snapshots.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case loadedMsg:
		return m.setData(msg.snap, msg.err)
	case tea.KeyPressMsg:
		return m.handleKey(msg)
	}
	return nil
}

// setData replaces the snapshot only when it changed, so nothing is redrawn otherwise.
func (m *Model) setData(snap Snapshot, err error) tea.Cmd {
	if m.loaded && reflect.DeepEqual(snap, m.snap) && errorText(err) == errorText(m.err) {
		return nil
	}
	m.snap, m.err, m.loaded, m.dirty = snap, err, true, true
	// Keep the same container selected when rows come and go.
	m.cursor = 0
	for i, c := range snap.Containers {
		if c.Name == m.selected {
			m.cursor = i
		}
	}
	return m.selectionChanged()
}

func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	n := len(m.snap.Containers)
	switch {
	case key.Matches(msg, m.keys.Up):
		m.moveTo(m.cursor - 1)
	case key.Matches(msg, m.keys.Down):
		m.moveTo(m.cursor + 1)
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
	default:
		return nil
	}
	return m.selectionChanged()
}

func (m *Model) moveTo(i int) {
	if i >= len(m.snap.Containers) {
		i = len(m.snap.Containers) - 1
	}
	if i < 0 {
		i = 0
	}
	if i != m.cursor {
		m.cursor, m.dirty = i, true
	}
}

// selectionChanged tells the other panes when the selected container changes.
func (m *Model) selectionChanged() tea.Cmd {
	name := ""
	if m.cursor < len(m.snap.Containers) {
		name = m.snap.Containers[m.cursor].Name
	}
	if name == m.selected {
		return nil
	}
	m.selected = name
	// Tell the other panes, and read the newly selected container's detail now.
	return tea.Batch(func() tea.Msg { return pane.SelectMsg{Container: name} }, m.Refresh())
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

func errorText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// Names lists the containers' names, for completion.
func (m *Model) Names() []string {
	out := make([]string, len(m.snap.Containers))
	for i, c := range m.snap.Containers {
		out[i] = c.Name
	}
	return out
}
