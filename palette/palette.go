// Package palette is the workbench's colours, for the app's styles and for the
// network views that the CLI prints too. It uses the terminal's own sixteen ANSI
// colours, which every terminal theme tunes for contrast on its background, so the
// same colours read well on dark and light terminals. Colour carries meaning (state,
// interface, rule hit), never decoration.
package palette

import (
	"image/color"
	"strings"

	"charm.land/lipgloss/v2"
)

// The colours that carry meaning.
var (
	// Good is a running container, a link that is up, a rule that matched.
	Good color.Color = lipgloss.Color("2")
	// Bad is an exited container with an error, a link that is down, a drop.
	Bad color.Color = lipgloss.Color("1")
	// Warn is a throttled CPU, a limit nearly reached, a created container, a path
	// or a counter that moved.
	Warn color.Color = lipgloss.Color("3")
	// Accent marks what has focus, and headings.
	Accent color.Color = lipgloss.Color("4")
	// Muted is secondary text.
	Muted color.Color = lipgloss.Color("8")
	// Section names a part of a long view: an iptables table.
	Section color.Color = lipgloss.Color("5")
	// Own marks what the workbench made among what others made: its iptables rules.
	Own color.Color = lipgloss.Color("6")
)

// Interface colours, in order: one per interface in the capture pane.
var Interface = []color.Color{
	lipgloss.Color("6"), lipgloss.Color("5"), lipgloss.Color("2"), lipgloss.Color("3"),
	lipgloss.Color("4"), lipgloss.Color("1"), lipgloss.Color("14"), lipgloss.Color("13"),
}

// InterfaceColor is the colour of the i-th interface of a capture.
func InterfaceColor(i int) color.Color {
	if i < 0 {
		i = -i
	}
	return Interface[i%len(Interface)]
}

// Paint is a style reduced to the escape sequences around a piece of text, so that a
// view of thousands of lines paints each with two concatenations.
type Paint struct{ Pre, Post string }

// NewPaint reduces a style to its escape sequences.
func NewPaint(st lipgloss.Style) Paint {
	pre, post, _ := strings.Cut(st.Render("\x00"), "\x00")
	return Paint{pre, post}
}

// Text paints s.
func (p Paint) Text(s string) string { return p.Pre + s + p.Post }
