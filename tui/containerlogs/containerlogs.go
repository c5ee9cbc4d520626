// Package containerlogs is the logs view of one container, opened from the containers
// pane: its output as the engine recorded it, following live, standard error told
// from standard output, times shown or hidden, and the shared filter marking lines.
package containerlogs

import (
	"context"
	"errors"
	"io"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"workbench/tui/keys"
	"workbench/tui/pane"
	"workbench/tui/styles"
)

// PollEvery is how often the view reads what the container wrote since.
const PollEvery = 250 * time.Millisecond

// Entry is one record of a container's output.
type Entry struct {
	// Stream is "stdout" or "stderr".
	Stream string
	// Time is when the engine read it.
	Time time.Time
	// Text is the line, newline included when there was one.
	Text string
}

// Reader reads a container's log entry by entry: Next gives io.EOF when there is no
// more for now, and more later as the container writes.
type Reader interface {
	Next() (Entry, error)
	Close() error
}

// Opener opens the log of the container named name.
type Opener func(ctx context.Context, name string) (Reader, error)

// KeyMap is the view's own keys; the shared ones move, follow (G), filter and close
// (esc).
type KeyMap struct {
	Times key.Binding
}

// DefaultKeyMap is the view's key map.
func DefaultKeyMap() KeyMap {
	return KeyMap{Times: keys.Bind("t", "logs: times")}
}

// ShortHelp is the hint while the view is open: its own key, then the shared keys it
// is used with.
func (k KeyMap) ShortHelp() []key.Binding {
	nav := keys.DefaultNav()
	return []key.Binding{k.Times, nav.Bottom, nav.Filter, nav.Back}
}

// FullHelp is the same keys as one column.
func (k KeyMap) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

type openedMsg struct {
	to     *Model
	reader Reader
	err    error
}

type readMsg struct {
	to      *Model
	reader  Reader
	entries []Entry
	err     error
}

// Model is the logs view.
type Model struct {
	pane.Base[struct{}]
	keys    KeyMap
	name    string
	entries []Entry
	times   bool
	follow  bool
	closed  bool
}

// New returns the view of the container named name; Start opens its log.
func New(name string) *Model {
	k := DefaultKeyMap()
	return &Model{Base: pane.NewText[struct{}]("Logs of "+name, keys.Column{k.Times}, nil), keys: k, name: name, follow: true}
}

// Start opens the log with open under ctx and follows it.
func (m *Model) Start(ctx context.Context, open Opener) tea.Cmd {
	name := m.name
	return func() tea.Msg {
		r, err := open(ctx, name)
		return openedMsg{to: m, reader: r, err: err}
	}
}

// Close stops following; the reader is closed when its last read comes back.
func (m *Model) Close() { m.closed = true }

// Name is the container whose logs are shown.
func (m *Model) Name() string { return m.name }

// SetSize gives the view its size.
func (m *Model) SetSize(width, height int) {
	m.Base.SetSize(width, height)
	m.draw()
}

// Update reads more of the log and handles the keys; done says esc closed the view.
func (m *Model) Update(msg tea.Msg) (cmd tea.Cmd, done bool) {
	switch msg := msg.(type) {
	case openedMsg:
		if msg.to != m {
			return nil, false
		}
		if msg.err != nil {
			m.Err = msg.err
			m.Invalidate()
			return nil, false
		}
		return read(m, msg.reader), false
	case readMsg:
		if msg.to != m {
			return nil, false
		}
		if m.closed {
			msg.reader.Close()
			return nil, false
		}
		if msg.err != nil {
			m.Err = msg.err
		}
		if len(msg.entries) > 0 {
			m.entries = append(m.entries, msg.entries...)
			m.draw()
		}
		r := msg.reader
		return tea.Tick(PollEvery, func(time.Time) tea.Msg { return read(m, r)() }), false
	}
	if took, cmd := m.Shared(msg); took {
		return cmd, false
	}
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil, false
	}
	nav := m.Nav()
	if step := m.MatchStep(k); step != 0 {
		m.follow = false
		m.Lines.Jump(step)
		m.Invalidate()
		return nil, false
	}
	switch {
	case key.Matches(k, nav.Back):
		m.Close()
		return nil, true
	case key.Matches(k, m.keys.Times):
		m.times = !m.times
		m.draw()
	case m.Lines.Scroll(k):
		m.follow = m.Lines.AtBottom()
		m.Invalidate()
	}
	return nil, false
}

// read reads every entry the log holds now.
func read(m *Model, r Reader) tea.Cmd {
	return func() tea.Msg {
		var got []Entry
		for {
			e, err := r.Next()
			if errors.Is(err, io.EOF) {
				return readMsg{to: m, reader: r, entries: got}
			}
			if err != nil {
				return readMsg{to: m, reader: r, entries: got, err: err}
			}
			got = append(got, e)
		}
	}
}

// draw renders every entry once; scrolling then only picks lines.
func (m *Model) draw() {
	m.Invalidate()
	var b strings.Builder
	for _, e := range m.entries {
		b.WriteString(m.line(e))
		b.WriteByte('\n')
	}
	m.Lines.SetContent(b.String())
	if m.follow {
		m.Lines.GotoBottom()
	}
}

// line is one entry: its stream, its time when times are on, its text.
func (m *Model) line(e Entry) string {
	tag := styles.Dim.Render("out ")
	if e.Stream == "stderr" {
		tag = styles.Error.Render("err ")
	}
	if m.times {
		tag += styles.Dim.Render(e.Time.UTC().Format("2006-01-02T15:04:05.000Z") + " ")
	}
	text := strings.TrimRight(strings.ReplaceAll(e.Text, "\t", "    "), "\r\n")
	return tag + text
}

// View draws the head line and the lines on screen.
func (m *Model) View() string {
	return m.Draw(func() string {
		state := styles.OK.Render("following")
		if !m.follow {
			state = styles.Dim.Render("paused (G follows)")
		}
		head := styles.Title.Render("logs of "+m.name) + "  " + state + styles.Dim.Render("  t times  / filter  esc closes")
		switch {
		case m.Err != nil:
			return head + "\n" + styles.Error.Render(m.Err.Error())
		case len(m.entries) == 0:
			return head + "\n" + styles.Dim.Render("no output yet")
		}
		return head + "\n" + m.Lines.View()
	})
}
