// Package cmdline is the app's `:` line: it takes exactly the CLI's command lines
// (with or without the leading "workbench", as a lab script does), completes command and container names with Tab (the text field's suggestions) and
// keeps a history.
package cmdline

import (
	"sort"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"workbench/cli/lex"
	"workbench/tui/keys"
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
		Run:      keys.Bind("enter", "run"),
		Cancel:   keys.Bind("esc", "close", "ctrl+c"),
		Complete: keys.Bind("tab", "complete (ctrl+n/p: next/previous)"),
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

func closed() tea.Msg { return ClosedMsg{} }

// Model is the command line.
type Model struct {
	input    textinput.Model
	keys     KeyMap
	commands []string // top-level command names
	names    []string // container names
	history  []string
	pos      int // index into history while browsing; len(history) = the new line
}

// New returns a line that completes the given command names.
func New(commands []string) *Model {
	in := pane.NewInput(":", "a workbench command, e.g. run -d --name web -p 8080:80 busybox httpd -f -p 80")
	in.ShowSuggestions = true
	in.KeyMap.AcceptSuggestion = key.NewBinding(key.WithKeys("tab"))
	in.KeyMap.NextSuggestion = key.NewBinding(key.WithKeys("ctrl+n"))
	in.KeyMap.PrevSuggestion = key.NewBinding(key.WithKeys("ctrl+p"))
	sorted := append([]string(nil), commands...)
	sort.Strings(sorted)
	return &Model{input: in, keys: DefaultKeyMap(), commands: sorted}
}

// KeyMap lists the line's keys.
func (m *Model) KeyMap() KeyMap { return m.keys }

// SetNames gives the container names to complete.
func (m *Model) SetNames(names []string) { m.names = names }

// SetWidth sets the line's width.
func (m *Model) SetWidth(w int) { m.input.SetWidth(max(1, w-3)) }

// Open empties the line and gives it the keyboard.
func (m *Model) Open() {
	m.input.SetValue("")
	m.input.Focus()
	m.pos = len(m.history)
	m.suggest()
}

// Value is the text typed so far.
func (m *Model) Value() string { return m.input.Value() }

// Update handles a key or a paste; Enter returns a pane.RunMsg with the typed command
// line.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, m.keys.Cancel):
			m.input.Blur()
			return closed
		case key.Matches(k, m.keys.Run):
			return m.submit()
		case key.Matches(k, m.keys.Older):
			m.browse(-1)
			return nil
		case key.Matches(k, m.keys.Newer):
			m.browse(1)
			return nil
		}
	}
	m.input, _ = m.input.Update(msg)
	m.suggest()
	return nil
}

// suggest gives the field the completions of the word before the cursor: the command
// names for the first word, the container names after it, each followed by a space.
func (m *Model) suggest() {
	value := m.input.Value()
	cut := strings.LastIndexByte(value, ' ') + 1
	pool := m.names
	if strings.TrimSpace(value[:cut]) == "" {
		pool = m.commands
	}
	out := make([]string, 0, len(pool))
	for _, w := range pool {
		out = append(out, value[:cut]+w+" ")
	}
	m.input.SetSuggestions(out)
}

func (m *Model) submit() tea.Cmd {
	line := strings.TrimSpace(m.input.Value())
	m.input.Blur()
	if line == "" {
		return closed
	}
	if n := len(m.history); n == 0 || m.history[n-1] != line {
		m.history = append(m.history, line)
	}
	args, err := lex.Args(line)
	if err != nil {
		return tea.Batch(closed, pane.Status(err.Error(), true))
	}
	if args = TrimProgram(args); len(args) == 0 {
		return tea.Batch(closed, pane.Status("give a command after workbench, e.g. workbench ps", true))
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
	m.suggest()
}

// View draws the line and, under it, the completions when there are several.
func (m *Model) View() string {
	found := m.input.MatchedSuggestions()
	if len(found) < 2 || m.input.Value() == "" {
		return m.input.View()
	}
	words := make([]string, len(found))
	for i, f := range found {
		fields := strings.Fields(f)
		words[i] = fields[len(fields)-1]
	}
	return m.input.View() + "\n" + styles.Dim.Render(strings.Join(words, "  "))
}
