package containers

import (
	"context"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"workbench/tui/containerlogs"
	"workbench/tui/keys"
	"workbench/tui/order"
	"workbench/tui/pane"
)

// KeyMap is the pane's own keys, the actions on the selected container; the shared
// keys move the selection, filter the rows, and enter opens the logs.
type KeyMap struct {
	Shell, Logs, StartStop, Restart, Pause, Remove, Kill, Sort, Trace key.Binding
	containerlogs.KeyMap
}

// DefaultKeyMap is the pane's key map.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Shell:     keys.Bind("x", "shell in container"),
		Logs:      key.NewBinding(key.WithKeys("l", "enter"), key.WithHelp("l/enter", "logs (follow)")),
		StartStop: keys.Bind("s", "start/stop"),
		Restart:   keys.Bind("r", "restart"),
		Pause:     keys.Bind("p", "pause/unpause"),
		Remove:    keys.Bind("d", "remove (asks)"),
		Kill:      keys.Bind("K", "kill (asks)"),
		Sort:      keys.Sort(),
		Trace:     keys.Bind("T", "trace from it"),
		KeyMap:    containerlogs.DefaultKeyMap(),
	}
}

// ShortHelp is the one-line hint.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Shell, k.Logs, k.StartStop, k.Remove, k.Kill}
}

// FullHelp is every key of the pane.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Shell, k.Logs, k.StartStop, k.Restart}, {k.Pause, k.Remove, k.Kill, k.Sort}, {k.Trace, k.Times}}
}

// Model is the containers pane.
type Model struct {
	pane.Base[Snapshot]
	source Source
	keys   KeyMap
	// followed is the container whose detail is read, which the other panes were told
	// is selected.
	followed string
	logs     *containerlogs.Model
}

// New returns the pane reading from source.
func New(source Source) *Model {
	m := &Model{source: source, keys: DefaultKeyMap()}
	m.Base = pane.NewList("Containers", m.keys, nil, items)
	m.follow("")
	return m
}

// items are the list's rows: a container each, found by its name, filtered on every
// column.
func items(s Snapshot) []pane.Item {
	out := make([]pane.Item, len(s.Containers))
	for i, c := range s.Containers {
		out[i] = pane.Item{Row: order.Row{Name: c.Name, CPU: c.CPUPercent, Memory: c.Memory, Created: c.Created}, Text: rowText(c)}
	}
	return out
}

// follow loads the detail of the container named name from now on.
func (m *Model) follow(name string) {
	m.followed = name
	src := m.source
	m.SetLoad(func(ctx context.Context) (Snapshot, error) { return src.Load(ctx, name) })
}

// Selected is the name of the selected container, or "".
func (m *Model) Selected() string { return m.followed }

// SetSize gives the pane, and its logs view when open, their size.
func (m *Model) SetSize(width, height int) {
	m.Base.SetSize(width, height)
	if m.logs != nil {
		m.logs.SetSize(width, height)
	}
}

// KeyMap is the logs view's keys while it is open, else the pane's.
func (m *Model) KeyMap() help.KeyMap {
	if m.logs != nil {
		return m.keys.KeyMap
	}
	return m.Base.KeyMap()
}

// Typing reports whether the filter, a question or the open logs view's filter has
// the keyboard.
func (m *Model) Typing() bool {
	if m.logs != nil {
		return m.logs.Typing()
	}
	return m.Base.Typing()
}

// Update handles keys, clicks and fresh snapshots.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	if ok, changed := m.Take(msg); ok {
		if !changed {
			return nil
		}
		return m.selectionChanged()
	}
	if m.logs != nil {
		if _, ok := msg.(pane.ClickMsg); ok {
			return nil
		}
		if _, ok := msg.(pane.SelectMsg); !ok {
			cmd, done := m.logs.Update(msg)
			if done {
				m.logs = nil
				m.Invalidate()
			}
			return cmd
		}
	}
	if took, cmd := m.Shared(msg); took {
		return tea.Batch(cmd, m.selectionChanged())
	}
	switch msg := msg.(type) {
	case pane.ClickMsg:
		m.ClickList(msg.Y, m.listHeight()-1)
		return m.selectionChanged()
	case tea.KeyPressMsg:
		return m.handleKey(msg)
	}
	return nil
}

// current is the container under the cursor.
func (m *Model) current() (Container, bool) {
	i, ok := m.List.At()
	if !ok {
		return Container{}, false
	}
	return m.Data.Containers[i], true
}

func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	if m.MoveList(msg, max(1, m.Height/2)) {
		return m.selectionChanged()
	}
	if key.Matches(msg, m.keys.Sort) {
		return pane.Status("containers sorted by "+m.NextOrder().String(), false)
	}
	c, ok := m.current()
	if !ok {
		return nil
	}
	return m.act(msg, c)
}

// act runs an action key on the container c.
func (m *Model) act(msg tea.KeyPressMsg, c Container) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.Shell):
		if c.Paused {
			// A shell would join the frozen cgroup and freeze with it.
			return pane.Status(c.Name+" is paused: p lets it run again, then x opens a shell", true)
		}
		if c.State != "running" {
			// The engine says why in a sentence; a terminal handed over would only
			// show its exit status.
			return run("exec", c.Name, "sh")
		}
		return func() tea.Msg { return pane.ExecMsg{Args: []string{"exec", "-it", c.Name, "sh"}} }
	case key.Matches(msg, k.Logs):
		return m.openLogs(c.Name)
	case key.Matches(msg, k.StartStop):
		if c.State == "running" {
			return run("stop", c.Name)
		}
		return run("start", c.Name)
	case key.Matches(msg, k.Restart):
		return run("restart", c.Name)
	case key.Matches(msg, k.Pause):
		if c.Paused {
			return run("unpause", c.Name)
		}
		return run("pause", c.Name)
	case key.Matches(msg, k.Remove):
		if c.State == "running" {
			m.Ask("remove "+c.Name+"? it is running: it is killed first (rm -f)", run("rm", "-f", c.Name))
		} else {
			m.Ask("remove "+c.Name+"?", run("rm", c.Name))
		}
		m.Invalidate()
	case key.Matches(msg, k.Kill):
		m.Ask("kill "+c.Name+"?", run("kill", c.Name))
		m.Invalidate()
	case key.Matches(msg, k.Trace):
		return func() tea.Msg { return pane.TraceMsg{From: c.Name} }
	}
	return nil
}

// openLogs shows the logs view of the container named name.
func (m *Model) openLogs(name string) tea.Cmd {
	m.logs = containerlogs.New(name)
	m.logs.SetSize(m.Width, m.Height)
	m.Invalidate()
	return m.logs.Start(m.Context(), m.source.Logs)
}

// LogsOf is the container whose logs view is open, or "".
func (m *Model) LogsOf() string {
	if m.logs == nil {
		return ""
	}
	return m.logs.Name()
}

// selectionChanged tells the other panes when the selected container changes.
func (m *Model) selectionChanged() tea.Cmd {
	c, _ := m.current()
	if c.Name == m.followed {
		return nil
	}
	m.follow(c.Name)
	name := c.Name
	// Tell the other panes, and read the newly selected container's detail now.
	return tea.Batch(func() tea.Msg { return pane.SelectMsg{Container: name} }, m.Reload())
}

// run asks the app to run a CLI command.
func run(args ...string) tea.Cmd {
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
