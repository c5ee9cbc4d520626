// Package logview is the app's command-log pane: every kernel operation of the engine as
// the shell command a person would type, newest last, with its time; it exports the
// session as a shell script.
package logview

import (
	"context"
	"os"
	"strings"
	"sync"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"workbench/cmdlog"
	"workbench/cmdlog/replay"
	"workbench/tui/keys"
	"workbench/tui/pane"
	"workbench/tui/pathprompt"
	"workbench/tui/styles"
)

// ExportFile is the file the export key proposes to write the session's script to.
const ExportFile = "workbench-session.sh"

// KeyMap is the pane's own keys: the shared ones scroll (up is older), filter, and
// with ←/→ slide long lines sideways.
type KeyMap struct {
	Export key.Binding
}

// DefaultKeyMap is the pane's key map.
func DefaultKeyMap() KeyMap {
	return KeyMap{Export: keys.Bind("e", "export as a script")}
}

// Source reads the log's entries.
type Source interface {
	Entries(ctx context.Context) ([]cmdlog.Entry, error)
}

// FileSource reads the command log file of an instance, again only when it grew. The
// app may ask from several refreshes at once.
type FileSource struct {
	Log  *cmdlog.Log
	mu   sync.Mutex
	size int64
	last []cmdlog.Entry
}

// Entries returns the log's entries.
func (s *FileSource) Entries(context.Context) ([]cmdlog.Entry, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := os.Stat(s.Log.Path())
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if st.Size() == s.size && s.last != nil {
		return s.last, nil
	}
	entries, err := s.Log.Entries()
	if err != nil {
		return nil, err
	}
	s.size, s.last = st.Size(), entries
	return entries, nil
}

// Model is the command-log pane.
type Model struct {
	pane.Base[[]cmdlog.Entry]
	keys  KeyMap
	back  int // entries scrolled back from the newest shown; 0 follows the newest
	shift int // cells the lines are slid to the left
}

// shiftStep is how far ←/→ slide the lines.
const shiftStep = 20

// New returns the pane reading from source.
func New(source Source) *Model {
	k := DefaultKeyMap()
	m := &Model{Base: pane.NewBase("Command log", keys.Column{k.Export}, source.Entries), keys: k}
	m.OnFilter(func() { m.back = 0 })
	return m
}

// Update handles keys, the filter and fresh entries.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	if took, cmd := m.Handle(msg, func() { m.scroll(0) }); took {
		return cmd
	}
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	return m.handleKey(k)
}

func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	page := max(1, m.Height-1)
	nav := m.Nav()
	if step := m.MatchStep(msg); step != 0 {
		// Every entry shown matches: the next match is the next newer one.
		m.scroll(-step)
		return nil
	}
	switch {
	case key.Matches(msg, nav.Up):
		m.scroll(1)
	case key.Matches(msg, nav.Down):
		m.scroll(-1)
	case key.Matches(msg, nav.PageUp):
		m.scroll(page)
	case key.Matches(msg, nav.PageDown):
		m.scroll(-page)
	case key.Matches(msg, nav.Top):
		m.scroll(m.oldestFirst() - m.back)
	case key.Matches(msg, nav.Bottom):
		m.scroll(-m.back)
	case key.Matches(msg, nav.Left):
		m.slide(-shiftStep)
	case key.Matches(msg, nav.Right):
		m.slide(shiftStep)
	case key.Matches(msg, m.keys.Export):
		entries := m.Data
		return func() tea.Msg {
			return pathprompt.AskMsg{What: "the session's script", File: ExportFile, Write: func(path string) (string, error) {
				return "", os.WriteFile(path, []byte(replay.Script(entries)), 0o755)
			}}
		}
	}
	return nil
}

// shown are the entries the filter lets through, oldest first.
func (m *Model) shown() []cmdlog.Entry {
	if m.Filter() == "" {
		return m.Data
	}
	var out []cmdlog.Entry
	for _, e := range m.Data {
		if m.Match(e.Command) {
			out = append(out, e)
		}
	}
	return out
}

func (m *Model) scroll(n int) {
	back := min(max(0, m.back+n), max(0, len(m.shown())-1))
	if back != m.back {
		m.back = back
		m.Invalidate()
	}
}

// oldestFirst is how far back the pane goes to show the oldest entries at its top,
// filling it.
func (m *Model) oldestFirst() int {
	entries := m.shown()
	rows, end := m.Height, 0
	for end < len(entries) {
		rows -= len(entryLines(entries[end], m.Width, 0))
		if rows < 0 {
			break
		}
		end++
	}
	return len(entries) - max(1, end)
}

func (m *Model) slide(n int) {
	shift := max(0, m.shift+n)
	if shift != m.shift {
		m.shift = shift
		m.Invalidate()
	}
}

// View draws the newest entries that fit, oldest at the top, under the filter when
// there is one.
func (m *Model) View() string {
	return m.Draw(func() string { return m.render(m.Height) })
}

func (m *Model) render(rows int) string {
	if notice, ok := m.Notice(""); ok && m.Err != nil {
		return notice
	}
	entries := m.shown()
	if len(entries) == 0 {
		if m.Filter() != "" {
			return styles.Dim.Render("no command contains " + m.Filter())
		}
		return styles.Dim.Render("no kernel operations yet: every one the engine makes appears here as a shell command")
	}
	// Walk back from the newest entry shown, wrapping each, until the pane is full.
	end := len(entries) - m.back
	var lines []string
	for i := end - 1; i >= 0 && len(lines) < rows; i-- {
		lines = append(entryLines(entries[i], m.Width, m.shift), lines...)
	}
	if len(lines) > rows {
		lines = lines[len(lines)-rows:]
		// The oldest entry does not fit whole: blank its tail rather than show a piece.
		for i := 0; i < len(lines) && strings.HasPrefix(lines[i], " "); i++ {
			lines[i] = ""
		}
	}
	return strings.Join(lines, "\n")
}

// entryLines draws one entry: its time, then the command wrapped under itself
// between words, never inside one (a path stays whole, to be copied), slid shift
// cells to the left; a word longer than the line goes on past the pane's edge, where
// → slides to it.
func entryLines(e cmdlog.Entry, width, shift int) []string {
	const indent = 9 // "15:04:05 "
	room := max(10, width-indent)
	wrapped := wrapAtSpaces(e.Command, room)
	out := make([]string, len(wrapped))
	for i, w := range wrapped {
		if shift > 0 {
			w = ansi.Cut(w, shift, ansi.StringWidth(w))
		}
		if i == 0 {
			out[i] = styles.Dim.Render(e.Time.Format("15:04:05")) + " " + w
		} else {
			out[i] = strings.Repeat(" ", indent) + w
		}
	}
	return out
}

// wrapAtSpaces breaks text into lines of at most width cells at its spaces only: a
// word (a path, WORKBENCH-DNAT, a list of mount options) is never broken, and one
// longer than width has a line of its own.
func wrapAtSpaces(text string, width int) []string {
	var lines []string
	cur := ""
	for _, w := range strings.Fields(text) {
		if cur != "" && ansi.StringWidth(cur)+1+ansi.StringWidth(w) > width {
			lines = append(lines, cur)
			cur = ""
		}
		if cur != "" {
			cur += " "
		}
		cur += w
	}
	return append(lines, cur)
}
