package containers_test

import (
	"strconv"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"workbench/testutil/golden"
	"workbench/tui/containers"
	"workbench/tui/fixture"
	"workbench/tui/pane"
	"workbench/tui/panetest"
)

func loaded(src *fixture.ContainerSource, w, h int) *containers.Model {
	m := containers.New(src)
	panetest.Load(m, w, h)
	return m
}

func TestViewGolden(t *testing.T) {
	for _, n := range []int{0, 3, 40} {
		panetest.Golden(t, "containers-"+strconv.Itoa(n), func(w, h int) string {
			return loaded(&fixture.ContainerSource{Snapshot: fixture.Containers(n)}, w, h).View()
		})
	}
}

func TestKeysMoveSelectionAndAct(t *testing.T) {
	m := loaded(&fixture.ContainerSource{Snapshot: fixture.Containers(3)}, 80, 24)
	if m.Selected() != "web0" {
		t.Fatalf("selected %q after the first load, want web0", m.Selected())
	}
	cmd := m.Update(panetest.Key("down"))
	if cmd == nil {
		t.Fatal("moving down sent no selection message")
	}
	var sel pane.SelectMsg
	for _, c := range cmd().(tea.BatchMsg) {
		if s, ok := c().(pane.SelectMsg); ok {
			sel = s
		}
	}
	if sel.Container != "web1" {
		t.Fatalf("moving down sent %#v, want the selection of web1", sel)
	}
	for key, want := range map[string]string{"K": "kill web1", "S": "stop web1", "D": "rm -f web1"} {
		run, ok := m.Update(panetest.Key(key))().(pane.RunMsg)
		if !ok || strings.Join(run.Args, " ") != want {
			t.Errorf("key %s asked for %#v, want %q", key, run, want)
		}
	}
	if tr, ok := m.Update(panetest.Key("T"))().(pane.TraceMsg); !ok || tr != (pane.TraceMsg{From: "web1"}) {
		t.Errorf("T asked for %#v, want a probe from web1", tr)
	}
	exec, ok := m.Update(panetest.Key("x"))().(pane.ExecMsg)
	if !ok || strings.Join(exec.Args, " ") != "exec -it web1 sh" {
		t.Errorf("x asked for %#v, want a shell in web1", exec)
	}
}

func TestSameSnapshotDrawsNothingNew(t *testing.T) {
	m := loaded(&fixture.ContainerSource{Snapshot: fixture.Containers(3)}, 80, 24)
	first := m.View()
	if cmd := m.Update(m.Reload()()); cmd != nil {
		t.Error("an unchanged snapshot started work")
	}
	if m.View() != first {
		t.Error("an unchanged snapshot changed the picture")
	}
}

func TestSelectionFollowsTheContainerWhenRowsChange(t *testing.T) {
	src := &fixture.ContainerSource{Snapshot: fixture.Containers(3)}
	m := loaded(src, 80, 24)
	panetest.Press(m, "down", "down")
	src.Snapshot.Containers = src.Snapshot.Containers[1:] // web0 is gone
	panetest.Run(m, m.Reload())
	if m.Selected() != "web2" {
		t.Errorf("selected %q after a row went away, want web2 still", m.Selected())
	}
	if v := golden.Plain(m.View()); strings.Contains(v, "web0") || !strings.Contains(v, "web2") {
		t.Errorf("the new rows are not drawn:\n%s", v)
	}
}

func TestPageKeysMoveHalfAPane(t *testing.T) {
	m := loaded(&fixture.ContainerSource{Snapshot: fixture.Containers(40)}, 80, 24)
	panetest.Press(m, "f")
	if m.Selected() != "web12" {
		t.Errorf("page down from web0 in a pane of 24 lines selected %q, want web12", m.Selected())
	}
	panetest.Press(m, "b", "b")
	if m.Selected() != "web0" {
		t.Errorf("page up twice from web12 selected %q, want web0", m.Selected())
	}
}
