// Package listview is the app's view of a list the CLI prints as a table (the images,
// the networks): a cursor on its rows, enter to inspect one, d to remove it after a
// y/n question, n to make a new one from a form, r to read it again, esc to close.
// Every action is the CLI's own command line, so it does what the same line typed on
// the `:` line does.
package listview

import (
	"bytes"
	"context"
	"io"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"workbench/tui/form"
	"workbench/tui/keys"
	"workbench/tui/pane"
	"workbench/tui/styles"
)

// RunFunc runs one CLI command line, as the app's Options.Run.
type RunFunc func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int

// Spec says what a list is and how to act on its rows.
type Spec struct {
	// Title names the list.
	Title string
	// List is the command line that prints the table: a header line, then a row a line.
	List []string
	// Name is what a row's fields name for the commands below ("" = not a row to act on).
	Name func(fields []string) string
	// Inspect, Remove are the command lines that show and remove the named thing.
	Inspect, Remove func(name string) []string
	// New is the form that makes one (nil = the list has none).
	New func() *form.Model
}

// KeyMap is the view's keys: it moves with the keys every pane shares, and acts on the
// row under the cursor.
type KeyMap struct {
	Up, Down, Top, Bottom, Inspect, Remove, New, Reload, Yes, No, Close key.Binding
}

// DefaultKeyMap is the view's key map.
func DefaultKeyMap() KeyMap {
	nav := keys.DefaultNav()
	return KeyMap{
		Up:      nav.Up,
		Down:    nav.Down,
		Top:     nav.Top,
		Bottom:  nav.Bottom,
		Inspect: keys.Bind("enter", "inspect", "i"),
		Remove:  keys.Bind("d", "remove", "delete"),
		New:     keys.Bind("n", "new"),
		Reload:  keys.Bind("r", "read again"),
		Yes:     keys.Bind("y", "yes"),
		No:      key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n/esc", "no")),
		Close:   keys.Bind("esc", "close", "q"),
	}
}

// ClosedMsg says the view was closed.
type ClosedMsg struct{}

// loadedMsg is the table the list command printed.
type loadedMsg struct {
	to     *Model
	header string
	rows   []string
	err    string
}

// Model is a list on screen.
type Model struct {
	spec          Spec
	run           RunFunc
	ctx           context.Context
	keys          KeyMap
	header        string
	rows          []string
	cursor        int
	confirm       string // the name a removal waits a yes for
	err           string
	loaded        bool
	width, height int
}

// New returns the view of spec's list, read with run under ctx; Reload reads it.
func New(ctx context.Context, spec Spec, run RunFunc) *Model {
	return &Model{spec: spec, run: run, ctx: ctx, keys: DefaultKeyMap()}
}

// Title names the list.
func (m *Model) Title() string { return m.spec.Title }

// SetSize gives the view its size: a title line, the header, the rows.
func (m *Model) SetSize(width, height int) { m.width, m.height = width, height }

// Reload returns the work that reads the list again.
func (m *Model) Reload() tea.Cmd {
	ctx, run, args := m.ctx, m.run, m.spec.List
	return func() tea.Msg {
		var out, errOut bytes.Buffer
		if run(ctx, args, strings.NewReader(""), &out, &errOut) != 0 {
			return loadedMsg{to: m, err: strings.TrimSpace(errOut.String())}
		}
		lines := strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
		return loadedMsg{to: m, header: lines[0], rows: lines[1:]}
	}
}

// Update moves the cursor and acts on the selected row; it takes its own loads.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case loadedMsg:
		if msg.to == m {
			m.header, m.rows, m.err, m.loaded = msg.header, msg.rows, msg.err, true
			m.cursor = min(m.cursor, max(0, len(m.rows)-1))
		}
	case tea.KeyPressMsg:
		if m.confirm != "" {
			return m.answer(msg)
		}
		return m.key(msg)
	}
	return nil
}

func (m *Model) key(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.Close):
		return func() tea.Msg { return ClosedMsg{} }
	case key.Matches(msg, k.Up):
		m.cursor = max(0, m.cursor-1)
	case key.Matches(msg, k.Down):
		m.cursor = min(max(0, len(m.rows)-1), m.cursor+1)
	case key.Matches(msg, k.Top):
		m.cursor = 0
	case key.Matches(msg, k.Bottom):
		m.cursor = max(0, len(m.rows)-1)
	case key.Matches(msg, k.Reload):
		return m.Reload()
	case key.Matches(msg, k.New) && m.spec.New != nil:
		f := m.spec.New()
		return func() tea.Msg { return form.OpenMsg{Form: f} }
	case key.Matches(msg, k.Inspect):
		if name := m.Selected(); name != "" {
			return run(pane.RunMsg{Args: m.spec.Inspect(name), Show: true})
		}
	case key.Matches(msg, k.Remove):
		if name := m.Selected(); name != "" {
			m.confirm = name
		}
	}
	return nil
}

// answer takes y or n to the removal asked.
func (m *Model) answer(msg tea.KeyPressMsg) tea.Cmd {
	name := m.confirm
	switch {
	case key.Matches(msg, m.keys.Yes):
		m.confirm = ""
		return run(pane.RunMsg{Args: m.spec.Remove(name)})
	case key.Matches(msg, m.keys.No):
		m.confirm = ""
	}
	return nil
}

func run(msg pane.RunMsg) tea.Cmd { return func() tea.Msg { return msg } }

// Selected names the row under the cursor ("" = none).
func (m *Model) Selected() string {
	if m.cursor >= len(m.rows) {
		return ""
	}
	return m.spec.Name(strings.Fields(m.rows[m.cursor]))
}

// ShortHelp is the one-line hint: the question while one is asked.
func (m *Model) ShortHelp() []key.Binding {
	k := m.keys
	if m.confirm != "" {
		return []key.Binding{k.Yes, k.No}
	}
	out := []key.Binding{k.Down, k.Up, k.Inspect, k.Remove}
	if m.spec.New != nil {
		out = append(out, k.New)
	}
	return append(out, k.Reload, k.Close)
}

// View draws the title, the header and the rows that fit around the cursor; a line
// too wide is cut.
func (m *Model) View() string {
	var b strings.Builder
	b.WriteString(styles.Title.Render(m.spec.Title) + "  " + styles.Dim.Render(m.status()))
	if q := m.Question(); q != "" {
		b.WriteString(styles.Warning.Render(q))
	}
	switch {
	case m.err != "":
		b.WriteString("\n" + styles.Error.Render(pane.Wrap(m.err, max(20, m.width))))
		return b.String()
	case !m.loaded:
		b.WriteString("\n" + styles.Dim.Render("reading…"))
		return b.String()
	}
	b.WriteString("\n" + styles.Header.Render(m.header))
	room := max(1, m.height-2)
	top := max(0, m.cursor-room+1)
	for i := top; i < min(len(m.rows), top+room); i++ {
		line := m.rows[i]
		if i == m.cursor {
			line = styles.Selected.Render(pane.Cell(line, m.width))
		}
		b.WriteString("\n" + line)
	}
	return b.String()
}

// status says where the cursor is.
func (m *Model) status() string {
	switch {
	case m.confirm != "" || !m.loaded:
		return ""
	case len(m.rows) == 0:
		return "none yet"
	}
	return strconv.Itoa(m.cursor+1) + " of " + strconv.Itoa(len(m.rows)) + "  "
}

// Question is the y/n question the view waits an answer to ("" = none).
func (m *Model) Question() string {
	if m.confirm == "" {
		return ""
	}
	return "remove " + m.confirm + "? y/n"
}
