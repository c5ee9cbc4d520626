// Package logview is the app's command-log pane: every kernel operation of the engine as
// the shell command a person would type, newest last, with its time; it exports the
// session as a shell script.
package logview

import (
	"context"
	"os"
	"reflect"
	"strings"
	"sync"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"workbench/cmdlog"
	"workbench/tui/pane"
	"workbench/tui/styles"
)

// ExportPath is where the export key writes the session's script.
const ExportPath = "workbench-session.sh"

// KeyMap is the pane's own keys.
type KeyMap struct {
	Up, Down, PageUp, PageDown, Follow, Export key.Binding
}

// DefaultKeyMap is the pane's key map.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "older")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "newer")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "b"), key.WithHelp("pgup", "page older")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "f"), key.WithHelp("pgdn", "page newer")),
		Follow:   key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G", "follow newest")),
		Export:   key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "export as "+ExportPath)),
	}
}

// ShortHelp is the one-line hint.
func (k KeyMap) ShortHelp() []key.Binding { return []key.Binding{k.Up, k.Down, k.Follow, k.Export} }

// FullHelp is every key of the pane.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown}, {k.Follow, k.Export}}
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

type loadedMsg struct {
	entries []cmdlog.Entry
	err     error
}

// Model is the command-log pane.
type Model struct {
	source        Source
	keys          KeyMap
	entries       []cmdlog.Entry
	err           error
	loaded        bool
	back          int // lines scrolled back from the newest; 0 follows the newest
	width, height int
	cache         string
	dirty         bool
}

// New returns the pane reading from source.
func New(source Source) *Model { return &Model{source: source, keys: DefaultKeyMap(), dirty: true} }

// Title is the pane's name.
func (m *Model) Title() string { return "Command log" }

// KeyMap lists the pane's keys.
func (m *Model) KeyMap() help.KeyMap { return m.keys }

// Typing is always false.
func (m *Model) Typing() bool { return false }

// SetSize gives the pane its size.
func (m *Model) SetSize(width, height int) {
	if width != m.width || height != m.height {
		m.width, m.height, m.dirty = width, height, true
	}
}

// Refresh reads the log again.
func (m *Model) Refresh() tea.Cmd {
	src := m.source
	return func() tea.Msg {
		e, err := src.Entries(context.Background())
		return loadedMsg{entries: e, err: err}
	}
}

// Update handles keys and fresh entries.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case loadedMsg:
		if m.loaded && len(msg.entries) == len(m.entries) && reflect.DeepEqual(msg.err, m.err) {
			return nil
		}
		m.entries, m.err, m.loaded, m.dirty = msg.entries, msg.err, true, true
	case tea.KeyPressMsg:
		page := max(1, m.height-1)
		switch {
		case key.Matches(msg, m.keys.Up):
			m.scroll(1)
		case key.Matches(msg, m.keys.Down):
			m.scroll(-1)
		case key.Matches(msg, m.keys.PageUp):
			m.scroll(page)
		case key.Matches(msg, m.keys.PageDown):
			m.scroll(-page)
		case key.Matches(msg, m.keys.Follow):
			m.scroll(-m.back)
		case key.Matches(msg, m.keys.Export):
			return func() tea.Msg { return pane.RunMsg{Args: []string{"log", "-o", ExportPath}} }
		}
	}
	return nil
}

func (m *Model) scroll(n int) {
	back := min(max(0, m.back+n), max(0, len(m.entries)-1))
	if back != m.back {
		m.back, m.dirty = back, true
	}
}

// View draws the newest entries that fit, oldest at the top.
func (m *Model) View() string {
	if !m.dirty {
		return m.cache
	}
	m.dirty = false
	m.cache = pane.Fit(m.render(), m.width, m.height)
	return m.cache
}

func (m *Model) render() string {
	if m.err != nil {
		return styles.Error.Render(pane.Unavailable + ": " + m.err.Error())
	}
	if len(m.entries) == 0 {
		return styles.Dim.Render("no kernel operations yet: every one the engine makes appears here as a shell command")
	}
	// Walk back from the newest entry shown, wrapping each, until the pane is full.
	end := len(m.entries) - m.back
	var lines []string
	for i := end - 1; i >= 0 && len(lines) < m.height; i-- {
		lines = append(entryLines(m.entries[i], m.width), lines...)
	}
	if len(lines) > m.height {
		lines = lines[len(lines)-m.height:]
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
