// Package form is the app's dialogs: a column of labelled fields that turns into one
// CLI command line when submitted, so a dialog does exactly what the same command typed
// on the `:` line does.
package form

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"workbench/tui/pane"
	"workbench/tui/styles"
)

// KeyMap is a dialog's keys.
type KeyMap struct {
	Next, Prev, Submit, Cancel key.Binding
}

// DefaultKeyMap is the dialogs' key map.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Next:   key.NewBinding(key.WithKeys("tab", "down"), key.WithHelp("tab/↓", "next field")),
		Prev:   key.NewBinding(key.WithKeys("shift+tab", "up"), key.WithHelp("shift+tab/↑", "previous field")),
		Submit: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "do it")),
		Cancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
}

// ShortHelp is the one-line hint.
func (k KeyMap) ShortHelp() []key.Binding { return []key.Binding{k.Submit, k.Next, k.Prev, k.Cancel} }

// FullHelp is every key of a dialog.
func (k KeyMap) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

// ClosedMsg says the dialog was closed without doing anything.
type ClosedMsg struct{}

// OpenMsg asks the app to open a dialog (a view's "new" key).
type OpenMsg struct{ Form *Model }

// SubmitMsg asks the app to run the dialog's command line; when it fails, the app
// shows the dialog again with what was typed and the error (SetError).
type SubmitMsg struct{ Args []string }

// Field is one labelled field of a dialog.
type Field struct {
	// Label names the field; Hint says what an empty field means.
	Label, Hint string
	input       textinput.Model
}

// Model is a dialog.
type Model struct {
	title  string
	intro  string
	fields []Field
	focus  int
	keys   KeyMap
	// build turns the field values, in order, into a CLI command line; an error is
	// shown in the dialog and nothing runs.
	build func(values []string) ([]string, error)
	err   string
}

// New returns a dialog with fields labelled and hinted by pairs.
func New(title, intro string, pairs [][2]string, build func([]string) ([]string, error)) *Model {
	m := &Model{title: title, intro: intro, keys: DefaultKeyMap(), build: build}
	for _, p := range pairs {
		f := Field{Label: p[0], Hint: p[1], input: pane.NewInput("", p[1])}
		// Wide enough for its hint; a longer value scrolls inside.
		f.input.SetWidth(max(24, ansi.StringWidth(p[1])))
		m.fields = append(m.fields, f)
	}
	m.fields[0].input.Focus()
	return m
}

// KeyMap lists the dialog's keys.
func (m *Model) KeyMap() KeyMap { return m.keys }

// SetValue fills field i (for tests and for pre-filled dialogs).
func (m *Model) SetValue(i int, v string) { m.fields[i].input.SetValue(v) }

// Update edits the focused field, moves between fields, submits or cancels.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		m.fields[m.focus].input, _ = m.fields[m.focus].input.Update(msg)
		return nil
	}
	switch {
	case key.Matches(k, m.keys.Cancel):
		return func() tea.Msg { return ClosedMsg{} }
	case key.Matches(k, m.keys.Submit):
		return m.submit()
	case key.Matches(k, m.keys.Next):
		m.move(1)
	case key.Matches(k, m.keys.Prev):
		m.move(-1)
	default:
		m.err = ""
		m.fields[m.focus].input, _ = m.fields[m.focus].input.Update(k)
	}
	return nil
}

// wrapped breaks text between words to fit the dialog's fields' width (at least 60
// cells, so it stays inside an 80-column screen).
func (m *Model) wrapped(text string) string {
	w := 60
	for _, f := range m.fields {
		w = max(w, 14+f.input.Width())
	}
	return pane.Wrap(text, w)
}

func (m *Model) move(step int) {
	m.fields[m.focus].input.Blur()
	n := len(m.fields)
	m.focus = ((m.focus+step)%n + n) % n
	m.fields[m.focus].input.Focus()
}

func (m *Model) submit() tea.Cmd {
	values := make([]string, len(m.fields))
	for i, f := range m.fields {
		values[i] = strings.TrimSpace(f.input.Value())
	}
	args, err := m.build(values)
	if err != nil {
		m.err = err.Error()
		return nil
	}
	m.err = ""
	return func() tea.Msg { return SubmitMsg{Args: args} }
}

// SetError shows why the dialog's command failed; what was typed stays for another try.
func (m *Model) SetError(text string) { m.err = text }

// View draws the title, the fields and any error.
func (m *Model) View() string {
	var b strings.Builder
	b.WriteString(styles.Title.Render(m.title) + "\n")
	if m.intro != "" {
		b.WriteString(styles.Dim.Render(m.intro) + "\n")
	}
	b.WriteByte('\n')
	for i, f := range m.fields {
		label := pane.Cell(f.Label, 12)
		if i == m.focus {
			label = styles.Key.Render(label)
		}
		b.WriteString(" " + label + " " + f.input.View() + "\n")
	}
	if m.err != "" {
		b.WriteString("\n" + styles.Error.Render(m.wrapped(m.err)) + "\n")
	}
	return styles.FocusedFrame.Padding(0, 1).Render(strings.TrimRight(b.String(), "\n"))
}
