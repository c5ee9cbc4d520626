package pane

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"workbench/tui/keys"
	"workbench/tui/styles"
)

// Lines is a picture that scrolls under a pane's head line: a bubbles viewport, driven
// by the shared moving keys, keeps its position. Lines the filter matches are marked,
// and the next-match keys scroll to them. Only the lines on screen are cut to the
// pane's width, with an ellipsis where a line goes on.
type Lines struct {
	nav     keys.Nav
	vp      viewport.Model
	lines   []string
	match   func(string) bool
	matches []int // indexes of the lines match says yes to
	current int   // the line the last jump went to, -1 none
}

// NewLines returns an empty picture.
func NewLines() Lines {
	k := keys.DefaultNav()
	vp := viewport.New()
	vp.MouseWheelEnabled = false
	vp.KeyMap = viewport.KeyMap{Up: k.Up, Down: k.Down, PageUp: k.PageUp, PageDown: k.PageDown}
	return Lines{nav: k, vp: vp, current: -1}
}

// SetSize gives the picture its size.
func (l *Lines) SetSize(width, height int) {
	l.vp.SetWidth(max(0, width))
	l.vp.SetHeight(max(0, height))
}

// SetContent replaces the picture, keeping the scroll position where it still fits.
func (l *Lines) SetContent(text string) {
	l.lines = strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	l.vp.SetContentLines(l.lines)
	l.mark()
}

// Mark marks the lines match says yes to (nil: none) and shows the first at or under
// the top of the screen.
func (l *Lines) Mark(match func(string) bool) {
	l.match, l.current = match, -1
	l.mark()
	if len(l.matches) > 0 {
		l.Jump(1)
	}
}

func (l *Lines) mark() {
	l.matches = l.matches[:0]
	if l.match == nil {
		return
	}
	for i, s := range l.lines {
		if l.match(s) {
			l.matches = append(l.matches, i)
		}
	}
}

// Jump scrolls to the next (step 1) or previous (step -1) marked line, going round
// the end; it says whether there was one.
func (l *Lines) Jump(step int) bool {
	if len(l.matches) == 0 {
		return false
	}
	at := l.current
	if at < 0 {
		at = l.vp.YOffset() - 1
		if step < 0 {
			at = l.vp.YOffset() + l.vp.Height()
		}
	}
	next := l.matches[0]
	if step < 0 {
		next = l.matches[len(l.matches)-1]
	}
	for k := range l.matches {
		i := l.matches[k]
		if step < 0 {
			i = l.matches[len(l.matches)-1-k]
		}
		if step > 0 && i > at || step < 0 && i < at {
			next = i
			break
		}
	}
	l.current = next
	if next < l.vp.YOffset() || next >= l.vp.YOffset()+l.vp.Height() {
		l.vp.SetYOffset(next - l.vp.Height()/3)
	}
	return true
}

// Scroll moves the picture with a moving key and says whether the key was one.
func (l *Lines) Scroll(msg tea.KeyPressMsg) bool {
	switch {
	case key.Matches(msg, l.nav.Top):
		l.vp.GotoTop()
		return true
	case key.Matches(msg, l.nav.Bottom):
		l.vp.GotoBottom()
		return true
	}
	for _, k := range []key.Binding{l.nav.Up, l.nav.Down, l.nav.PageUp, l.nav.PageDown} {
		if key.Matches(msg, k) {
			l.vp, _ = l.vp.Update(msg)
			return true
		}
	}
	return false
}

// GotoTop shows the picture from its first line.
func (l *Lines) GotoTop() { l.vp.GotoTop() }

// GotoBottom shows the picture's last lines.
func (l *Lines) GotoBottom() { l.vp.GotoBottom() }

// AtBottom says whether the last line is on screen.
func (l *Lines) AtBottom() bool { return l.vp.AtBottom() }

// View returns the lines on screen, for the pane's Fit to cut; marked lines are drawn
// in the match colour, the one jumped to reversed.
func (l *Lines) View() string {
	top := min(l.vp.YOffset(), len(l.lines))
	end := min(len(l.lines), top+l.vp.Height())
	out := make([]string, 0, end-top)
	m := 0
	for m < len(l.matches) && l.matches[m] < top {
		m++
	}
	for i := top; i < end; i++ {
		s := l.lines[i]
		if m < len(l.matches) && l.matches[m] == i {
			m++
			plain := ansi.Strip(s)
			if i == l.current {
				s = styles.Selected.Render(plain)
			} else {
				s = styles.Match.Render(plain)
			}
		}
		out = append(out, s)
	}
	return strings.Join(out, "\n")
}

// ShowLine scrolls the least that puts line i on screen.
func (l *Lines) ShowLine(i int) {
	top, h := l.vp.YOffset(), l.vp.Height()
	switch {
	case i < top:
		l.vp.SetYOffset(i)
	case h > 0 && i >= top+h:
		l.vp.SetYOffset(i - h + 1)
	}
}
