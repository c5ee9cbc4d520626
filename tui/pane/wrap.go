package pane

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Wrap breaks text into lines of at most width cells between words only, so that a
// flag, a path or a command stays whole and can be copied; a word wider than width is
// cut into pieces. Line breaks in text stay.
func Wrap(text string, width int) string {
	if width <= 0 {
		return text
	}
	var out []string
	for _, para := range strings.Split(text, "\n") {
		line, lineW := "", 0
		for _, word := range strings.Fields(para) {
			ww := ansi.StringWidth(word)
			if line != "" && lineW+1+ww > width {
				out = append(out, line)
				line, lineW = "", 0
			}
			for ww > width && line == "" {
				out = append(out, ansi.Truncate(word, width, ""))
				word = ansi.TruncateLeft(word, width, "")
				ww = ansi.StringWidth(word)
			}
			if line != "" {
				line += " "
				lineW++
			}
			line += word
			lineW += ww
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}
