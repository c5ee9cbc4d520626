// Package styles is the app's one theme. It uses the terminal's own sixteen ANSI
// colours, which every terminal theme tunes for contrast on its background, so the
// same theme reads well on dark and light terminals. Colour carries meaning (state,
// interface, rule hit), never decoration.
package styles

import (
	"image/color"

	"charm.land/lipgloss/v2"
)

// The colours that carry meaning.
var (
	// Good is a running container, a link that is up, a rule that matched.
	Good color.Color = lipgloss.Color("2")
	// Bad is an exited container with an error, a link that is down, a drop.
	Bad color.Color = lipgloss.Color("1")
	// Warn is a throttled CPU, a limit nearly reached, a created container.
	Warn color.Color = lipgloss.Color("3")
	// Accent marks what has focus.
	Accent color.Color = lipgloss.Color("4")
	// Muted is secondary text.
	Muted color.Color = lipgloss.Color("8")
)

// Interface colours, in order: one per interface in the capture pane.
var Interface = []color.Color{
	lipgloss.Color("6"), lipgloss.Color("5"), lipgloss.Color("2"), lipgloss.Color("3"),
	lipgloss.Color("4"), lipgloss.Color("1"), lipgloss.Color("14"), lipgloss.Color("13"),
}

// Text styles shared by the panes.
var (
	// Plain is text in the terminal's own colours.
	Plain = lipgloss.NewStyle()
	// Title is a pane's title in its frame.
	Title = lipgloss.NewStyle().Bold(true)
	// Header is a table header.
	Header = lipgloss.NewStyle().Bold(true).Underline(true)
	// Selected is the selected row: reversed, so it reads on any background.
	Selected = lipgloss.NewStyle().Reverse(true)
	// Dim is secondary text.
	Dim = lipgloss.NewStyle().Foreground(Muted)
	// OK is good news.
	OK = lipgloss.NewStyle().Foreground(Good)
	// Error is bad news.
	Error = lipgloss.NewStyle().Foreground(Bad).Bold(true)
	// Warning asks for attention.
	Warning = lipgloss.NewStyle().Foreground(Warn)
	// Key is a key name in hints.
	Key = lipgloss.NewStyle().Foreground(Accent).Bold(true)
	// Lit is a line whose counters moved since the last refresh.
	Lit = lipgloss.NewStyle().Foreground(Good).Bold(true)
)

// Frame is the border of a pane; FocusedFrame is the border of the pane with focus.
var (
	Frame        = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(Muted)
	FocusedFrame = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(Accent)
)

// Tab is an entry of the tab bar; ActiveTab is the focused one.
var (
	Tab       = lipgloss.NewStyle().Padding(0, 1)
	ActiveTab = lipgloss.NewStyle().Padding(0, 1).Reverse(true).Bold(true)
)

// State colours a container state word.
func State(state string) lipgloss.Style {
	switch state {
	case "running":
		return OK
	case "created", "paused":
		return Warning
	case "exited":
		return Dim
	default:
		return Error
	}
}

// InterfaceColor is the colour of the i-th interface of a capture.
func InterfaceColor(i int) color.Color {
	if i < 0 {
		i = -i
	}
	return Interface[i%len(Interface)]
}
