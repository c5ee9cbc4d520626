// Package keys holds the app's global key map: the keys that work whatever pane has
// focus. Each pane keeps the map of its own keys beside it.
package keys

import "charm.land/bubbles/v2/key"

// Global is the key map of the app itself.
type Global struct {
	// Quit leaves the app; containers keep running.
	Quit key.Binding
	// Help shows every key of the focused pane and these.
	Help key.Binding
	// Next and Prev move the focus between panes.
	Next, Prev key.Binding
	// Pane jumps to a pane by its number.
	Pane key.Binding
	// Zoom shows the focused pane alone.
	Zoom key.Binding
	// Command opens the command line.
	Command key.Binding
	// Mouse turns the mouse on or off (off lets the terminal select text).
	Mouse key.Binding
	// Create opens the create-container form.
	Create key.Binding
	// Lab opens the lab dialog: networks and hosts.
	Lab key.Binding
}

// DefaultGlobal is the global key map.
func DefaultGlobal() Global {
	return Global{
		Quit:    key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit (containers stay)")),
		Help:    key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "keys")),
		Next:    key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next pane")),
		Prev:    key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous pane")),
		Pane:    key.NewBinding(key.WithKeys("1", "2", "3", "4", "5", "6", "7", "8", "9"), key.WithHelp("1-9", "go to pane")),
		Zoom:    key.NewBinding(key.WithKeys("z"), key.WithHelp("z", "zoom pane")),
		Command: key.NewBinding(key.WithKeys(":"), key.WithHelp(":", "command line")),
		Mouse:   key.NewBinding(key.WithKeys("M"), key.WithHelp("M", "mouse on/off")),
		Create:  key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "new container")),
		Lab:     key.NewBinding(key.WithKeys("L"), key.WithHelp("L", "networks and hosts")),
	}
}

// ShortHelp is the one-line hint of the global keys.
func (g Global) ShortHelp() []key.Binding {
	return []key.Binding{g.Help, g.Command, g.Next, g.Zoom, g.Create, g.Quit}
}

// FullHelp is every global key, in columns.
func (g Global) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{g.Next, g.Prev, g.Pane, g.Zoom},
		{g.Command, g.Create, g.Lab},
		{g.Mouse, g.Help, g.Quit},
	}
}
