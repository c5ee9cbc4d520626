package cmdline

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"workbench/tui/pane"
)

// submitted types line and presses enter: the messages the line sends.
func submitted(line string) []tea.Msg {
	m := New([]string{"ps"})
	m.Open()
	m.Update(tea.PasteMsg{Content: line})
	var out []tea.Msg
	var collect func(tea.Cmd)
	collect = func(c tea.Cmd) {
		if c == nil {
			return
		}
		if b, ok := c().(tea.BatchMsg); ok {
			for _, c := range b {
				collect(c)
			}
			return
		}
		out = append(out, c())
	}
	collect(m.Update(tea.KeyPressMsg{Code: tea.KeyEnter}))
	return out
}

// TestLeadingWordAndErrors: "workbench ps" runs ps; a line that cannot be split, or
// "workbench" alone, closes the line and says why in the status line.
func TestLeadingWordAndErrors(t *testing.T) {
	msgs := submitted("workbench ps -a")
	if run, ok := msgs[0].(pane.RunMsg); len(msgs) != 1 || !ok || strings.Join(run.Args, " ") != "ps -a" || !run.Show {
		t.Errorf("workbench ps -a gave %#v", msgs)
	}
	for _, line := range []string{"workbench", "ps 'unclosed"} {
		msgs := submitted(line)
		closed, status := false, ""
		for _, msg := range msgs {
			switch msg := msg.(type) {
			case ClosedMsg:
				closed = true
			case pane.StatusMsg:
				status = msg.Text
			}
		}
		if !closed || status == "" {
			t.Errorf("%q gave %#v, want the line closed and a reason", line, msgs)
		}
	}
	if got := TrimProgram([]string{"workbench"}); len(got) != 0 {
		t.Errorf("TrimProgram(workbench) = %q", got)
	}
}
