// Package cgroupsview is the app's cgroups pane: per container a CPU sparkline against
// its quota, throttled periods and time per second, a memory bar against its limit and
// the PIDs; the selected container gets a CPU chart with its quota line, and keys raise
// or lower its CPU limit live through the same command as `workbench update`. It draws
// cgview's snapshots.
package cgroupsview

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"workbench/cgview"
	"workbench/tui/keys"
	"workbench/tui/order"
	"workbench/tui/pane"
)

// Step is how much + and - change a CPU limit, in cores.
const Step = 0.1

// Source takes a sample of every container's cgroup.
type Source interface {
	Sample(ctx context.Context) (cgview.Snapshot, error)
}

// KeyMap is the pane's own keys; the shared keys move the selection and filter the
// rows.
type KeyMap struct {
	Raise, Lower, Sort key.Binding
}

// DefaultKeyMap is the pane's key map.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Raise: keys.Bind("+", fmt.Sprintf("CPU limit +%.1f", Step), "="),
		Lower: keys.Bind("-", fmt.Sprintf("CPU limit -%.1f", Step), "_"),
		Sort:  keys.Sort(),
	}
}

// Model is the cgroups pane.
type Model struct {
	pane.Base[cgview.Snapshot]
	keys     KeyMap
	order    order.By
	rows     []int // indexes into Data.Series: the filter's, in order
	selected string
}

// New returns the pane sampling through source.
func New(source Source) *Model {
	k := DefaultKeyMap()
	m := &Model{Base: pane.NewBase("cgroups", keys.Column{k.Raise, k.Lower, k.Sort}, source.Sample), keys: k}
	m.OnFilter(m.arrange)
	return m
}

// Selected is the container whose row is selected, or "".
func (m *Model) Selected() string { return m.selected }

// Update handles samples, keys, clicks and the containers pane's selection.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	if took, cmd := m.Handle(msg, m.arrange); took {
		return cmd
	}
	switch msg := msg.(type) {
	case pane.SelectMsg:
		if msg.Container != "" && msg.Container != m.selected {
			m.selected = msg.Container
			m.Invalidate()
		}
	case pane.ClickMsg:
		if r := m.rowAt(msg.Y); r >= 0 {
			m.moveTo(r)
		}
	case tea.KeyPressMsg:
		return m.handleKey(msg)
	}
	return nil
}

// arrange orders the rows and lets through those the filter matches; the selection
// stays on its container while it is shown, else goes to the first row.
func (m *Model) arrange() {
	ser := m.Data.Series
	all := order.Sort(m.order, len(ser), func(i int) order.Row {
		p := ser[i].Last()
		return order.Row{Name: ser[i].Target.Name, CPU: p.CPUPercent, Memory: int64(p.MemoryBytes), Created: ser[i].Target.Created}
	})
	m.rows = slices.DeleteFunc(all, func(i int) bool { return !m.Match(ser[i].Target.Name) })
	if m.cursor() < 0 && len(m.rows) > 0 {
		m.selected = ser[m.rows[0]].Target.Name
	}
	m.Invalidate()
}

func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	if r, ok := m.MoveRow(msg, max(0, m.cursor()), len(m.rows), max(1, m.Height/3)); ok {
		m.moveTo(r)
		return nil
	}
	switch {
	case key.Matches(msg, m.keys.Sort):
		m.order = m.order.Next()
		m.arrange()
		return pane.Status("cgroups sorted by "+m.order.String(), false)
	case key.Matches(msg, m.keys.Raise):
		return m.changeCPU(Step)
	case key.Matches(msg, m.keys.Lower):
		return m.changeCPU(-Step)
	}
	return nil
}

// cursor is the selected row's index in rows, or -1 when it is not shown.
func (m *Model) cursor() int {
	for r, i := range m.rows {
		if m.Data.Series[i].Target.Name == m.selected {
			return r
		}
	}
	return -1
}

// moveTo selects the container on row r of the list.
func (m *Model) moveTo(r int) {
	if len(m.rows) == 0 {
		return
	}
	if name := m.Data.Series[m.rows[r]].Target.Name; name != m.selected {
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
