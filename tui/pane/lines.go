package pane

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
)

// ScrollKeys are the keys that scroll a pane's picture.
type ScrollKeys struct {
	Up, Down, PageUp, PageDown, Top key.Binding
}

// DefaultScrollKeys are the scroll keys of every pane that scrolls.
func DefaultScrollKeys() ScrollKeys {
	return ScrollKeys{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "b"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "f", "space"), key.WithHelp("pgdn", "page down")),
		Top:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g", "top")),
	}
}

// Bindings lists the keys for a help column.
func (k ScrollKeys) Bindings() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Top}
}

// Lines is a picture that scrolls under a pane's head line: a bubbles viewport, driven
// by the scroll keys, keeps its position. Only the lines on screen are cut to the
// pane's width, with an ellipsis where a line goes on.
type Lines struct {
	keys  ScrollKeys
	vp    viewport.Model
	lines []string
}

// NewLines returns an empty picture.
func NewLines() Lines {
	k := DefaultScrollKeys()
	vp := viewport.New()
	vp.MouseWheelEnabled = false
	vp.KeyMap = viewport.KeyMap{Up: k.Up, Down: k.Down, PageUp: k.PageUp, PageDown: k.PageDown}
	return Lines{keys: k, vp: vp}
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
}

// Scroll moves the picture with a scroll key and says whether the key was one.
func (l *Lines) Scroll(msg tea.KeyPressMsg) bool {
	if key.Matches(msg, l.keys.Top) {
		l.vp.GotoTop()
		return true
	}
	for _, k := range []key.Binding{l.keys.Up, l.keys.Down, l.keys.PageUp, l.keys.PageDown} {
		if key.Matches(msg, k) {
			l.vp, _ = l.vp.Update(msg)
			return true
		}
	}
	return false
}

// GotoTop shows the picture from its first line.
func (l *Lines) GotoTop() { l.vp.GotoTop() }

// View returns the lines on screen, for the pane's Fit to cut.
func (l *Lines) View() string {
	top := min(l.vp.YOffset(), len(l.lines))
	return strings.Join(l.lines[top:min(len(l.lines), top+l.vp.Height())], "\n")
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
