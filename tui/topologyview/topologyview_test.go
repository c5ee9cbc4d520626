package topologyview_test

import (
	"strings"
	"testing"

	"workbench/testutil/golden"
	"workbench/tui/fixture"
	"workbench/tui/pane"
	"workbench/tui/panetest"
	"workbench/tui/topologyview"
)

func loaded(w, h int) *topologyview.Model {
	m := topologyview.New(fixture.TopologySource{Snapshot: fixture.Topology(3)})
	panetest.Load(m, w, h)
	m.Update(pane.SelectMsg{Container: "web1"})
	return m
}

func TestViewGolden(t *testing.T) {
	panetest.Golden(t, "topology", func(w, h int) string { return loaded(w, h).View() })
}

func TestHighlightAndHostFilter(t *testing.T) {
	m := loaded(80, 48)
	v := golden.Plain(m.View())
	if !strings.Contains(v, "▶") || !strings.Contains(v, "path of web1") {
		t.Errorf("the selected container's path is not highlighted:\n%s", v)
	}
	panetest.Press(m, "h", "h") // host1, then outside
	v = golden.Plain(m.View())
	if !strings.Contains(v, "showing host outside") || strings.Contains(v, "wb0") {
		t.Errorf("h did not show outside alone:\n%s", v)
	}
	panetest.Press(m, "h")
	if v := golden.Plain(m.View()); !strings.Contains(v, "showing every host") {
		t.Errorf("h after the last host did not come back to every host:\n%s", v)
	}
}

func TestScroll(t *testing.T) {
	m := loaded(80, 10)
	first := m.View()
	panetest.Press(m, "j")
	if m.View() == first {
		t.Error("scrolling down changed nothing")
	}
	panetest.Press(m, "g")
	if m.View() != first {
		t.Error("g did not go back to the top")
	}
}
