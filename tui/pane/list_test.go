package pane_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"workbench/tui/order"
	"workbench/tui/pane"
	"workbench/tui/panetest"
)

// names is the smallest list pane on the skeleton: a row a name under a header line,
// > on the selected one; a name's CPU is its length, and o sorts in the next order.
type names struct {
	pane.Base[[]string]
	source []string
}

func newNames(height int, source ...string) *names {
	p := &names{source: source}
	p.Base = pane.NewList("names", nil, func(context.Context) ([]string, error) { return p.source, nil }, func(ns []string) []pane.Item {
		out := make([]pane.Item, len(ns))
		for i, n := range ns {
			out[i] = pane.Item{Row: order.Row{Name: n, CPU: float64(len(n))}, Text: n}
		}
		return out
	})
	return panetest.Load(p, 20, height)
}

func (p *names) Update(msg tea.Msg) tea.Cmd {
	if took, cmd := p.Handle(msg, nil); took {
		return cmd
	}
	switch msg := msg.(type) {
	case pane.ClickMsg:
		p.ClickList(msg.Y, p.Height-1)
	case pane.SelectMsg:
		p.SelectItem(msg.Container)
	case tea.KeyPressMsg:
		if !p.MoveList(msg, 2) && msg.String() == "o" {
			p.NextOrder()
		}
	}
	return nil
}

func (p *names) View() string {
	return p.Draw(func() string {
		lines := []string{"NAME"}
		rows := p.List.Rows()
		start := p.List.Start(p.Height - 1)
		for r := start; r < len(rows) && r < start+p.Height-1; r++ {
			mark := " "
			if r == p.List.Cursor() {
				mark = ">"
			}
			lines = append(lines, mark+p.Data[rows[r]])
		}
		return strings.Join(lines, "\n")
	})
}

// load gives the pane a load of these names.
func (p *names) load(ns ...string) {
	p.source = ns
	panetest.Run(p, p.Reload())
}

// shown is the rows the pane draws, the selected one marked.
func (p *names) shown() string {
	var rows []string
	for _, l := range strings.Split(p.View(), "\n")[1:] {
		if l = strings.TrimRight(l, " "); strings.HasPrefix(l, " ") || strings.HasPrefix(l, ">") {
			rows = append(rows, l)
		}
	}
	return strings.Join(rows, " ")
}

// TestListSortsFiltersAndKeepsTheSelectionOnItsItem: the rows are in natural order,
// then by CPU, narrowed by the filter; the selection stays on its item while rows come
// before it, the order changes or the filter keeps it.
func TestListSortsFiltersAndKeepsTheSelectionOnItsItem(t *testing.T) {
	p := newNames(10, "b", "a10", "a2", "c")
	if got := p.shown(); got != ">a2  a10  b  c" {
		t.Errorf("the first load shows %q, want the natural order and the first row selected", got)
	}
	panetest.Press(p, "j", "j")
	p.load("b", "a10", "a2", "c", "a1")
	if got := p.shown(); got != " a1  a2  a10 >b  c" {
		t.Errorf("a row before the selected one: %q, want b selected still", got)
	}
	p.Update(panetest.Key("o"))
	if got := p.shown(); got != " a10  a1  a2 >b  c" {
		t.Errorf("by CPU: %q, want the longest first and b selected still", got)
	}
	panetest.Filter(t, p, "b")
	if got := p.shown(); got != ">b" || p.List.Selected() != "b" {
		t.Errorf("the filter b shows %q, %q selected", got, p.List.Selected())
	}
	panetest.Press(p, "esc")
	if got := p.shown(); got != " a10  a1  a2 >b  c" {
		t.Errorf("without the filter: %q, want b selected still", got)
	}
}

