package cgview

import (
	"fmt"
	"strings"

	"github.com/docker/go-units"
)

// sparkRunes are the eight bar heights of a one-line sparkline, lowest first.
var sparkRunes = []rune("▁▂▃▄▅▆▇█")

// Sparkline draws the last width values as one line of bars scaled to top (values at
// or above top are a full bar). It is right-aligned: missing history is blank.
func Sparkline(values []float64, width int, top float64) string {
	if width <= 0 {
		return ""
	}
	if len(values) > width {
		values = values[len(values)-width:]
	}
	var b strings.Builder
	b.WriteString(strings.Repeat(" ", width-len(values)))
	for _, v := range values {
		b.WriteRune(sparkRunes[level(v, top, len(sparkRunes))])
	}
	return b.String()
}

// level maps v in [0, top] to 0..n-1.
func level(v, top float64, n int) int {
	if top <= 0 || v <= 0 || v != v {
		return 0
	}
	i := int(v / top * float64(n))
	if i >= n {
		i = n - 1
	}
	return i
}

// CPUValues extracts CPU % of one core from points.
func CPUValues(points []Point) []float64 {
	out := make([]float64, len(points))
	for i, p := range points {
		out[i] = p.CPUPercent
	}
	return out
}

// CPUScale is the top of a CPU chart: the quota with headroom, or the busiest point,
// or one core, whichever is largest (in % of one core).
func CPUScale(values []float64, quotaPct float64) float64 {
	top := 100.0
	if quotaPct > 0 && quotaPct*1.25 > top {
		top = quotaPct * 1.25
	}
	for _, v := range values {
		if v > top {
			top = v
		}
	}
	return top
}

// CPUChart draws CPU % of one core as height rows of width columns, top row first:
// bars of █ (with a partial block on top), and the quota (quotaPct, 0 = none) as a
// line of ─ across the row it falls in wherever no bar reaches it, so a throttled
// loop shows as bars flattened under the line.
func CPUChart(values []float64, width, height int, quotaPct float64) []string {
	if width <= 0 || height <= 0 {
		return nil
	}
	if len(values) > width {
		values = values[len(values)-width:]
	}
	top := CPUScale(values, quotaPct)
	quotaRow := -1
	if quotaPct > 0 {
		// Row counted from the bottom, 0-based, that holds the quota level.
		quotaRow = int(quotaPct / top * float64(height))
		if quotaRow >= height {
			quotaRow = height - 1
		}
	}
	rows := make([]string, height)
	pad := width - len(values)
	for r := 0; r < height; r++ {
		fromBottom := height - 1 - r
		var b strings.Builder
		for c := 0; c < width; c++ {
			ch := ' '
			if c >= pad {
				ch = barCell(values[c-pad], top, height, fromBottom)
			}
			if ch == ' ' && fromBottom == quotaRow {
				ch = '─'
			}
			b.WriteRune(ch)
		}
		rows[r] = b.String()
	}
	return rows
}

// barCell is the rune of one cell of a bar of value v in row fromBottom.
func barCell(v, top float64, height, fromBottom int) rune {
	if top <= 0 || v <= 0 {
		return ' '
	}
	eighths := int(v / top * float64(height*8))
	if eighths > height*8 {
		eighths = height * 8
	}
	full := eighths / 8
	switch {
	case fromBottom < full:
		return '█'
	case fromBottom == full && eighths%8 > 0:
		return sparkRunes[eighths%8-1]
	}
	return ' '
}

// MemoryBar draws memory use against its limit in width cells, followed by the
// figures: "[█████░░░░░] 12MiB / 64MiB (19%)". With no limit the bar is empty and
// says so.
func MemoryBar(usage, limit uint64, width int) string {
	if width < 2 {
		width = 2
	}
	inner := width - 2
	if limit == 0 {
		return "[" + strings.Repeat("░", inner) + "] " + units.BytesSize(float64(usage)) + " / no limit"
	}
	frac := float64(usage) / float64(limit)
	if frac > 1 {
		frac = 1
	}
	n := int(frac*float64(inner) + 0.5)
	return fmt.Sprintf("[%s%s] %s / %s (%.0f%%)", strings.Repeat("█", n), strings.Repeat("░", inner-n),
		units.BytesSize(float64(usage)), units.BytesSize(float64(limit)), 100*float64(usage)/float64(limit))
}
