// Package styles is the app's one theme: the text styles, frames and tabs the panes
// share, made of the palette's colours.
package styles

import (
	"charm.land/lipgloss/v2"

	"workbench/palette"
)

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
	Dim = lipgloss.NewStyle().Foreground(palette.Muted)
	// OK is good news.
	OK = lipgloss.NewStyle().Foreground(palette.Good)
	// Error is bad news.
	Error = lipgloss.NewStyle().Foreground(palette.Bad).Bold(true)
	// Warning asks for attention.
	Warning = lipgloss.NewStyle().Foreground(palette.Warn)
	// Key is a key name in hints.
	Key = lipgloss.NewStyle().Foreground(palette.Accent).Bold(true)
	// Match is a line or row the filter matches.
	Match = lipgloss.NewStyle().Foreground(palette.Accent).Underline(true)
	// Lit is a line whose counters moved since the last refresh.
	Lit = lipgloss.NewStyle().Foreground(palette.Good).Bold(true)
)

// Frame is the border of a pane; FocusedFrame is the border of the pane with focus.
var (
	Frame        = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(palette.Muted)
	FocusedFrame = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(palette.Accent)
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
