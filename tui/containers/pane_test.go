package containers_test

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"workbench/tui/containers"
	"workbench/tui/fixture"
	"workbench/tui/golden"
	"workbench/tui/pane"
)

func loaded(t *testing.T, n, w, h int) *containers.Model {
	t.Helper()
	m := containers.New(fixture.ContainerSource{Snapshot: fixture.Containers(n)})
	m.SetSize(w, h)
	m.Update(m.Refresh()())
	return m
}

func press(s string) tea.KeyPressMsg {
	switch s {
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	}
	return tea.KeyPressMsg{Code: rune(s[0]), Text: s}
}

func TestViewGolden(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		for _, n := range []int{0, 3, 40} {
			name := fmt.Sprintf("containers-%d-%dx%d", n, size[0], size[1])
			t.Run(name, func(t *testing.T) {
				m := loaded(t, n, size[0], size[1])
				got := m.View()
				if lines := strings.Count(got, "\n") + 1; lines != size[1] {
					t.Errorf("the pane drew %d lines, want %d", lines, size[1])
				}
				golden.Assert(t, name, got)
			})
		}
	}
}

func TestKeysMoveSelectionAndAct(t *testing.T) {
	m := loaded(t, 3, 80, 24)
	if m.Selected() != "web0" {
		t.Fatalf("selected %q after the first load, want web0", m.Selected())
	}
	cmd := m.Update(press("down"))
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
		run, ok := m.Update(press(key))().(pane.RunMsg)
		if !ok || strings.Join(run.Args, " ") != want {
			t.Errorf("key %s asked for %#v, want %q", key, run, want)
		}
	}
	exec, ok := m.Update(press("x"))().(pane.ExecMsg)
	if !ok || strings.Join(exec.Args, " ") != "exec -it web1 sh" {
		t.Errorf("x asked for %#v, want a shell in web1", exec)
	}
}

func TestSameSnapshotDrawsNothingNew(t *testing.T) {
	m := loaded(t, 3, 80, 24)
	first := m.View()
	if cmd := m.Update(m.Refresh()()); cmd != nil {
		t.Error("an unchanged snapshot started work")
	}
	if m.View() != first {
		t.Error("an unchanged snapshot changed the picture")
	}
}

func TestSelectionFollowsTheContainerWhenRowsChange(t *testing.T) {
	m := loaded(t, 3, 80, 24)
	m.Update(press("down"))
	m.Update(press("down"))
	snap := fixture.Containers(3)
	snap.Containers = snap.Containers[1:] // web0 is gone
	m.Update(loadedFrom(t, snap))
	if m.Selected() != "web2" {
		t.Errorf("selected %q after a row went away, want web2 still", m.Selected())
	}
}

// loadedFrom returns the message a source serving snap would produce.
func loadedFrom(t *testing.T, snap containers.Snapshot) tea.Msg {
	t.Helper()
	return containers.New(fixture.ContainerSource{Snapshot: snap}).Refresh()()
}
