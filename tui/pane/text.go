package pane

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Fit cuts or pads text (which may hold colour codes) to exactly width x height cells,
// so a pane never pushes the layout around.
func Fit(text string, width, height int) string {
	if width <= 0 || height <= 0 {
		return ""
	}
	lines := strings.Split(text, "\n")
	if len(lines) > height {
		lines = lines[:height]
	}
	var b strings.Builder
	b.Grow((width + 1) * height)
	for i := 0; i < height; i++ {
		if i > 0 {
			b.WriteByte('\n')
		}
		line := ""
		if i < len(lines) {
			line = lines[i]
		}
		w := ansi.StringWidth(line)
		if w > width {
			line = ansi.Truncate(line, width, "…")
			w = ansi.StringWidth(line)
		}
		b.WriteString(line)
		if w < width {
			b.WriteString(strings.Repeat(" ", width-w))
		}
	}
	return b.String()
}

// Cell cuts or pads plain text to exactly width cells (a table cell).
func Cell(text string, width int) string {
	if width <= 0 {
		return ""
	}
	w := ansi.StringWidth(text)
	if w > width {
		return ansi.Truncate(text, width, "…")
	}
	return text + strings.Repeat(" ", width-w)
}

// Beside puts two blocks of the same height side by side.
func Beside(left, right, sep string) string {
	l := strings.Split(left, "\n")
	r := strings.Split(right, "\n")
	var b strings.Builder
	for i := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(l[i])
		b.WriteString(sep)
		if i < len(r) {
			b.WriteString(r[i])
		}
	}
	return b.String()
}
