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
	"workbench/tui/pane"
	"workbench/tui/pathprompt"
	"workbench/tui/styles"
)

// ExportFile is the file the export key proposes to write the session's script to.
const ExportFile = "workbench-session.sh"

// KeyMap is the pane's own keys.
type KeyMap struct {
	pane.ScrollKeys
	Follow, Filter, Export key.Binding
}

// DefaultKeyMap is the pane's key map: up is older, down newer.
func DefaultKeyMap() KeyMap {
	k := KeyMap{
		ScrollKeys: pane.DefaultScrollKeys(),
		Follow:     key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G", "follow newest")),
		Filter:     key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Export:     key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "export as a script")),
	}
	k.Up.SetHelp("↑/k", "older")
	k.Down.SetHelp("↓/j", "newer")
	k.PageUp.SetHelp("pgup", "page older")
	k.PageDown.SetHelp("pgdn", "page newer")
	k.Top.SetHelp("g", "oldest")
	return k
}

// ShortHelp is the one-line hint.
func (k KeyMap) ShortHelp() []key.Binding { return []key.Binding{k.Up, k.Down, k.Follow, k.Export} }

// FullHelp is every key of the pane.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{k.Bindings(), {k.Follow, k.Filter, k.Export}}
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
	keys KeyMap
	back int // entries scrolled back from the newest shown; 0 follows the newest
}

// New returns the pane reading from source.
func New(source Source) *Model {
	keys := DefaultKeyMap()
	m := &Model{Base: pane.NewBase("Command log", keys, source.Entries), keys: keys}
	m.WithFilter("show only commands containing: ", "type part of a command, e.g. iptables")
	return m
}

// Update handles keys, the filter and fresh entries.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	if m.TypeFilter(msg) {
		m.back = 0
		return nil
	}
	if _, changed := m.Take(msg); changed {
		m.scroll(0)
	}
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	return m.handleKey(k)
}

func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	page := max(1, m.Height-1)
	switch {
	case key.Matches(msg, m.keys.Up):
		m.scroll(1)
	case key.Matches(msg, m.keys.Down):
		m.scroll(-1)
	case key.Matches(msg, m.keys.PageUp):
		m.scroll(page)
	case key.Matches(msg, m.keys.PageDown):
		m.scroll(-page)
	case key.Matches(msg, m.keys.Top):
		m.scroll(len(m.Data))
	case key.Matches(msg, m.keys.Follow):
		m.scroll(-m.back)
	case key.Matches(msg, m.keys.Filter):
		m.OpenFilter()
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
	f := m.Filter()
	if f == "" {
		return m.Data
	}
	var out []cmdlog.Entry
	for _, e := range m.Data {
		if strings.Contains(e.Command, f) {
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

// View draws the newest entries that fit, oldest at the top, under the filter when
// there is one.
func (m *Model) View() string {
	return m.Draw(func() string {
		head, rows := "", m.Height
		if m.Typing() || m.Filter() != "" {
			head, rows = m.FilterView(m.Width)+"\n", rows-1
		}
		return head + m.render(rows)
	})
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
		lines = append(entryLines(entries[i], m.Width), lines...)
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

// entryLines draws one entry: its time, then the command wrapped under itself.
func entryLines(e cmdlog.Entry, width int) []string {
	const indent = 9 // "15:04:05 "
	room := max(10, width-indent)
	wrapped := strings.Split(ansi.Wrap(e.Command, room, " ,"), "\n")
	out := make([]string, len(wrapped))
	for i, w := range wrapped {
		if i == 0 {
			out[i] = styles.Dim.Render(e.Time.Format("15:04:05")) + " " + w
		} else {
			out[i] = strings.Repeat(" ", indent) + w
		}
	}
	return out
}
