package topologyview_test

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"workbench/tui/fixture"
	"workbench/tui/golden"
	"workbench/tui/pane"
	"workbench/tui/topologyview"
)

func loaded(w, h int) *topologyview.Model {
	m := topologyview.New(fixture.TopologySource{Snapshot: fixture.Topology(3)})
	m.SetSize(w, h)
	m.Update(m.Refresh()())
	m.Update(pane.SelectMsg{Container: "web1"})
	return m
}

func key(s string) tea.KeyPressMsg { return tea.KeyPressMsg{Code: rune(s[0]), Text: s} }

func TestViewGolden(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		name := fmt.Sprintf("topology-%dx%d", size[0], size[1])
		t.Run(name, func(t *testing.T) {
			m := loaded(size[0], size[1])
			got := m.View()
			if lines := strings.Count(got, "\n") + 1; lines != size[1] {
				t.Errorf("the pane drew %d lines, want %d", lines, size[1])
			}
			golden.Assert(t, name, got)
		})
	}
}

func TestHighlightAndHostFilter(t *testing.T) {
	m := loaded(80, 48)
	v := golden.Plain(m.View())
	if !strings.Contains(v, "▶") || !strings.Contains(v, "path of web1") {
		t.Errorf("the selected container's path is not highlighted:\n%s", v)
	}
	m.Update(key("h"))
	m.Update(key("h")) // host1, then outside
	v = golden.Plain(m.View())
	if !strings.Contains(v, "showing host outside") || strings.Contains(v, "wb0") {
		t.Errorf("h did not show outside alone:\n%s", v)
	}
	m.Update(key("h"))
	if v := golden.Plain(m.View()); !strings.Contains(v, "showing every host") {
		t.Errorf("h after the last host did not come back to every host:\n%s", v)
	}
}

func TestScroll(t *testing.T) {
	m := loaded(80, 10)
	first := m.View()
	m.Update(key("j"))
	if m.View() == first {
		t.Error("scrolling down changed nothing")
	}
	m.Update(key("g"))
	if m.View() != first {
		t.Error("g did not go back to the top")
	}
}
