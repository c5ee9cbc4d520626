// Package keys holds the app's one key language: the global keys that work whatever
// pane has focus, the keys every pane reads the same way (moving, paging, top and
// bottom, the other axis, open, back, filter and matches), and the sort key of the
// container lists. Each pane keeps the map of its own action keys beside it, on keys
// that mean nothing here; Bind declares a key the help names as itself, and a Column
// is the help of a pane whose keys fit one column.
package keys

import "charm.land/bubbles/v2/key"

// Bind is the binding of k, and of the keys in also, named k in the help, that does
// what does says.
func Bind(k, does string, also ...string) key.Binding {
	return key.NewBinding(key.WithKeys(append([]string{k}, also...)...), key.WithHelp(k, does))
}

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
		Quit:    Bind("q", "quit (containers stay)", "ctrl+c"),
		Help:    Bind("?", "keys"),
		Next:    Bind("tab", "next pane"),
		Prev:    Bind("shift+tab", "previous pane"),
		Pane:    key.NewBinding(key.WithKeys("1", "2", "3", "4", "5", "6", "7", "8", "9"), key.WithHelp("1-9", "go to pane")),
		Zoom:    Bind("z", "zoom pane"),
		Command: Bind(":", "command line"),
		Mouse:   Bind("M", "mouse on/off"),
		Create:  Bind("c", "new container"),
		Lab:     Bind("L", "networks and hosts"),
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

// Nav is the keys every pane reads the same way.
type Nav struct {
	// Up and Down move the selection or scroll by one line.
	Up, Down key.Binding
	// PageUp and PageDown move by half a pane (a list) or a pane (a text).
	PageUp, PageDown key.Binding
	// Top and Bottom go to the first and the last line.
	Top, Bottom key.Binding
	// Left and Right move along the pane's other axis (hosts, the packet list), where
	// it has one.
	Left, Right key.Binding
	// Open opens or selects what is under the cursor; Back closes it, or clears the
	// filter.
	Open, Back key.Binding
	// Filter types a filter; NextMatch and PrevMatch jump between what it matches.
	Filter, NextMatch, PrevMatch key.Binding
}

// DefaultNav is the keys every pane shares.
func DefaultNav() Nav {
	return Nav{
		Up:        key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:      key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:    key.NewBinding(key.WithKeys("pgup", "ctrl+b"), key.WithHelp("pgup/ctrl+b", "page up")),
		PageDown:  key.NewBinding(key.WithKeys("pgdown", "ctrl+f"), key.WithHelp("pgdn/ctrl+f", "page down")),
		Top:       key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g/home", "top")),
		Bottom:    key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G/end", "bottom, follow")),
		Left:      key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←/h", "other axis: back")),
		Right:     key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→/l", "other axis: on")),
		Open:      Bind("enter", "open / select"),
		Back:      Bind("esc", "close, clear filter"),
		Filter:    Bind("/", "filter"),
		NextMatch: Bind("n", "next match"),
		PrevMatch: Bind("N", "previous match"),
	}
}

// FullHelp is every shared key, in columns.
func (n Nav) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{n.Up, n.Down, n.PageUp, n.PageDown},
		{n.Top, n.Bottom, n.Left, n.Right},
		{n.Open, n.Back, n.Filter, n.NextMatch, n.PrevMatch},
	}
}

// Column is a pane's own keys for the help, when they fit one column: the one-line
// hint shows them all, the full help as that column.
type Column []key.Binding

// ShortHelp is every key of the column.
func (c Column) ShortHelp() []key.Binding { return c }

// FullHelp is the column.
func (c Column) FullHelp() [][]key.Binding { return [][]key.Binding{c} }

// Sort is the key that goes through the orders of a list of containers (name, CPU,
// memory, creation), in the containers and the cgroups panes alike.
func Sort() key.Binding {
	return Bind("o", "sort: name/CPU/mem/new")
}
