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
	keys KeyMap
}

// New returns the pane sampling through source.
func New(source Source) *Model {
	k := DefaultKeyMap()
	return &Model{Base: pane.NewList("cgroups", keys.Column{k.Raise, k.Lower, k.Sort}, source.Sample, items), keys: k}
}

// items are the list's rows: a container each, found by its name.
func items(s cgview.Snapshot) []pane.Item {
	out := make([]pane.Item, len(s.Series))
	for i, ser := range s.Series {
		p := ser.Last()
		out[i] = pane.Item{
			Row:  order.Row{Name: ser.Target.Name, CPU: p.CPUPercent, Memory: int64(p.MemoryBytes), Created: ser.Target.Created},
			Text: ser.Target.Name,
		}
	}
	return out
}

// Selected is the container whose row is selected, or "".
func (m *Model) Selected() string { return m.List.Selected() }

// Update handles samples, keys, clicks and the containers pane's selection.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	if took, cmd := m.Handle(msg, nil); took {
		return cmd
	}
	switch msg := msg.(type) {
	case pane.SelectMsg:
		m.SelectItem(msg.Container)
	case pane.ClickMsg:
		_, shown, _ := m.listLayout()
		m.ClickList(msg.Y, shown)
	case tea.KeyPressMsg:
		return m.handleKey(msg)
	}
	return nil
}

func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	if m.MoveList(msg, max(1, m.Height/3)) {
		return nil
	}
	switch {
	case key.Matches(msg, m.keys.Sort):
		return pane.Status("cgroups sorted by "+m.NextOrder().String(), false)
	case key.Matches(msg, m.keys.Raise):
		return m.changeCPU(Step)
	case key.Matches(msg, m.keys.Lower):
		return m.changeCPU(-Step)
	}
	return nil
}

// selected is the selected container's series.
func (m *Model) selected() (cgview.Series, bool) {
	i, ok := m.List.At()
	if !ok {
		return cgview.Series{}, false
	}
	return m.Data.Series[i], true
}

// changeCPU asks the app to run `update --cpus N NAME`, the same command a person
// types. A container without a CPU limit gets one core when lowered.
func (m *Model) changeCPU(delta float64) tea.Cmd {
	s, ok := m.selected()
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
