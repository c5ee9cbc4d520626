package traceview

import (
	"charm.land/bubbles/v2/key"

	"workbench/tui/pane"
)

// KeyMap is the pane's own keys.
type KeyMap struct {
	pane.ScrollKeys
	Bottom, Next, Prev, Probe, Again, Back key.Binding
	// Field and Send work in the probe form.
	Field, Send key.Binding
}

// DefaultKeyMap is the pane's key map.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		ScrollKeys: pane.DefaultScrollKeys(),
		Bottom:     key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G", "last step")),
		Next:       key.NewBinding(key.WithKeys("l", "right"), key.WithHelp("→/l", "next step")),
		Prev:       key.NewBinding(key.WithKeys("h", "left"), key.WithHelp("←/h", "previous step")),
		Probe:      key.NewBinding(key.WithKeys("p", "enter"), key.WithHelp("p", "new probe")),
		Again:      key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "probe again")),
		Back:       key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Field:      key.NewBinding(key.WithKeys("tab", "shift+tab"), key.WithHelp("tab", "next field")),
		Send:       key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "send the probe")),
	}
}

// ShortHelp is the one-line hint.
func (k KeyMap) ShortHelp() []key.Binding { return []key.Binding{k.Probe, k.Next, k.Prev, k.Down} }

// FullHelp is every key of the pane.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{k.Bindings(), {k.Bottom, k.Next, k.Prev, k.Back}, {k.Probe, k.Again, k.Field, k.Send}}
}
