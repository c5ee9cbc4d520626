package iptablesview

import (
	"charm.land/bubbles/v2/key"
)

// KeyMap is the pane's own keys.
type KeyMap struct {
	Up, Down, PageUp, PageDown, Top key.Binding
	NextHost, PrevHost, Table, Zero key.Binding
}

// DefaultKeyMap is the pane's key map.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "b"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "f", "space"), key.WithHelp("pgdn", "page down")),
		Top:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g", "top")),
		NextHost: key.NewBinding(key.WithKeys("l", "right", "]"), key.WithHelp("→/l", "next host")),
		PrevHost: key.NewBinding(key.WithKeys("h", "left", "["), key.WithHelp("←/h", "previous host")),
		Table:    key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "table: all, raw, mangle, nat, filter")),
		Zero:     key.NewBinding(key.WithKeys("Z"), key.WithHelp("Z", "zero the counters")),
	}
}

// ShortHelp is the one-line hint.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.NextHost, k.Table, k.Zero, k.Down}
}

// FullHelp is every key of the pane.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Top}, {k.NextHost, k.PrevHost, k.Table, k.Zero}}
}

// renderWidth is the width the tables are drawn at before the pane cuts what it shows.
const renderWidth = 240
