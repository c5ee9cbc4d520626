package captureview

import (
	"charm.land/bubbles/v2/key"

	"workbench/tui/keys"
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
		Mark:          keys.Bind("space", "mark interface"),
		CaptureFilter: keys.Bind("f", "capture filter (tcpdump syntax)"),
		Start:         keys.Bind("s", "capture start/stop"),
		Save:          keys.Bind("w", "save as pcap"),
		Clear:         keys.Bind("C", "clear packets"),
		Refresh:       keys.Bind("r", "list interfaces again"),
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
