package pane_test

import (
	"context"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"workbench/testutil/golden"
	"workbench/tui/pane"
	"workbench/tui/panetest"
)

// list is the smallest pane on the skeleton: lines of text it filters.
type list struct {
	pane.Base[[]string]
	changed int
}

func newList(lines ...string) *list {
	l := &list{}
	l.Base = pane.NewBase("list", nil, func(context.Context) ([]string, error) { return lines, nil })
	l.OnFilter(func() { l.changed++ })
	return l
}

func (l *list) Update(msg tea.Msg) tea.Cmd {
	l.Take(msg)
	_, cmd := l.Shared(msg)
	return cmd
}

func (l *list) View() string {
	return l.Draw(func() string {
		var out []string
		for _, s := range l.Data {
			if l.Match(s) {
				out = append(out, s)
			}
		}
		return strings.Join(out, "\n")
	})
}

func TestFilterIsTypedKeptAndCleared(t *testing.T) {
	l := newList("alpha", "Beta", "gamma")
	panetest.Load(l, 20, 5)
	if v := panetest.Filter(t, l, "bet"); l.Filter() != "bet" || strings.Contains(v, "alpha") || !strings.Contains(v, "Beta") || !strings.Contains(v, "/bet") {
		t.Errorf("after /bet enter (filter %q):\n%s", l.Filter(), v)
	}
	if l.changed != 3 {
		t.Errorf("OnFilter ran %d times for three letters", l.changed)
	}
	panetest.Press(l, "esc")
	if v := golden.Plain(l.View()); l.Filter() != "" || !strings.Contains(v, "alpha") || strings.Contains(v, "/") {
		t.Errorf("esc did not clear the filter:\n%s", v)
	}
	panetest.Press(l, "/")
	panetest.Type(l, "x")
	panetest.Press(l, "esc")
	if l.Typing() || l.Filter() != "" {
		t.Errorf("esc while typing left typing %v, filter %q", l.Typing(), l.Filter())
	}
}

func TestQuestionRunsOnlyOnY(t *testing.T) {
	l := newList("alpha")
	panetest.Load(l, 30, 5)
	ran := 0
	then := func() tea.Msg { ran++; return nil }
	for _, answer := range []string{"n", "esc", "x", "y"} {
		l.Ask("drop alpha?", then)
		l.Invalidate()
		if v := golden.Plain(l.View()); !strings.Contains(v, "drop alpha? y/N") || !l.Typing() {
			t.Fatalf("the question is not shown, or does not take the keys:\n%s", v)
		}
		if cmd := l.Update(panetest.Key(answer)); cmd != nil {
			cmd()
		}
		if l.Asking() != "" {
			t.Errorf("%s left the question open", answer)
		}
	}
	if ran != 1 {
		t.Errorf("the work ran %d times for n, esc, x and y, want once", ran)
	}
}

func TestJumpGoesRoundTheEnd(t *testing.T) {
	even := func(i int) bool { return i%2 == 0 }
	for _, c := range []struct{ n, at, step, want int }{
		{6, 0, 1, 2}, {6, 4, 1, 0}, {6, 0, -1, 4}, {6, 3, -1, 2},
	} {
		if got, ok := pane.Jump(c.n, c.at, c.step, even); !ok || got != c.want {
			t.Errorf("Jump(%d, %d, %d) = %d, %v, want %d", c.n, c.at, c.step, got, ok, c.want)
		}
	}
	if _, ok := pane.Jump(3, 0, 1, func(int) bool { return false }); ok {
		t.Error("Jump found a match where there is none")
	}
}

func TestLinesMarkAndJump(t *testing.T) {
	l := pane.NewLines()
	l.SetSize(20, 3)
	var text []string
	for i := 0; i < 20; i++ {
		text = append(text, strings.Repeat("x", i%5)+"line")
	}
	text[12] = "match one"
	text[17] = "match two"
	l.SetContent(strings.Join(text, "\n"))
	l.Mark(func(s string) bool { return strings.Contains(s, "match") })
	if !strings.Contains(golden.Plain(l.View()), "match one") {
		t.Fatalf("Mark did not show the first match:\n%s", golden.Plain(l.View()))
	}
	l.Jump(1)
	if !strings.Contains(golden.Plain(l.View()), "match two") {
		t.Errorf("n did not go to the second match:\n%s", golden.Plain(l.View()))
	}
	l.Jump(1)
	if !strings.Contains(golden.Plain(l.View()), "match one") {
		t.Errorf("n after the last match did not go round to the first:\n%s", golden.Plain(l.View()))
	}
}
