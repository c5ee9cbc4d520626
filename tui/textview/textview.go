// Package textview is the app's view of a long text: a command's output, a stream
// that goes on (`logs -f`, `stats`, `events`) or an error too long for the status line.
// It scrolls both ways with the keys every list knows and closes with esc, which also
// stops its stream.
package textview

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"workbench/tui/keys"
	"workbench/tui/pane"
	"workbench/tui/styles"
)

// KeyMap is the view's keys.
type KeyMap struct {
	Up, Down, PageUp, PageDown, Top, Bottom, Left, Right, Close key.Binding
}

// DefaultKeyMap is the view's key map: the keys every pane shares, with a pager's b, f
// and space besides for paging, and q besides esc to close.
func DefaultKeyMap() KeyMap {
	nav := keys.DefaultNav()
	nav.PageUp.SetKeys(append(nav.PageUp.Keys(), "b")...)
	nav.PageDown.SetKeys(append(nav.PageDown.Keys(), "f", "space")...)
	nav.Left.SetHelp("←/h", "left")
	nav.Right.SetHelp("→/l", "right")
	return KeyMap{
		Up: nav.Up, Down: nav.Down, PageUp: nav.PageUp, PageDown: nav.PageDown,
		Top: nav.Top, Bottom: nav.Bottom, Left: nav.Left, Right: nav.Right,
		Close: keys.Bind("esc", "close", "q"),
	}
}

// ShortHelp is the one-line hint.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Down, k.Up, k.PageDown, k.Top, k.Bottom, k.Right, k.Close}
}

// FullHelp is every key of the view.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown}, {k.Top, k.Bottom, k.Left, k.Right}, {k.Close}}
}

// ClosedMsg says the view was closed.
type ClosedMsg struct{}

// Model is a text on screen: a title line, then the text from line top and column left.
type Model struct {
	title   string
	keys    KeyMap
	raw     []string // the text's lines as given
	lines   []string // what is shown: raw, or raw wrapped to the width
	wrap    bool
	top     int
	left    int
	width   int
	height  int
	follow  bool // the view stays at the end while text arrives
	stream  *stream
	ended   string // what the stream said when it ended ("" while it runs)
	partial string // a stream's last line, not yet ended by a newline
}

// New returns a view of text that scrolls sideways where a line is wider than the
// screen (a table keeps its columns).
func New(title, text string) *Model {
	m := &Model{title: title, keys: DefaultKeyMap()}
	m.raw = splitLines(text)
	m.relayout()
	return m
}

// NewWrapped returns a view of text wrapped between words at the screen's width (an
// error message).
func NewWrapped(title, text string) *Model {
	m := New(title, text)
	m.wrap = true
	m.relayout()
	return m
}

// KeyMap lists the view's keys.
func (m *Model) KeyMap() KeyMap { return m.keys }

// Title is what the view shows on its first line.
func (m *Model) Title() string { return m.title }

// Text is the whole text shown, as lines joined by newlines.
func (m *Model) Text() string { return strings.Join(m.raw, "\n") }

// SetSize gives the view its size in cells: the title line, then the text.
func (m *Model) SetSize(width, height int) {
	if width == m.width && height == m.height {
		return
	}
	m.width, m.height = width, height
	if m.stream != nil {
		m.stream.width.Store(int64(width))
	}
	m.relayout()
}

// Update scrolls with a key, closes with esc, and takes the output of its stream.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case chunkMsg:
		if msg.from != m.stream {
			return nil
		}
		return m.take(msg)
	case tea.KeyPressMsg:
		return m.key(msg)
	}
	return nil
}

func (m *Model) key(msg tea.KeyPressMsg) tea.Cmd {
	page := max(1, m.textHeight()-1)
	k := m.keys
	switch {
	case key.Matches(msg, k.Close):
		m.Stop()
		return func() tea.Msg { return ClosedMsg{} }
	case key.Matches(msg, k.Up):
		m.scrollTo(m.top - 1)
	case key.Matches(msg, k.Down):
		m.scrollTo(m.top + 1)
	case key.Matches(msg, k.PageUp):
		m.scrollTo(m.top - page)
	case key.Matches(msg, k.PageDown):
		m.scrollTo(m.top + page)
	case key.Matches(msg, k.Top):
		m.scrollTo(0)
	case key.Matches(msg, k.Bottom):
		m.scrollTo(len(m.lines))
	case key.Matches(msg, k.Left):
		m.left = max(0, m.left-m.step())
	case key.Matches(msg, k.Right):
		m.left = min(m.left+m.step(), max(0, m.widest()-m.width))
	}
	return nil
}

// step is how far left and right move: a third of the screen.
func (m *Model) step() int { return max(1, m.width/3) }

func (m *Model) textHeight() int { return max(1, m.height-1) }

func (m *Model) lastTop() int { return max(0, len(m.lines)-m.textHeight()) }

// scrollTo shows the text from line top; at the end, the view follows new text.
func (m *Model) scrollTo(top int) {
	m.top = min(max(0, top), m.lastTop())
	m.follow = m.top == m.lastTop()
}

func (m *Model) widest() int {
	w := 0
	for _, l := range m.lines {
		w = max(w, ansi.StringWidth(l))
	}
	return w
}

// relayout wraps the text again for the width and keeps the view in it.
func (m *Model) relayout() {
	lines := m.raw
	if m.partial != "" {
		lines = append(append([]string(nil), lines...), m.partial)
	}
	if m.wrap && m.width > 0 {
		var out []string
		for _, l := range lines {
			out = append(out, strings.Split(pane.Wrap(l, m.width), "\n")...)
		}
		lines = out
	}
	m.lines = lines
	if m.follow {
		m.top = m.lastTop()
	}
	m.top = min(m.top, m.lastTop())
}

// View draws the title line with where the view is, then the lines on screen cut to
// the width from the column scrolled to.
func (m *Model) View() string {
	var b strings.Builder
	head := styles.Title.Render(m.title)
	where := m.where()
	b.WriteString(head + "  " + styles.Dim.Render(where))
	end := min(len(m.lines), m.top+m.textHeight())
	for _, l := range m.lines[m.top:end] {
		b.WriteByte('\n')
		b.WriteString(ansi.Cut(l, m.left, m.left+m.width))
	}
	return b.String()
}

// where says which lines and columns are on screen and what the stream does.
func (m *Model) where() string {
	n := len(m.lines)
	s := "empty"
	if n > 0 {
		s = "lines " + strconv.Itoa(m.top+1) + "-" + strconv.Itoa(min(n, m.top+m.textHeight())) + " of " + strconv.Itoa(n)
	}
	if m.left > 0 {
		s += ", from column " + strconv.Itoa(m.left+1)
	}
	switch {
	case m.stream != nil && m.ended == "":
		s += " · streaming, esc stops"
	case m.ended != "":
		s += " · " + m.ended
	}
	if m.widest() > m.width && m.left == 0 {
		s += " · →/l for more"
	}
	return s
}

func splitLines(text string) []string {
	text = strings.TrimRight(text, "\n")
	if text == "" {
		return nil
	}
	return strings.Split(text, "\n")
}
