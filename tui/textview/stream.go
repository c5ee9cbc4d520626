package textview

import (
	"context"
	"io"
	"strings"
	"sync/atomic"

	tea "charm.land/bubbletea/v2"
)

// ClearScreen is what a streaming table writes before each reading when its output is a
// screen (`stats`): the view then shows only what follows.
const ClearScreen = "\x1b[H\x1b[2J"

// RunFunc writes a command's output to out until it ends or ctx is cancelled, and says
// how it ended ("" = it ended well).
type RunFunc func(ctx context.Context, out io.Writer) (ended string)

// stream is a command whose output arrives in the view while it runs.
type stream struct {
	chunks chan string
	done   chan string
	cancel context.CancelFunc
	width  atomic.Int64 // the view's width, for a table that fits it
}

// chunkMsg is output of a stream, or its end.
type chunkMsg struct {
	from  *stream
	text  string
	ended *string
}

// NewStream returns a view that follows the output of run, started under ctx, and the
// work that brings the output in. Closing the view cancels run's context.
func NewStream(ctx context.Context, title string, run RunFunc) (*Model, tea.Cmd) {
	m := New(title, "")
	m.follow = true
	ctx, cancel := context.WithCancel(ctx)
	s := &stream{chunks: make(chan string, 64), done: make(chan string, 1), cancel: cancel}
	m.stream = s
	go func() {
		ended := run(ctx, screenWriter{ctx: ctx, to: s.chunks, width: &s.width})
		s.done <- ended
	}()
	return m, s.next()
}

// next waits for the stream's next output or its end.
func (s *stream) next() tea.Cmd {
	return func() tea.Msg {
		select {
		case text := <-s.chunks:
			return chunkMsg{from: s, text: text}
		case ended := <-s.done:
			// Output written before the end is still in the channel.
			var rest strings.Builder
			for len(s.chunks) > 0 {
				rest.WriteString(<-s.chunks)
			}
			return chunkMsg{from: s, text: rest.String(), ended: &ended}
		}
	}
}

// take adds output to the view and waits for more while the stream runs.
func (m *Model) take(msg chunkMsg) tea.Cmd {
	m.append(msg.text)
	if msg.ended != nil {
		m.ended = *msg.ended
		if m.ended == "" {
			m.ended = "ended"
		}
		m.relayout()
		return nil
	}
	return m.stream.next()
}

// append adds text to the lines; a clear-screen code starts them again.
func (m *Model) append(text string) {
	if i := strings.LastIndex(text, ClearScreen); i >= 0 {
		m.raw, m.partial = nil, ""
		text = text[i+len(ClearScreen):]
	}
	text = m.partial + text
	lines := strings.Split(text, "\n")
	m.partial = lines[len(lines)-1]
	m.raw = append(m.raw, lines[:len(lines)-1]...)
	m.relayout()
}

// Stop cancels the view's stream, if it has one that still runs.
func (m *Model) Stop() {
	if m.stream != nil {
		m.stream.cancel()
	}
}

// Streaming reports whether the view follows a stream that has not ended.
func (m *Model) Streaming() bool { return m.stream != nil && m.ended == "" }

// screenWriter sends what a command writes to the view; it says it is a screen, so a
// streaming table redraws in place instead of adding a table a second.
type screenWriter struct {
	ctx   context.Context
	to    chan<- string
	width *atomic.Int64
}

func (w screenWriter) Write(p []byte) (int, error) {
	select {
	case w.to <- string(p):
		return len(p), nil
	case <-w.ctx.Done():
		return 0, w.ctx.Err()
	}
}

// IsTerminal says that the output is shown on a screen.
func (screenWriter) IsTerminal() bool { return true }

// Width is the view's width in cells, for a table that fits it.
func (w screenWriter) Width() int { return int(w.width.Load()) }
