// Package cgroupsview is the app's cgroups pane: per container a CPU sparkline against
// its quota, throttled periods and time per second, a memory bar against its limit and
// the PIDs; the selected container gets a CPU chart with its quota line, and keys raise
// or lower its CPU limit live through the same command as `workbench update`. It draws
// cgview's snapshots.
package cgroupsview

import (
	"context"
	"fmt"
	"strconv"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"workbench/cgview"
	"workbench/tui/pane"
)

// Step is how much + and - change a CPU limit, in cores.
const Step = 0.1

// Source takes a sample of every container's cgroup.
type Source interface {
	Sample(ctx context.Context) (cgview.Snapshot, error)
}

// KeyMap is the pane's own keys: up and down of the scroll keys move the selection.
type KeyMap struct {
	pane.ScrollKeys
	Raise, Lower key.Binding
}

// DefaultKeyMap is the pane's key map.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		ScrollKeys: pane.DefaultScrollKeys(),
		Raise:      key.NewBinding(key.WithKeys("+", "="), key.WithHelp("+", fmt.Sprintf("CPU limit +%.1f", Step))),
		Lower:      key.NewBinding(key.WithKeys("-", "_"), key.WithHelp("-", fmt.Sprintf("CPU limit -%.1f", Step))),
	}
}

// ShortHelp is the one-line hint.
func (k KeyMap) ShortHelp() []key.Binding { return []key.Binding{k.Up, k.Down, k.Raise, k.Lower} }

// FullHelp is every key of the pane.
func (k KeyMap) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

// Model is the cgroups pane.
type Model struct {
	pane.Base[cgview.Snapshot]
	keys     KeyMap
	selected string
}

// New returns the pane sampling through source.
func New(source Source) *Model {
	keys := DefaultKeyMap()
	return &Model{Base: pane.NewBase("cgroups", keys, source.Sample), keys: keys}
}

// Update handles samples, keys and the containers pane's selection.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	if _, changed := m.Take(msg); changed {
		if _, ok := m.Data.Find(m.selected); !ok && len(m.Data.Series) > 0 {
			m.selected = m.Data.Series[0].Target.Name
		}
	}
	switch msg := msg.(type) {
	case pane.SelectMsg:
		if msg.Container != "" && msg.Container != m.selected {
			m.selected = msg.Container
			m.Invalidate()
		}
	case tea.KeyPressMsg:
		return m.handleKey(msg)
	}
	return nil
}

func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.Up):
		m.move(-1)
	case key.Matches(msg, m.keys.Down):
		m.move(1)
	case key.Matches(msg, m.keys.Raise):
		return m.changeCPU(Step)
	case key.Matches(msg, m.keys.Lower):
		return m.changeCPU(-Step)
	}
	return nil
}

func (m *Model) index() int {
	for i, s := range m.Data.Series {
		if s.Target.Name == m.selected {
			return i
		}
	}
	return 0
}

func (m *Model) move(step int) {
	n := len(m.Data.Series)
	if n == 0 {
		return
	}
	i := min(n-1, max(0, m.index()+step))
	if name := m.Data.Series[i].Target.Name; name != m.selected {
		m.selected = name
		m.Invalidate()
	}
}

// changeCPU asks the app to run `update --cpus N NAME`, the same command a person
// types. A container without a CPU limit gets one core when lowered.
func (m *Model) changeCPU(delta float64) tea.Cmd {
	s, ok := m.Data.Find(m.selected)
	if !ok {
		return nil
	}
	cores := s.Stats.CPUCores()
	switch {
	case cores == 0 && delta > 0:
		return pane.Status(s.Target.Name+" has no CPU limit to raise: press - to set one", false)
	case cores == 0:
		cores = 1
	default:
		cores += delta
	}
	if cores < Step {
		return pane.Status(fmt.Sprintf("%s is at its lowest CPU limit here (%.1f core)", s.Target.Name, Step), false)
	}
	args := []string{"update", "--cpus", strconv.FormatFloat(cores, 'f', 2, 64), s.Target.Name}
	return func() tea.Msg { return pane.RunMsg{Args: args} }
}
