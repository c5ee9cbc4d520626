package pane

import (
	"slices"

	tea "charm.land/bubbletea/v2"

	"workbench/tui/order"
)

// Item is one item of a list pane: its name, which the selection follows, the values
// the orders sort it by, and the text the filter looks in.
type Item struct {
	order.Row
	// Text is what the filter looks in: the columns the row shows.
	Text string
}

// List is a list pane's rows: its items in the pane's order, those the filter lets
// through, and a cursor on one of them that stays on its item when the items, the
// order or the filter change. When its item is gone, the cursor stays on its row (the
// new last row when the last one went) and selects the item there; while no row is
// shown, the selection waits for its item to come back.
type List struct {
	by     order.By
	names  []string // of the items last arranged
	rows   []int    // indexes into the items: those the filter lets through, in order
	cursor int      // index into rows
	top    int      // the first row on screen when they did not all fit
	want   string   // the name of the selected item
}

// Order is the order the rows are in.
func (l *List) Order() order.By { return l.by }

// Rows are the indexes, among the items last arranged, of those shown, in order.
func (l *List) Rows() []int { return l.rows }

// Cursor is the selected row's index in Rows (0 while none is shown).
func (l *List) Cursor() int { return l.cursor }

// At is the index of the selected item among the items last arranged; ok is false
// while no row is shown.
func (l *List) At() (item int, ok bool) {
	if l.cursor >= len(l.rows) {
		return 0, false
	}
	return l.rows[l.cursor], true
}

// Selected is the name of the selected item, "" while no row is shown.
func (l *List) Selected() string {
	if i, ok := l.At(); ok {
		return l.names[i]
	}
	return ""
}

// Start is the first row on screen when shown rows fit. The rows stay where they are
// while the cursor moves among them (a click moves none) and scroll only as far as
// keeps the cursor in sight, never leaving room under the last row.
func (l *List) Start(shown int) int {
	shown = max(shown, 1)
	l.top = min(l.top, l.cursor, max(0, len(l.rows)-shown))
	l.top = max(l.top, l.cursor-shown+1)
	return l.top
}

// arrange sorts items, lets through those whose text match says yes to, and puts the
// cursor on the selected item.
func (l *List) arrange(items []Item, match func(text string) bool) {
	l.names = make([]string, len(items))
	for i, it := range items {
		l.names[i] = it.Name
	}
	all := order.Sort(l.by, len(items), func(i int) order.Row { return items[i].Row })
	l.rows = slices.DeleteFunc(all, func(i int) bool { return !match(items[i].Text) })
	if len(l.rows) == 0 {
		l.cursor = 0
		return
	}
	l.cursor = min(l.cursor, len(l.rows)-1)
	if r, ok := l.find(l.want); ok {
		l.cursor = r
	}
	l.want = l.Selected()
}

// find is the row of the item called name.
func (l *List) find(name string) (row int, ok bool) {
	for r, i := range l.rows {
		if l.names[i] == name {
			return r, true
		}
	}
	return 0, false
}

// moveTo puts the cursor on row r and selects its item; it reports whether the cursor
// moved.
func (l *List) moveTo(r int) bool {
	if r < 0 || r >= len(l.rows) {
		return false
	}
	moved := r != l.cursor
	l.cursor, l.want = r, l.names[l.rows[r]]
	return moved
}

// arrange makes a list pane's rows again from its data.
func (b *Base[T]) arrange() {
	if b.List == nil {
		return
	}
	b.List.arrange(b.items(b.Data), b.Match)
	b.Invalidate()
}

// MoveList gives a key to a list pane's List: the shared keys move its cursor, page
// rows a page; it reports whether the key was one of them.
func (b *Base[T]) MoveList(msg tea.KeyPressMsg, page int) bool {
	r, ok := b.MoveRow(msg, b.List.cursor, len(b.List.rows), page)
	if ok && b.List.moveTo(r) {
		b.Invalidate()
	}
	return ok
}

// ClickList selects the row of a list pane drawn on line y, for a list whose header is
// line 0 and which shows shown rows.
func (b *Base[T]) ClickList(y, shown int) {
	if y >= 1 && y <= shown && b.List.moveTo(b.List.Start(shown)+y-1) {
		b.Invalidate()
	}
}

// SelectItem selects a list pane's item called name: now when its row is shown, else
// when the next data shows it, unless the cursor moves first.
func (b *Base[T]) SelectItem(name string) {
	b.List.want = name
	if r, ok := b.List.find(name); ok && b.List.moveTo(r) {
		b.Invalidate()
	}
}

// NextOrder sorts a list pane's rows in the order after theirs, and returns it.
func (b *Base[T]) NextOrder() order.By {
	b.List.by = b.List.by.Next()
	b.arrange()
	return b.List.by
}
