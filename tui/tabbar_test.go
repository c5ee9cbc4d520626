package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"workbench/testutil/golden"
	"workbench/tui/conntrackview"
	"workbench/tui/traceview"
)

// TestTabBarFitsEveryPaneAt80 checks that at 80 columns the tab bar of the app's eight
// panes shows every pane's number and the focused pane's whole title, and that a click
// on the last tab moves the focus there.
func TestTabBarFitsEveryPaneAt80(t *testing.T) {
	panes := testPanes(3, 40)
	panes = append(panes[:5:5], traceview.New(nil), conntrackview.New(noTables{}), panes[5])
	m := newTestModel(Options{Run: (&fakeRun{}).run, Executable: "/bin/true", Panes: panes})
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	m.setFocus(6)
	bar := strings.TrimRight(golden.Plain(m.tabBar()), " \n")
	if ansi.StringWidth(bar) > 80 || !strings.Contains(bar, "7 conntrack") || !strings.Contains(bar, "1 Con") || !strings.Contains(bar, "8 Com") {
		t.Fatalf("the tab bar at 80 columns: %q", bar)
	}
	x := strings.LastIndex(bar, "8 ")
	drain(m, func() tea.Msg { return tea.MouseClickMsg{X: ansi.StringWidth(bar[:x]), Y: 0, Button: tea.MouseLeft} })
	if m.focus != 7 {
		t.Errorf("a click on the last tab focused pane %d, want 8", m.focus+1)
	}
}
