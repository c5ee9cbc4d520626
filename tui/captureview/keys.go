package captureview

import (
	"charm.land/bubbles/v2/key"
)

// KeyMap is the pane's own keys. The shared ones move in the interface list or the
// packets (←/h and →/l go from one to the other), G follows new packets, enter opens
// a packet's layers and esc closes them, / filters the packets shown.
type KeyMap struct {
	Mark, CaptureFilter, Start key.Binding
	Save, Clear, Refresh       key.Binding
}

// DefaultKeyMap is the pane's key map.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Mark:          key.NewBinding(key.WithKeys("space"), key.WithHelp("space", "mark interface")),
		CaptureFilter: key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "capture filter (tcpdump syntax)")),
		Start:         key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "capture start/stop")),
		Save:          key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "save as pcap")),
		Clear:         key.NewBinding(key.WithKeys("C"), key.WithHelp("C", "clear packets")),
		Refresh:       key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "list interfaces again")),
	}
}

// ShortHelp is the one-line hint.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Mark, k.CaptureFilter, k.Start, k.Save}
}

// FullHelp is every key of the pane.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Mark, k.Refresh, k.CaptureFilter}, {k.Start, k.Clear, k.Save}}
}
