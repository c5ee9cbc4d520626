package pane

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"workbench/tui/keys"
	"workbench/tui/styles"
)

// shared is what every pane has the same way: the filter typed after /, and a yes/no
// question before a destructive key acts.
type shared struct {
	nav      keys.Nav
	filter   textinput.Model
	onFilter func()
	question string
	then     tea.Cmd
}

func newShared() shared {
	return shared{nav: keys.DefaultNav(), filter: NewInput("/", "type to filter; enter keeps it, esc clears it")}
}

// Nav is the keys every pane reads the same way.
func (s *shared) Nav() keys.Nav { return s.nav }

// OnFilter gives the function that runs after the filter changed (the pane narrows
// its rows or marks its lines again).
func (s *shared) OnFilter(f func()) { s.onFilter = f }

// Filter is the filter's text ("" without one).
func (s *shared) Filter() string { return s.filter.Value() }

// Match says whether text (which may hold colour codes) holds the filter, in any
// case; everything matches an empty filter.
func (s *shared) Match(text string) bool {
	f := s.Filter()
	return f == "" || strings.Contains(strings.ToLower(ansi.Strip(text)), strings.ToLower(f))
}

// Typing reports whether the filter or a question has the keyboard, so keys go to the
// pane first.
func (s *shared) Typing() bool { return s.filter.Focused() || s.question != "" }

// Ask puts question on the pane's last line; y then starts then, any other key
// forgets it.
func (s *shared) Ask(question string, then tea.Cmd) {
	s.question, s.then = question, then
}

// Asking is the open question, or "".
func (s *shared) Asking() string { return s.question }

// MatchStep is 1 for the next-match key, -1 for the previous-match key, 0 for any
// other key or while there is no filter.
func (s *shared) MatchStep(msg tea.Msg) int {
	k, ok := msg.(tea.KeyPressMsg)
	switch {
	case !ok || s.Filter() == "":
		return 0
	case key.Matches(k, s.nav.NextMatch):
		return 1
	case key.Matches(k, s.nav.PrevMatch):
		return -1
	}
	return 0
}

// MoveRow is the row a key moves a list pane's selection to, from row at of n, page
// rows a page: the shared moving keys, and the next-match keys to the next or previous
// row, going round the end, since every row a list shows holds the filter. ok says
// the key was one of them; the row is within the list (0 when it is empty).
func (s *shared) MoveRow(msg tea.KeyPressMsg, at, n, page int) (row int, ok bool) {
	row = at
	if step := s.MatchStep(msg); step != 0 {
		row, _ = Jump(n, at, step, func(int) bool { return true })
	} else {
		switch {
		case key.Matches(msg, s.nav.Up):
			row = at - 1
		case key.Matches(msg, s.nav.Down):
			row = at + 1
		case key.Matches(msg, s.nav.PageUp):
			row = at - page
		case key.Matches(msg, s.nav.PageDown):
			row = at + page
		case key.Matches(msg, s.nav.Top):
			row = 0
		case key.Matches(msg, s.nav.Bottom):
			row = n - 1
		default:
			return at, false
		}
	}
	return max(0, min(row, n-1)), true
}

// handle takes the keys of the question and the filter; changed says the filter's
// text changed.
func (s *shared) handle(msg tea.Msg) (took bool, cmd tea.Cmd, changed bool) {
	k, isKey := msg.(tea.KeyPressMsg)
	if s.question != "" {
		if !isKey {
			return false, nil, false
		}
		if k.String() == "y" || k.String() == "Y" {
			cmd = s.then
		}
		s.question, s.then = "", nil
		return true, cmd, false
	}
	before := s.filter.Value()
	switch {
	case s.filter.Focused():
		if _, paste := msg.(tea.PasteMsg); !isKey && !paste {
			return false, nil, false
		}
		switch {
		case isKey && key.Matches(k, s.nav.Open):
			s.filter.Blur()
		case isKey && key.Matches(k, s.nav.Back):
			s.filter.Blur()
			s.filter.SetValue("")
		default:
			s.filter, _ = s.filter.Update(msg)
		}
	case !isKey:
		return false, nil, false
	case key.Matches(k, s.nav.Filter):
		s.filter.Focus()
	case key.Matches(k, s.nav.Back) && before != "":
		s.filter.SetValue("")
	default:
		return false, nil, false
	}
	return true, nil, s.filter.Value() != before
}

// footer is the pane's last line while there is a question or a filter, else "".
func (s *shared) footer(width int) string {
	switch {
	case s.question != "":
		return styles.Warning.Render(s.question+" ") + styles.Key.Render("y/N")
	case s.filter.Focused() || s.filter.Value() != "":
		s.filter.SetWidth(max(1, width-2))
		v := s.filter.View()
		if !s.filter.Focused() {
			v = styles.Key.Render("/"+s.filter.Value()) + styles.Dim.Render("  n/N next/previous match, esc clears")
		}
		return v
	}
	return ""
}

// Jump is the index of the next (step 1) or previous (step -1) of n items from at
// that match says yes to, going round the end; ok is false when none does.
func Jump(n, at, step int, match func(i int) bool) (int, bool) {
	for k := 1; k <= n; k++ {
		i := ((at+step*k)%n + n) % n
		if match(i) {
			return i, true
		}
	}
	return at, false
}
