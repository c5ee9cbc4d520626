package topology

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"workbench/palette"
)

// columnWidth is the room one namespace block wants before blocks go side by side.
const columnWidth = 100

// columns is how many blocks go side by side at this width.
func columns(width, blocks int) int {
	return max(1, min(width/columnWidth, blocks))
}

var paints = map[rowStyle]palette.Paint{
	headerRow: palette.NewPaint(lipgloss.NewStyle().Bold(true).Foreground(palette.Accent)),
	pathRow:   palette.NewPaint(lipgloss.NewStyle().Bold(true).Foreground(palette.Warn)),
	downRow:   palette.NewPaint(lipgloss.NewStyle().Foreground(palette.Bad)),
}

// layout puts blocks in cols columns, each block in the column that is shortest so far,
// with a blank row between blocks, and cuts each row to its column's width.
func layout(blocks [][]row, cols, colWidth int, o Options) string {
	stacks := make([][]row, cols)
	for _, b := range blocks {
		k := 0
		for i := range stacks {
			if len(stacks[i]) < len(stacks[k]) {
				k = i
			}
		}
		if len(stacks[k]) > 0 {
			stacks[k] = append(stacks[k], row{})
		}
		stacks[k] = append(stacks[k], b...)
	}
	height := 0
	for _, s := range stacks {
		height = max(height, len(s))
	}
	gutter := o.Highlight != "" || len(o.Marked) > 0
	if gutter {
		colWidth -= 2
	}
	var b strings.Builder
	for y := 0; y < height; y++ {
		var line strings.Builder
		for x, s := range stacks {
			if x > 0 {
				line.WriteString("   ")
			}
			var r row
			if y < len(s) {
				r = s[y]
			}
			if gutter {
				if r.path {
					line.WriteString("▶ ")
				} else {
					line.WriteString("  ")
				}
			}
			text := cut(r.text, colWidth)
			pad := 0
			if x < len(stacks)-1 {
				pad = colWidth - ansi.StringWidth(text)
			}
			style := r.style
			if r.path {
				style = pathRow
			}
			if p, ok := paints[style]; ok && o.Color && text != "" {
				text = p.Text(text)
			}
			line.WriteString(text)
			line.WriteString(strings.Repeat(" ", max(0, pad)))
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		b.WriteByte('\n')
	}
	return b.String()
}

// cut shortens s to width columns, ending it with "…" when something was cut.
func cut(s string, width int) string {
	if ansi.StringWidth(s) <= width {
		return s
	}
	return ansi.Truncate(s, width, "…")
}
