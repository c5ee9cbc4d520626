package cgroupsview_test

import (
	"fmt"
	"strings"
	"testing"

	"workbench/testutil"
	"workbench/testutil/golden"
	"workbench/tui/cgroupsview"
	"workbench/tui/fixture"
	"workbench/tui/pane"
	"workbench/tui/panetest"
)

func loaded(n, w, h int) *cgroupsview.Model {
	return panetest.Load(cgroupsview.New(fixture.CgroupSource{Snapshot: fixture.Cgroups(n)}), w, h)
}

func TestViewGolden(t *testing.T) {
	panetest.Golden(t, "cgroups", func(w, h int) *cgroupsview.Model { return loaded(4, w, h) })
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

func TestSameKeysAsTheContainersPane(t *testing.T) {
	m := loaded(12, 80, 24)
	for _, c := range []struct{ keys, want string }{
		{"G", "web11"}, {"g", "web0"}, {"j", "web1"}, {"k", "web0"}, {"ctrl+f", "web8"}, {"pgup", "web0"},
	} {
		panetest.Press(m, c.keys)
		if m.Selected() != c.want {
			t.Errorf("%s selected %q, want %q", c.keys, m.Selected(), c.want)
		}
	}
}

func TestNaturalOrderAndTheSortKey(t *testing.T) {
	m := loaded(12, 160, 48)
	names := func() []string {
		var out []string
		for _, l := range strings.Split(golden.Plain(m.View()), "\n")[1:] {
			if f := strings.Fields(l); len(f) > 0 && strings.HasPrefix(f[0], "web") {
				out = append(out, f[0])
			}
		}
		return out
	}
	if got := strings.Join(names()[:4], " "); got != "web0 web1 web2 web3" {
		t.Errorf("the first rows are %q, want the natural order web0 web1 web2 web3", got)
	}
	panetest.Press(m, "o") // CPU: web0 runs at 50 %
	if v := golden.Plain(m.View()); !strings.Contains(v, "CPU%/LIM↓") || names()[0] != "web0" {
		t.Errorf("by CPU:\n%s", v)
	}
	panetest.Press(m, "o") // memory: i%5+1 MiB, web4 and web9 the most
	if got := names(); got[0] != "web4" || got[1] != "web9" {
		t.Errorf("by memory the first rows are %v, want web4 web9", got[:2])
	}
}

func TestFilterAndClick(t *testing.T) {
	m := loaded(12, 80, 24)
	panetest.Filter(t, m, "web1")
	panetest.Press(m, "n")
	if m.Selected() != "web10" {
		t.Errorf("n after the filter web1 selected %q, want web10", m.Selected())
	}
	if v := golden.Plain(m.View()); strings.Contains(v, "web2 ") || !strings.Contains(v, "/web1") {
		t.Errorf("the filter web1 shows:\n%s", v)
	}
	panetest.Press(m, "esc")
	m.Update(pane.ClickMsg{X: 2, Y: 3})
	if m.Selected() != "web2" {
		t.Errorf("a click on the third row selected %q, want web2", m.Selected())
	}
}

// TestSelectsTheRowOfAContainerGone: when the selected container goes, its row stays
// selected, with the container now on it, as in the containers pane.
func TestSelectsTheRowOfAContainerGone(t *testing.T) {
	src := &fixture.CgroupSource{Snapshot: fixture.Cgroups(4)}
	m := panetest.Load(cgroupsview.New(src), 80, 24)
	panetest.Press(m, "j", "j")
	src.Snapshot = fixture.Cgroups(4)
	src.Snapshot.Series = append(src.Snapshot.Series[:2:2], src.Snapshot.Series[3:]...) // web2 is gone
	panetest.Run(m, m.Reload())
	if m.Selected() != "web3" {
		t.Errorf("selected %q after web2 went, want web3 on its row", m.Selected())
	}
}

// TestNameColumnWidensWhereThereIsRoom: a wide pane shows a long name and the header
// sorted by creation whole; at 80 columns the name column keeps its ten cells and the
// sparkline its room.
func TestNameColumnWidensWhereThereIsRoom(t *testing.T) {
	src := &fixture.CgroupSource{Snapshot: fixture.Cgroups(3)}
	src.Snapshot.Series[1].Target.Name = "frontend-blue-2"
	for _, c := range []struct {
		width int
		wants []string
	}{
		{120, []string{"NAME (newest first) ", "frontend-blue-2 "}},
		{80, []string{"NAME (new… CPU", "frontend-… "}},
	} {
		m := panetest.Load(cgroupsview.New(src), c.width, 24)
		panetest.Press(m, "o", "o", "o") // by creation
		testutil.Contains(t, fmt.Sprintf("the pane at %d columns", c.width), golden.Plain(m.View()), c.wants...)
	}
}
