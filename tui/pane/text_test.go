package pane

import (
	"context"
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// text is the smallest text pane on the skeleton: numbered lines, as wide as the pane,
// under a head line.
type text struct {
	Base[int]
	draws int
}

func newText(n int) *text {
	t := &text{Base: NewText("text", nil, func(context.Context) (int, error) { return n, nil })}
	t.OnWidth(t.draw)
	return t
}

func (t *text) draw() {
	t.draws++
	var b strings.Builder
	for i := range t.Data {
		fmt.Fprintf(&b, "line %d %s\n", i, strings.Repeat("-", max(0, t.Width-10)))
	}
	t.Lines.SetContent(b.String())
	t.Invalidate()
}

func (t *text) Update(msg tea.Msg) tea.Cmd {
	if took, cmd := t.Handle(msg, t.draw); took {
		return cmd
	}
	if k, ok := msg.(tea.KeyPressMsg); ok {
		t.MoveLines(k)
	}
	return nil
}

func (t *text) View() string {
	return t.Draw(func() string { return "head\n" + t.Lines.View() })
}

// press gives the pane each key in turn: enter, or a character.
func (t *text) press(keys ...string) {
	for _, k := range keys {
		msg := tea.KeyPressMsg{Code: tea.KeyEnter}
		if k != "enter" {
			msg = tea.KeyPressMsg{Code: rune(k[0]), Text: k}
		}
		t.Update(msg)
	}
}

// load gives the pane one load of its source.
func (t *text) load() { t.Update(t.Reload()()) }

// TestTextPaneScrollsMarksAndRedraws: a text pane's lines take the room under its head
// line and above the filter, the filter marks them and n jumps to the next, the
// moving keys scroll; the picture is drawn again for fresh data and a new width only.
func TestTextPaneScrollsMarksAndRedraws(t *testing.T) {
	p := newText(30)
	p.SetSize(20, 6)
	p.load()
	if p.draws != 2 {
		t.Errorf("sizing and one load drew the picture %d times, want 2", p.draws)
	}
	// first is the first line under the head.
	first := func() string { return strings.Split(p.View(), "\n")[1] }
	if v := p.View(); !strings.HasPrefix(first(), "line 0 ") || !strings.Contains(v, "line 4 ") || strings.Contains(v, "line 5") {
		t.Errorf("the lines do not take the five lines under the head:\n%s", v)
	}
	p.load()
	p.SetSize(20, 8)
	if p.draws != 2 {
		t.Errorf("the same data and a new height drew the picture again (%d draws)", p.draws)
	}
	p.SetSize(30, 6)
	if p.draws != 3 || !strings.Contains(p.View(), "line 0 "+strings.Repeat("-", 20)) {
		t.Errorf("a new width did not draw the picture again at it (%d draws):\n%s", p.draws, p.View())
	}
	p.press("j", "j")
	if v := p.View(); !strings.HasPrefix(first(), "line 2 ") {
		t.Errorf("two lines down:\n%s", v)
	}
	p.press("/", "1", "7", "enter")
	v := p.View()
	if lines := strings.Split(v, "\n"); len(lines) != 6 || !strings.Contains(lines[5], "/17") {
		t.Errorf("the filter does not take the last line:\n%s", v)
	}
	if !strings.Contains(v, "line 17") {
		t.Errorf("the filter did not show its first match:\n%s", v)
	}
	// Line 17 sits on the line the filter takes: n scrolls it up into sight.
	p.press("g")
	for range 13 {
		p.press("j")
	}
	p.press("n")
	if v := p.View(); !strings.Contains(v, "line 17") {
		t.Errorf("n did not show the match behind the filter's line:\n%s", v)
	}
}
