package textview

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// TestStreamRedrawsAfterClearScreen: a table that redraws in place (stats) keeps only
// its last reading; lines cut across writes come whole; the writer says it is a screen.
func TestStreamRedrawsAfterClearScreen(t *testing.T) {
	m, next := NewStream(context.Background(), "$ workbench stats", func(ctx context.Context, out io.Writer) string {
		if _, ok := out.(interface{ IsTerminal() bool }); !ok {
			return "not a screen"
		}
		fmt.Fprint(out, ClearScreen+"NAME CPU\nweb 1%\n")
		fmt.Fprint(out, ClearScreen+"NAME CPU\nweb 2")
		fmt.Fprint(out, "%\n")
		return "ended"
	})
	m.SetSize(40, 5)
	for next != nil {
		next = m.Update(next())
	}
	if got := m.Text(); got != "NAME CPU\nweb 2%" {
		t.Errorf("the view holds %q, want the last reading", got)
	}
	if !strings.Contains(m.View(), "ended") || m.Streaming() {
		t.Errorf("the view does not say the stream ended:\n%s", m.View())
	}
}

// TestWrappedBreaksBetweenWords: an error view wraps at the width, words whole.
func TestWrappedBreaksBetweenWords(t *testing.T) {
	m := NewWrapped("failed", "workbench: another workbench command holds the lab (pid 42: workbench run): wait for it to end, or stop it")
	m.SetSize(30, 10)
	lines := strings.Split(m.View(), "\n")[1:]
	if len(lines) < 4 {
		t.Fatalf("not wrapped: %q", lines)
	}
	for _, l := range lines {
		if len([]rune(l)) > 30 || strings.HasSuffix(l, "wo") {
			t.Errorf("line %q is too wide or cut inside a word", l)
		}
	}
	if cmd := m.Update(tea.KeyPressMsg{Code: tea.KeyEscape}); cmd == nil {
		t.Error("esc does not close the view")
	} else if _, ok := cmd().(ClosedMsg); !ok {
		t.Error("esc does not close the view")
	}
}
