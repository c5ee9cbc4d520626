package cgroupsview_test

import (
	"strings"
	"testing"

	"workbench/testutil/golden"
	"workbench/tui/cgroupsview"
	"workbench/tui/fixture"
	"workbench/tui/pane"
	"workbench/tui/panetest"
)

func loaded(n, w, h int) *cgroupsview.Model {
	m := cgroupsview.New(fixture.CgroupSource{Snapshot: fixture.Cgroups(n)})
	panetest.Load(m, w, h)
	return m
}

func TestViewGolden(t *testing.T) {
	panetest.Golden(t, "cgroups", func(w, h int) string { return loaded(4, w, h).View() })
}

func TestPlusAndMinusChangeTheCPULimitThroughTheCLI(t *testing.T) {
	m := loaded(3, 80, 24)
	for k, want := range map[string]string{"+": "update --cpus 0.60 web0", "-": "update --cpus 0.40 web0"} {
		run, ok := m.Update(panetest.Key(k))().(pane.RunMsg)
		if !ok || strings.Join(run.Args, " ") != want {
			t.Errorf("%s asked for %#v, want %q", k, run, want)
		}
	}
	panetest.Press(m, "j") // web1 has no limit
	if st, ok := m.Update(panetest.Key("+"))().(pane.StatusMsg); !ok || !strings.Contains(st.Text, "no CPU limit") {
		t.Errorf("+ on a container without a limit said %#v", st)
	}
	if run, ok := m.Update(panetest.Key("-"))().(pane.RunMsg); !ok || strings.Join(run.Args, " ") != "update --cpus 1.00 web1" {
		t.Errorf("- on a container without a limit asked for %#v", run)
	}
}

func TestFollowsTheContainersPaneSelection(t *testing.T) {
	m := loaded(3, 160, 48)
	m.Update(pane.SelectMsg{Container: "web2"})
	if v := golden.Plain(m.View()); !strings.Contains(v, "web2 CPU %") {
		t.Errorf("the chart does not follow the selection:\n%s", v)
	}
}