// TestListSelectsTheRowOfAnItemGone: when the selected item goes, by a load or the
// filter, the cursor stays on its row (the new last one when the last went) and
// selects the item there; while no row is shown the selection waits for its item.
func TestListSelectsTheRowOfAnItemGone(t *testing.T) {
	all := []string{"a1", "b1", "c2", "d2", "e2"}
	for _, c := range []struct {
		name string
		keys []string
		then func(t *testing.T, p *names)
		want string
	}{
		{"a load takes the selected item", []string{"j", "j"}, func(t *testing.T, p *names) { p.load("a1", "b1", "d2", "e2") }, " a1  b1 >d2  e2"},
		{"a load takes the last item", []string{"G"}, func(t *testing.T, p *names) { p.load("a1", "b1", "c2", "d2") }, " a1  b1  c2 >d2"},
		{"the filter hides the selected item", []string{"j"}, func(t *testing.T, p *names) { panetest.Filter(t, p, "2") }, " c2 >d2  e2"},
		{"the filter hides the last rows", []string{"j", "j"}, func(t *testing.T, p *names) { panetest.Filter(t, p, "1") }, " a1 >b1"},
		{"a load takes every item, the next brings them back", []string{"j"}, func(t *testing.T, p *names) {
			p.load()
			if got := p.List.Selected(); got != "" {
				t.Errorf("%q selected in an empty list", got)
			}
			p.load(all...)
		}, " a1 >b1  c2  d2  e2"},
		{"the filter hides every item, esc clears it", []string{"j"}, func(t *testing.T, p *names) {
			panetest.Filter(t, p, "x")
			panetest.Press(p, "esc")
		}, " a1 >b1  c2  d2  e2"},
	} {
		p := newNames(10, all...)
		panetest.Press(p, c.keys...)
		c.then(t, p)
		if got := p.shown(); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

// TestListClickAndSelect: a click selects the row drawn under it, in a list scrolled
// to keep its cursor on the last line, and nothing on the header or under the last
// row; SelectItem selects an item shown at once, and one not yet loaded when a load
// brings it.
func TestListClickAndSelect(t *testing.T) {
	var ns []string
	for i := range 10 {
		ns = append(ns, fmt.Sprintf("n%d", i))
	}
	p := newNames(4, ns...) // three rows under the header
	for _, c := range []struct {
		keys string
		y    int
		want string
	}{
		{"", 3, "n2"}, {"", 0, "n2"}, {"", 4, "n2"},
		{"G", 2, "n8"}, // n7 n8 n9 shown, and still after the click
		{"", 1, "n7"}, {"", 0, "n7"},
	} {
		if c.keys != "" {
			panetest.Press(p, c.keys)
		}
		p.Update(pane.ClickMsg{X: 1, Y: c.y})
		if got := p.List.Selected(); got != c.want {
			t.Errorf("a click on line %d selected %q, want %q", c.y, got, c.want)
		}
	}
	short := newNames(10, "a", "b")
	short.Update(pane.ClickMsg{X: 1, Y: 3})
	if got := short.List.Selected(); got != "a" {
		t.Errorf("a click under the last row selected %q, want a still", got)
	}
	short.Update(pane.SelectMsg{Container: "b"})
	if got := short.shown(); got != " a >b" {
		t.Errorf("selecting b shows %q", got)
	}
	short.Update(pane.SelectMsg{Container: "c"})
	short.load("a", "b", "c")
	if got := short.shown(); got != " a  b >c" {
		t.Errorf("selecting c before it was loaded, then loading it, shows %q", got)
	}
}

// TestListScrollsOnlyToKeepTheCursorInSight: the rows on screen stay while the cursor
// moves among them, scroll by one when it leaves them, and fill the screen again when
// rows go.
func TestListScrollsOnlyToKeepTheCursorInSight(t *testing.T) {
	p := newNames(4, "n0", "n1", "n2", "n3", "n4", "n5", "n6", "n7", "n8", "n9") // three rows
	for _, c := range []struct{ keys, want string }{
		{"G", " n7  n8 >n9"},
		{"k", " n7 >n8  n9"},
		{"k", ">n7  n8  n9"},
		{"k", ">n6  n7  n8"},
		{"j", " n6 >n7  n8"},
	} {
		panetest.Press(p, c.keys)
		if got := p.shown(); got != c.want {
			t.Errorf("after %s the rows are %q, want %q", c.keys, got, c.want)
		}
	}
	p.load("n0", "n1", "n2", "n7", "n8")
	if got := p.shown(); got != " n2 >n7  n8" {
		t.Errorf("once rows went the rows are %q, want  n2 >n7  n8", got)
	}
}
