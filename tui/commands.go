package tui

import (
	"context"
	"io"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"workbench/tui/cmdline"
	"workbench/tui/listview"
	"workbench/tui/pane"
	"workbench/tui/textview"
)

// running is a command started in the background.
type running struct {
	line   string
	cancel context.CancelFunc
	// quiet is the app's own work (preparing the lab): esc does not cancel it.
	quiet bool
}

// runLine runs a command line as its kind asks: `:images` and `:networks` open a list
// to act on, a command that needs the terminal gets it, a stream opens a view, any
// other runs in the background.
func (m *Model) runLine(msg pane.RunMsg) tea.Cmd {
	if spec, ok := listview.For(msg.Args); ok && msg.Show && m.opts.Run != nil {
		m.list = listview.New(m.ctx, spec, listview.RunFunc(m.opts.Run))
		m.list.SetSize(m.width, m.height-3)
		return m.list.Reload()
	}
	kind := cmdline.Plain
	if m.opts.Kind != nil && len(msg.Args) > 0 {
		kind = m.opts.Kind(msg.Args)
	}
	switch kind {
	case cmdline.Interactive:
		return m.exec(pane.ExecMsg{Args: msg.Args})
	case cmdline.Streaming:
		return m.stream(msg.Args)
	}
	return m.run(msg, nil)
}

// stream runs a command that goes on until stopped, its output and errors in a view
// that esc closes, which cancels the command.
func (m *Model) stream(args []string) tea.Cmd {
	if m.opts.Run == nil {
		return nil
	}
	run := m.opts.Run
	v, cmd := textview.NewStream(m.ctx, "$ workbench "+strings.Join(args, " "), func(ctx context.Context, out io.Writer) string {
		code := run(ctx, args, strings.NewReader(""), out, out)
		switch {
		case ctx.Err() != nil:
			return "stopped"
		case code != 0:
			return "ended with exit status " + strconv.Itoa(code)
		}
		return "ended"
	})
	m.open(v)
	return cmd
}

// updateViews gives a message that is not a key to the views over the panes (a stream's
// output, a list's rows).
func (m *Model) updateViews(msg tea.Msg) tea.Cmd {
	var cmds []tea.Cmd
	if m.view != nil {
		cmds = append(cmds, m.view.Update(msg))
	}
	if m.list != nil {
		cmds = append(cmds, m.list.Update(msg))
	}
	return tea.Batch(cmds...)
}

// open shows a view over the panes until esc.
func (m *Model) open(v *textview.Model) {
	if m.view != nil {
		m.view.Stop()
	}
	m.view = v
	m.view.SetSize(m.width, m.height-3)
}

// started remembers a command that runs, for esc to cancel it, and returns its number.
func (m *Model) started(msg pane.RunMsg, cancel context.CancelFunc) int {
	if m.running == nil {
		m.running = map[int]running{}
	}
	m.runs++
	m.running[m.runs] = running{line: strings.Join(msg.Args, " "), cancel: cancel, quiet: msg.Quiet}
	return m.runs
}

// ended forgets a command that came back and says whether it was still waited for (a
// cancelled one is not).
func (m *Model) ended(id int) bool {
	if _, ok := m.running[id]; !ok {
		return false
	}
	delete(m.running, id)
	return true
}

// cancelKey cancels every command started from the `:` line, a dialog or a pane key
// that still runs, when the key is esc, and says whether it did: the context of each is
// cancelled down to the engine and the wait for the lab's lock, and the spinner stops
// at once, whenever the command gives up.
func (m *Model) cancelKey(msg tea.KeyPressMsg) bool {
	if msg.String() != "esc" {
		return false
	}
	var lines []string
	for id, r := range m.running {
		if r.quiet {
			continue
		}
		r.cancel()
		delete(m.running, id)
		m.busy = max(0, m.busy-1)
		lines = append(lines, r.line)
	}
	if len(lines) == 0 {
		return false
	}
	m.status, m.statusErr = "cancelled: "+strings.Join(lines, "; "), false
	return true
}

// failed shows a command's failure where the person sees it whole: in the dialog that
// asked for it, open again with what was typed (unless another is open now), or in a
// view when the error is wider than the status line.
func (m *Model) failed(msg ranMsg, text string) {
	if msg.form != nil && m.form == nil {
		m.form = msg.form
		m.form.SetError(text)
		m.status = "not done: the form says why"
		return
	}
	whole := strings.TrimSpace(msg.errOut)
	if whole == "" {
		whole = text
	}
	m.wideError("$ workbench "+strings.Join(msg.args, " ")+" failed", whole)
}

// wideError opens an error the status line would cut in a view, whole and wrapped.
func (m *Model) wideError(title, text string) {
	if !m.statusErr || m.width <= 0 || ansi.StringWidth(m.status) <= m.width {
		return
	}
	if title == "" {
		title = "error"
	}
	m.open(textview.NewWrapped(title, text))
}
