package pane

import (
	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"workbench/tui/styles"
)

// Placeholder stands for a pane whose data cannot be read in this build: it says so
// in one plain line.
type Placeholder struct {
	title, reason string
	width, height int
}

// NewPlaceholder returns a pane named title that shows why it has nothing to show.
func NewPlaceholder(title, reason string) *Placeholder {
	return &Placeholder{title: title, reason: reason}
}

// Title is the pane's name.
func (p *Placeholder) Title() string { return p.title }

// Update does nothing: the pane has no data and no keys.
func (p *Placeholder) Update(tea.Msg) tea.Cmd { return nil }

// View says the pane is not available and why.
func (p *Placeholder) View() string {
	return Fit(styles.Dim.Render(Unavailable+": "+p.reason), p.width, p.height)
}

// SetSize gives the pane its size.
func (p *Placeholder) SetSize(width, height int) { p.width, p.height = width, height }

// KeyMap is empty.
func (p *Placeholder) KeyMap() help.KeyMap { return noKeys{} }

// Refresh has nothing to load.
func (p *Placeholder) Refresh() tea.Cmd { return nil }

// Typing is always false.
func (p *Placeholder) Typing() bool { return false }

type noKeys struct{}

func (noKeys) ShortHelp() []key.Binding  { return nil }
func (noKeys) FullHelp() [][]key.Binding { return nil }
