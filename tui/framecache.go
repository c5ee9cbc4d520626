package tui

import (
	"charm.land/lipgloss/v2"

	"workbench/tui/pane"
)

// frameCache keeps the parts of the last frame that cost the most to draw (the framed
// panes, the key hint line), so an update that changed nothing on screen, such as the
// refresh tick, redraws nothing.
type frameCache struct {
	slots     [2]framedSlot
	hint      string
	hintFocus int
	hintWidth int
}

// framedSlot is one pane drawn in its frame, with what it was drawn from.
type framedSlot struct {
	view  string
	style lipgloss.Style
	at    area
	out   string
}

// framed returns view fitted into a and drawn in frame, from the cache when slot i
// was last drawn from the same view, frame and area.
func (c *frameCache) framed(i int, view string, frame lipgloss.Style, a area) string {
	if i >= len(c.slots) {
		return frame.Render(pane.Fit(view, a.w, a.h))
	}
	s := &c.slots[i]
	if s.out != "" && s.at == a && s.view == view && s.style.GetBorderTopForeground() == frame.GetBorderTopForeground() {
		return s.out
	}
	*s = framedSlot{view: view, style: frame, at: a, out: frame.Render(pane.Fit(view, a.w, a.h))}
	return s.out
}
