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
	m := panetest.Load(topologyview.New(fixture.TopologySource{Snapshot: fixture.Topology(3)}), w, h)
	m.Update(pane.SelectMsg{Container: "web1"})
	return m
}

func TestViewGolden(t *testing.T) {
	panetest.Golden(t, "topology", loaded)
}

func TestHighlightAndHostFilter(t *testing.T) {
	m := loaded(80, 48)
	v := golden.Plain(m.View())
	if !strings.Contains(v, "▶") || !strings.Contains(v, "path of web1") {
		t.Errorf("the selected container's path is not highlighted:\n%s", v)
	}
	panetest.Press(m, "l", "l") // host1, then outside
	v = golden.Plain(m.View())
	if !strings.Contains(v, "showing host outside") || strings.Contains(v, "wb0") {
		t.Errorf("l did not show outside alone:\n%s", v)
	}
	panetest.Press(m, "l")
	if v := golden.Plain(m.View()); !strings.Contains(v, "showing every host") {
		t.Errorf("l after the last host did not come back to every host:\n%s", v)
	}
	panetest.Press(m, "h")
	if v := golden.Plain(m.View()); !strings.Contains(v, "showing host outside") {
		t.Errorf("h from every host did not go back to the last host:\n%s", v)
	}
}

func TestFilterMarksLinesAndJumps(t *testing.T) {
	m := loaded(80, 10)
	if v := panetest.Filter(t, m, "outside"); !strings.Contains(v, "outside") || !strings.Contains(v, "/outside") {
		t.Fatalf("the filter did not scroll to a match:\n%s", v)
	}
	panetest.Press(m, "g")
	top := golden.Plain(m.View())
	panetest.Press(m, "n")
	if golden.Plain(m.View()) == top {
		t.Errorf("n did not jump to a match below the top:\n%s", top)
	}
	panetest.Press(m, "esc")
	if m.Filter() != "" || strings.Contains(golden.Plain(m.View()), "/outside") {
		t.Errorf("esc did not clear the filter:\n%s", golden.Plain(m.View()))
	}
}

// TestScrollAndGoToTopAndBottom: j scrolls down and G goes to the bottom; g goes back
// to the top.
func TestScrollAndGoToTopAndBottom(t *testing.T) {
	for _, key := range []string{"j", "G"} {
		panetest.MoveAndBack(t, loaded(80, 10), "g", key)
	}
}

// TestJourneyPath: the links of a journey the Trace pane sends are marked, and only
// those; an empty path clears the marks.
func TestJourneyPath(t *testing.T) {
	m := panetest.Load(topologyview.New(fixture.TopologySource{Snapshot: fixture.Topology(3)}), 120, 48)
	if strings.Contains(golden.Plain(m.View()), "▶") {
		t.Fatalf("marks before any journey:\n%s", golden.Plain(m.View()))
	}
	m.Update(pane.PathMsg{Label: "outside → web1:80/tcp", Links: []pane.PathLink{
		{Namespace: "outside", Link: "eth0"}, {Namespace: "lan", Link: "outside"}, {Namespace: "lan", Link: "lan0"},
		{Namespace: "lan", Link: "host1"}, {Namespace: "host1", Link: "eth0"}, {Namespace: "host1", Link: "wb0"},
		{Namespace: "host1", Link: "veth0001"}, {Namespace: "web1", Link: "eth0"},
	}})
	v := golden.Plain(m.View())
	if !strings.Contains(v, "▶ journey outside → web1:80/tcp") {
		t.Errorf("the head does not name the journey:\n%s", v)
	}
	marked := map[string]bool{}
	for _, l := range strings.Split(v, "\n") {
		if strings.HasPrefix(l, "▶") {
			f := strings.Fields(strings.TrimLeft(l, "▶ ├└│─"))
			marked[f[0]] = true
		}
	}
	for _, want := range []string{"lan0", "host1", "outside", "eth0", "wb0", "veth0001"} {
		if !marked[want] {
			t.Errorf("%s is not marked:\n%s", want, v)
		}
	}
	for _, not := range []string{"veth0000", "veth0002", "world0"} {
		if marked[not] {
			t.Errorf("%s is marked, off the journey:\n%s", not, v)
		}
	}
	m.Update(pane.PathMsg{})
	if v := golden.Plain(m.View()); strings.Contains(v, "▶") {
		t.Errorf("an empty path leaves marks:\n%s", v)
	}
}
