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
	return panetest.Load(containers.New(src), w, h)
}

func TestViewGolden(t *testing.T) {
	for _, n := range []int{0, 3, 40} {
		panetest.Golden(t, "containers-"+strconv.Itoa(n), func(w, h int) *containers.Model {
			return loaded(&fixture.ContainerSource{Snapshot: fixture.Containers(n)}, w, h)
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
	for key, want := range map[string]string{"s": "stop web1", "r": "restart web1", "p": "pause web1"} {
		if got := runArgs(m.Update(panetest.Key(key))); got != want {
			t.Errorf("key %s asked for %q, want %q", key, got, want)
		}
	}
	if tr, ok := m.Update(panetest.Key("T"))().(pane.TraceMsg); !ok || tr != (pane.TraceMsg{From: "web1"}) {
		t.Errorf("T asked for %#v, want a probe from web1", tr)
	}
	exec, ok := m.Update(panetest.Key("x"))().(pane.ExecMsg)
	if !ok || strings.Join(exec.Args, " ") != "exec -it web1 sh" {
		t.Errorf("x asked for %#v, want a shell in web1", exec)
	}
	// Paused, web1 gets no shell that would freeze with it.
	paused := fixture.Containers(3)
	paused.Containers[1].Paused = true
	pm := loaded(&fixture.ContainerSource{Snapshot: paused}, 80, 24)
	pm.Update(panetest.Key("j"))
	if st, ok := pm.Update(panetest.Key("x"))().(pane.StatusMsg); !ok || !strings.Contains(st.Text, "web1 is paused") {
		t.Errorf("x on a paused container gave %#v", st)
	}
	if got := runArgs(pm.Update(panetest.Key("p"))); got != "unpause web1" {
		t.Errorf("p on a paused container asked for %q, want unpause web1", got)
	}
	// web2 has exited: s starts it, and x asks the engine, which says why it cannot.
	panetest.Press(m, "j")
	for key, want := range map[string]string{"s": "start web2", "x": "exec web2 sh"} {
		if got := runArgs(m.Update(panetest.Key(key))); got != want {
			t.Errorf("key %s on an exited container asked for %q, want %q", key, got, want)
		}
	}
}

// runArgs is the command line a pane's work asks the app to run, or "".
func runArgs(cmd tea.Cmd) string {
	if cmd == nil {
		return ""
	}
	run, _ := cmd().(pane.RunMsg)
	return strings.Join(run.Args, " ")
}

func TestDestructiveKeysAskFirst(t *testing.T) {
	m := loaded(&fixture.ContainerSource{Snapshot: fixture.Containers(3)}, 80, 24)
	for _, c := range []struct{ key, question, want string }{
		{"K", "kill web0?", "kill web0"},
		{"d", "remove web0? it is running", "rm -f web0"},
	} {
		if cmd := m.Update(panetest.Key(c.key)); cmd != nil {
			t.Errorf("%s acted before asking: %q", c.key, runArgs(cmd))
		}
		if v := golden.Plain(m.View()); !strings.Contains(v, c.question) || !strings.Contains(v, "y/N") {
			t.Errorf("%s does not ask %q:\n%s", c.key, c.question, v)
		}
		if !m.Typing() {
			t.Errorf("while %s asks, the keys do not come to the pane first", c.key)
		}
		if cmd := m.Update(panetest.Key("n")); cmd != nil {
			t.Errorf("%s then n still asked for %q", c.key, runArgs(cmd))
		}
		if strings.Contains(golden.Plain(m.View()), c.question) {
			t.Errorf("the question of %s stays after n", c.key)
		}
		m.Update(panetest.Key(c.key))
		if got := runArgs(m.Update(panetest.Key("y"))); got != c.want {
			t.Errorf("%s then y asked for %q, want %q", c.key, got, c.want)
		}
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
	panetest.Press(m, "ctrl+f")
	if m.Selected() != "web12" {
		t.Errorf("page down from web0 in a pane of 24 lines selected %q, want web12", m.Selected())
	}
	panetest.Press(m, "pgup", "ctrl+b")
	if m.Selected() != "web0" {
		t.Errorf("page up twice from web12 selected %q, want web0", m.Selected())
	}
}
