// Package cmdline is the app's `:` line: it takes exactly the CLI's command lines,
// completes command and container names with Tab and keeps a history.
package cmdline

import (
	"sort"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"workbench/cli/lex"
	"workbench/tui/field"
	"workbench/tui/pane"
	"workbench/tui/styles"
)

// KeyMap is the line's keys.
type KeyMap struct {
	Run, Cancel, Complete, Older, Newer key.Binding
}

// DefaultKeyMap is the line's key map.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Run:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "run")),
		Cancel:   key.NewBinding(key.WithKeys("esc", "ctrl+c"), key.WithHelp("esc", "close")),
		Complete: key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "complete")),
		Older:    key.NewBinding(key.WithKeys("up", "ctrl+p"), key.WithHelp("↑", "older command")),
		Newer:    key.NewBinding(key.WithKeys("down", "ctrl+n"), key.WithHelp("↓", "newer command")),
	}
}

// ShortHelp is the one-line hint.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Run, k.Complete, k.Older, k.Cancel}
}

// FullHelp is every key of the line.
func (k KeyMap) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

// ClosedMsg says the line was closed without running anything.
type ClosedMsg struct{}

// Model is the command line.
type Model struct {
	input    field.Model
	keys     KeyMap
	commands []string // top-level command names
	names    []string // container names
	history  []string
	pos      int // index into history while browsing; len(history) = the new line
	hint     string
}

// New returns a line that completes the given command names.
func New(commands []string) *Model {
	in := field.New(":", "a workbench command, e.g. run -d --name web -p 8080:80 busybox httpd -f -p 80")
	sorted := append([]string(nil), commands...)
	sort.Strings(sorted)
	return &Model{input: in, keys: DefaultKeyMap(), commands: sorted}
}

// KeyMap lists the line's keys.
func (m *Model) KeyMap() KeyMap { return m.keys }

// SetNames gives the container names to complete.
func (m *Model) SetNames(names []string) { m.names = names }

// SetWidth sets the line's width.
func (m *Model) SetWidth(w int) { m.input.SetWidth(w) }

// Open empties the line and gives it the keyboard.
func (m *Model) Open() {
	m.input.SetValue("")
	m.input.Focus()
	m.pos = len(m.history)
	m.hint = ""
}

// Value is the text typed so far.
func (m *Model) Value() string { return m.input.Value() }

// Update handles a key; Enter returns a pane.RunMsg with the typed command line.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	if p, ok := msg.(tea.PasteMsg); ok {
		m.input.Paste(p.Content)
		return nil
	}
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	switch {
	case key.Matches(k, m.keys.Cancel):
		m.input.Blur()
		return func() tea.Msg { return ClosedMsg{} }
	case key.Matches(k, m.keys.Run):
		return m.submit()
	case key.Matches(k, m.keys.Complete):
		m.complete()
		return nil
	case key.Matches(k, m.keys.Older):
		m.browse(-1)
		return nil
	case key.Matches(k, m.keys.Newer):
		m.browse(1)
		return nil
	}
	m.hint = ""
	m.input.Update(msg)
	return nil
}

func (m *Model) submit() tea.Cmd {
	line := strings.TrimSpace(m.input.Value())
	m.input.Blur()
	if line == "" {
		return func() tea.Msg { return ClosedMsg{} }
	}
	if n := len(m.history); n == 0 || m.history[n-1] != line {
		m.history = append(m.history, line)
	}
	args, err := lex.Args(line)
	if err != nil {
		return pane.Status(err.Error(), true)
	}
	return func() tea.Msg { return pane.RunMsg{Args: args, Show: true} }
}

func (m *Model) browse(step int) {
	pos := m.pos + step
	if pos < 0 || pos > len(m.history) {
		return
	}
	m.pos = pos
	if pos == len(m.history) {
		m.input.SetValue("")
	} else {
		m.input.SetValue(m.history[pos])
	}
}

// complete extends the word before the cursor: a command name for the first word, a
// container name after it. Several candidates are listed in the hint.
func (m *Model) complete() {
	value := m.input.Value()
	cut := strings.LastIndexByte(value, ' ') + 1
	word := value[cut:]
	pool := m.names
	if strings.TrimSpace(value[:cut]) == "" {
		pool = m.commands
	}
	var found []string
	for _, c := range pool {
		if strings.HasPrefix(c, word) {
			found = append(found, c)
		}
	}
	switch len(found) {
	case 0:
		m.hint = "no completion for " + word
	case 1:
		m.input.SetValue(value[:cut] + found[0] + " ")
		m.hint = ""
	default:
		m.input.SetValue(value[:cut] + commonPrefix(found))
		m.hint = strings.Join(found, "  ")
	}
}

func commonPrefix(words []string) string {
	p := words[0]
	for _, w := range words[1:] {
		for !strings.HasPrefix(w, p) {
			p = p[:len(p)-1]
		}
	}
	return p
}

// View draws the line and, under it, the completion candidates when there are some.
func (m *Model) View() string {
	if m.hint == "" {
		return m.input.View()
	}
	return m.input.View() + "\n" + styles.Dim.Render(m.hint)
}
