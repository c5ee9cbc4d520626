package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"

	"workbench/tui/pane"
)

// frameCache keeps the parts of the last frame that cost the most to draw (the framed
// panes, the key hint line), so an update that changed nothing on screen, such as the
// refresh tick, redraws nothing.
type frameCache struct {
	slots  [2]framedSlot
	hint   string
	hintOf string // the keys and width hint was drawn for
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

// keyHint returns the one-line help of ks in width cells, from the cache when it was
// last drawn for the same keys (a pane's keys change with what it shows, e.g. its logs
// view) and width.
func (c *frameCache) keyHint(h help.Model, ks []key.Binding, width int) string {
	var of strings.Builder
	fmt.Fprint(&of, width)
	for _, k := range ks {
		fmt.Fprintf(&of, "\x00%t%s\x00%s", k.Enabled(), k.Help().Key, k.Help().Desc)
	}
	if c.hint == "" || of.String() != c.hintOf {
		c.hint, c.hintOf = h.ShortHelpView(ks), of.String()
	}
	return c.hint
}
