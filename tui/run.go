package tui

import (
	"bytes"
	"context"
	"os/exec"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"

	"workbench/tui/form"
	"workbench/tui/pane"
	"workbench/tui/textview"
)

// ranMsg is the result of one CLI command line.
type ranMsg struct {
	id          int
	args        []string
	code        int
	out, errOut string
	quiet, show bool
	form        *form.Model // the dialog that asked for the command, or nil
}

// run starts a CLI command line in the background with a spinner; its result comes
// back as a ranMsg, so the keyboard never waits for the engine. A command a dialog
// asked for (from) reopens it with the error when it fails.
func (m *Model) run(msg pane.RunMsg, from *form.Model) tea.Cmd {
	if len(msg.Args) == 0 || m.opts.Run == nil {
		return nil
	}
	m.busy++
	m.status, m.statusErr = "running: "+strings.Join(msg.Args, " "), false
	if msg.Label != "" {
		m.status = msg.Label
	}
	ctx, cancel := context.WithCancel(m.ctx)
	id := m.started(msg, cancel)
	run := m.opts.Run
	job := func() tea.Msg {
		defer cancel()
		var out, errOut bytes.Buffer
		code := run(ctx, msg.Args, strings.NewReader(""), &out, &errOut)
		return ranMsg{id: id, args: msg.Args, code: code, out: out.String(), errOut: errOut.String(), quiet: msg.Quiet, show: msg.Show, form: from}
	}
	return tea.Batch(job, m.spin.Tick)
}

// ran shows a command's result in the status line and reloads every pane.
func (m *Model) ran(msg ranMsg) tea.Cmd {
	if !m.ended(msg.id) {
		return m.refreshAll() // cancelled: the status line has said so
	}
	m.busy = max(0, m.busy-1)
	cmdline := strings.Join(msg.args, " ")
	switch {
	case msg.code != 0:
		text := lastLine(msg.errOut)
		if text == "" {
			text = lastLine(msg.out)
		}
		if text == "" {
			text = cmdline + ": exit status " + strconv.Itoa(msg.code)
		}
		m.status, m.statusErr = text, true
		m.failed(msg, text)
	case msg.quiet:
		m.status, m.statusErr = "", false
	default:
		text := lastLine(msg.out)
		if text == "" {
			text = "done: " + cmdline
		}
		m.status, m.statusErr = text, false
	}
	if out := strings.TrimRight(msg.out, "\n"); msg.show && msg.code == 0 && strings.Contains(out, "\n") {
		m.open(textview.New("$ workbench "+cmdline, out))
		m.status = "done: " + cmdline
	}
	return m.refreshAll()
}

// exec gives the terminal to the workbench binary with args (a shell in a container)
// and comes back when it exits.
func (m *Model) exec(msg pane.ExecMsg) tea.Cmd {
	if m.opts.Executable == "" {
		return pane.Status("cannot start a shell: the workbench binary was not found", true)
	}
	c := exec.Command(m.opts.Executable, msg.Args...)
	return tea.ExecProcess(c, func(err error) tea.Msg {
		if err != nil {
			return pane.StatusMsg{Text: "the shell ended with an error: " + err.Error(), Err: true}
		}
		return pane.StatusMsg{Text: "back from: workbench " + strings.Join(msg.Args, " ")}
	})
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		// Words only: a table's tabs and runs of spaces would not line up here.
		if t := strings.Join(strings.Fields(lines[i]), " "); t != "" {
			return t
		}
	}
	return ""
}
