package pane_test

import (
	"testing"

	"workbench/tui/pane"
	"workbench/tui/panetest"
)

// TestMoveRowKeepsTheSelectionInTheList: the moving keys go by a row, a page, to the
// ends, never out of the list; n and N go round the end while a filter is typed.
func TestMoveRowKeepsTheSelectionInTheList(t *testing.T) {
	b := pane.NewBase[struct{}]("rows", nil, nil)
	move := func(key string, at, n int) (int, bool) {
		return b.MoveRow(panetest.Key(key), at, n, 3)
	}
	for _, c := range []struct {
		key       string
		at, n     int
		want      int
		wantTaken bool
	}{
		{"down", 2, 10, 3, true}, {"j", 9, 10, 9, true}, {"up", 0, 10, 0, true},
		{"pgdown", 2, 10, 5, true}, {"pgdown", 8, 10, 9, true}, {"pgup", 1, 10, 0, true},
		{"G", 2, 10, 9, true}, {"home", 7, 10, 0, true}, {"down", 0, 0, 0, true},
		{"n", 9, 10, 9, false}, {"x", 4, 10, 4, false},
	} {
		if got, taken := move(c.key, c.at, c.n); got != c.want || taken != c.wantTaken {
			t.Errorf("%s from row %d of %d: row %d, taken %v; want row %d, taken %v", c.key, c.at, c.n, got, taken, c.want, c.wantTaken)
		}
	}
	for _, k := range []string{"/", "w", "enter"} {
		b.Shared(panetest.Key(k))
	}
	for _, c := range []struct {
		key   string
		at, n int
		want  int
	}{
		{"n", 3, 10, 4}, {"n", 9, 10, 0}, {"N", 0, 10, 9}, {"N", 5, 10, 4}, {"n", 0, 0, 0},
	} {
		if got, taken := move(c.key, c.at, c.n); got != c.want || !taken {
			t.Errorf("%s with a filter from row %d of %d: row %d, taken %v; want row %d", c.key, c.at, c.n, got, taken, c.want)
		}
	}
}
