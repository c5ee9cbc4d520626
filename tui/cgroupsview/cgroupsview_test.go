package cgroupsview_test

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"workbench/tui/cgroupsview"
	"workbench/tui/fixture"
	"workbench/tui/golden"
	"workbench/tui/pane"
)

func loaded(n, w, h int) *cgroupsview.Model {
	m := cgroupsview.New(fixture.CgroupSource{Snapshot: fixture.Cgroups(n)})
	m.SetSize(w, h)
	m.Update(m.Refresh()())
	return m
}

func key(s string) tea.KeyPressMsg { return tea.KeyPressMsg{Code: rune(s[0]), Text: s} }

func TestViewGolden(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		name := fmt.Sprintf("cgroups-%dx%d", size[0], size[1])
		t.Run(name, func(t *testing.T) {
			m := loaded(4, size[0], size[1])
			got := m.View()
			if lines := strings.Count(got, "\n") + 1; lines != size[1] {
				t.Errorf("the pane drew %d lines, want %d", lines, size[1])
			}
			golden.Assert(t, name, got)
		})
	}
}

func TestPlusAndMinusChangeTheCPULimitThroughTheCLI(t *testing.T) {
	m := loaded(3, 80, 24)
	for k, want := range map[string]string{"+": "update --cpus 0.60 web0", "-": "update --cpus 0.40 web0"} {
		run, ok := m.Update(key(k))().(pane.RunMsg)
		if !ok || strings.Join(run.Args, " ") != want {
			t.Errorf("%s asked for %#v, want %q", k, run, want)
		}
	}
	m.Update(key("j")) // web1 has no limit
	if st, ok := m.Update(key("+"))().(pane.StatusMsg); !ok || !strings.Contains(st.Text, "no CPU limit") {
		t.Errorf("+ on a container without a limit said %#v", st)
	}
	if run, ok := m.Update(key("-"))().(pane.RunMsg); !ok || strings.Join(run.Args, " ") != "update --cpus 1.00 web1" {
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
