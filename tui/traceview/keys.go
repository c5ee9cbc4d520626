package traceview

import (
	"charm.land/bubbles/v2/key"

	"workbench/tui/keys"
)

// KeyMap is the pane's own keys: the shared ones scroll the timeline and filter it,
// and go along it step by step (h/l), to its first and last step (g/G).
type KeyMap struct {
	Top, Bottom, Next, Prev, Probe, Again, Back key.Binding
	// Field and Send work in the probe form.
	Field, Send key.Binding
}

// DefaultKeyMap is the pane's key map.
func DefaultKeyMap() KeyMap {
	nav := keys.DefaultNav()
	k := KeyMap{
		Top: nav.Top, Bottom: nav.Bottom, Next: nav.Right, Prev: nav.Left, Back: nav.Back,
		Probe: keys.Bind("p", "new probe", "enter"),
		Again: keys.Bind("r", "probe again"),
		Field: keys.Bind("tab", "next field", "shift+tab"),
		Send:  keys.Bind("enter", "send the probe"),
	}
	k.Top.SetHelp("g/home", "first step")
	k.Bottom.SetHelp("G/end", "last step")
	k.Next.SetHelp("→/l", "next step")
	k.Prev.SetHelp("←/h", "previous step")
	k.Back.SetHelp("esc", "put the journey away")
	return k
}

// ShortHelp is the one-line hint.
func (k KeyMap) ShortHelp() []key.Binding { return []key.Binding{k.Probe, k.Next, k.Prev} }

// FullHelp is every key of the pane.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Top, k.Bottom, k.Next, k.Prev, k.Back}, {k.Probe, k.Again, k.Field, k.Send}}
}
