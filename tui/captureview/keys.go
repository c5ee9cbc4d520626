package captureview

import (
	"charm.land/bubbles/v2/key"
)

// KeyMap is the pane's own keys.
type KeyMap struct {
	Up, Down, Follow     key.Binding
	IfUp, IfDown, Mark   key.Binding
	Filter, Start, Open  key.Binding
	Save, Clear, Refresh key.Binding
}

// DefaultKeyMap is the pane's key map.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:      key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "older packet")),
		Down:    key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "newer packet")),
		Follow:  key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G", "follow new packets")),
		IfUp:    key.NewBinding(key.WithKeys("K", "shift+up"), key.WithHelp("K", "interface up")),
		IfDown:  key.NewBinding(key.WithKeys("J", "shift+down"), key.WithHelp("J", "interface down")),
		Mark:    key.NewBinding(key.WithKeys("space"), key.WithHelp("space", "mark interface")),
		Filter:  key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter (tcpdump syntax)")),
		Start:   key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "start/stop")),
		Open:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "packet layers")),
		Save:    key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "save as pcap")),
		Clear:   key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "clear")),
		Refresh: key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "list interfaces again")),
	}
}

// ShortHelp is the one-line hint.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Mark, k.Filter, k.Start, k.Open, k.Save}
}

// FullHelp is every key of the pane.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.IfUp, k.IfDown, k.Mark, k.Refresh},
		{k.Filter, k.Start, k.Clear, k.Save},
		{k.Up, k.Down, k.Follow, k.Open},
	}
}
