package containers_test

import (
	"strings"
	"testing"

	"workbench/testutil/golden"
	"workbench/tui/fixture"
	"workbench/tui/pane"
	"workbench/tui/panetest"
)

func TestFilterNarrowsTheRowsAndNJumpsBetweenThem(t *testing.T) {
	m := loaded(&fixture.ContainerSource{Snapshot: fixture.Containers(12)}, 80, 24)
	if v := panetest.Filter(t, m, "web1"); strings.Contains(v, "web2 ") || !strings.Contains(v, "web10") || !strings.Contains(v, "/web1") {
		t.Errorf("the filter web1 shows:\n%s", v)
	}
	for _, c := range []struct{ key, want string }{{"n", "web10"}, {"n", "web11"}, {"n", "web1"}, {"N", "web11"}} {
		panetest.Press(m, c.key)
		if m.Selected() != c.want {
			t.Errorf("%s selected %q, want %q", c.key, m.Selected(), c.want)
		}
	}
	panetest.Press(m, "esc")
	if v := golden.Plain(m.View()); m.Filter() != "" || !strings.Contains(v, "web2 ") || m.Selected() != "web11" {
		t.Errorf("esc left the filter %q and the selection %q:\n%s", m.Filter(), m.Selected(), v)
	}
	panetest.Press(m, "/")
	panetest.Type(m, "nothing-like-it")
	if v := golden.Plain(m.View()); !strings.Contains(v, "no container matches /nothing-like-it") {
		t.Errorf("a filter that matches nothing shows:\n%s", v)
	}
	panetest.Press(m, "esc")
	if m.Typing() || m.Filter() != "" {
		t.Errorf("esc while typing left the filter open (%v) or set (%q)", m.Typing(), m.Filter())
	}
}

func TestSortKeyCyclesNameCPUMemoryCreated(t *testing.T) {
	m := loaded(&fixture.ContainerSource{Snapshot: fixture.Containers(12)}, 160, 48)
	first := func() string {
		lines := strings.Split(golden.Plain(m.View()), "\n")
		return strings.Fields(lines[1])[0]
	}
	// Natural order by name: web2 comes before web10.
	v := golden.Plain(m.View())
	if !strings.Contains(v, "NAME↑") || strings.Index(v, "web2 ") > strings.Index(v, "web10") {
		t.Errorf("the first order is not by name, naturally:\n%s", v)
	}
	for _, c := range []struct{ header, first string }{
		{"CPU%↓", "web6"},   // 6 * 3.5 %, the most
		{"MEMORY↓", "web4"}, // 5 MiB, the most; web4 before web9 by name
		{"NAME (newest first)", "web11"},
		{"NAME↑", "web0"},
	} {
		panetest.Press(m, "o")
		if v := golden.Plain(m.View()); !strings.Contains(v, c.header) || first() != c.first {
			t.Errorf("after o: want header %q and %s first:\n%s", c.header, c.first, v)
		}
	}
}

func TestClickSelectsTheRow(t *testing.T) {
	m := loaded(&fixture.ContainerSource{Snapshot: fixture.Containers(5)}, 80, 24)
	panetest.Run(m, m.Update(pane.ClickMsg{X: 3, Y: 3}))
	if m.Selected() != "web2" {
		t.Errorf("a click on the third row selected %q, want web2", m.Selected())
	}
	panetest.Run(m, m.Update(pane.ClickMsg{X: 3, Y: 0})) // the header
	if m.Selected() != "web2" {
		t.Errorf("a click on the header selected %q", m.Selected())
	}
}

func TestRemovingTheLastRowSelectsTheNewLastRow(t *testing.T) {
	src := &fixture.ContainerSource{Snapshot: fixture.Containers(5)}
	m := loaded(src, 80, 24)
	panetest.Press(m, "G")
	if m.Selected() != "web4" {
		t.Fatalf("G selected %q, want web4", m.Selected())
	}
	src.Snapshot.Containers = src.Snapshot.Containers[:4]
	panetest.Run(m, m.Reload())
	if m.Selected() != "web3" {
		t.Errorf("after the last row went, %q is selected, want web3", m.Selected())
	}
}

func TestRowsShowTheExitCodeWhatIsAttachedAndWholeNames(t *testing.T) {
	snap := fixture.Containers(3)
	snap.Containers[1].Name = "a-rather-long-container-name"
	for _, w := range []int{80, 120} {
		m := loaded(&fixture.ContainerSource{Snapshot: snap}, w, 24)
		v := golden.Plain(m.View())
		var exited string
		for _, l := range strings.Split(v, "\n") {
			if strings.HasPrefix(l, "web2 ") {
				exited = l
			}
		}
		if !strings.Contains(exited, "Exited (137)") || strings.Contains(exited, "bridge") || !strings.Contains(exited, " - ") {
			t.Errorf("at %d the exited row is %q, want its code and no network", w, exited)
		}
		if !strings.Contains(v, "a-rather-long-container-name ") {
			t.Errorf("at %d the long name is cut:\n%s", w, v)
		}
	}
}

func TestEveryColumnFitsTheWidth(t *testing.T) {
	snap := fixture.Containers(3)
	snap.Containers[0].Networks = []string{"bridge 172.18.0.2/16", "backend 172.20.0.2/16", "frontend 172.21.0.2/16"}
	snap.Containers[0].Name = strings.Repeat("n", 60)
	for _, w := range []int{60, 80, 100, 120} {
		m := loaded(&fixture.ContainerSource{Snapshot: snap}, w, 24)
		for _, l := range strings.Split(golden.Plain(m.View()), "\n")[:4] {
			if strings.Contains(l, "…") && strings.Count(l, "…") > 2 {
				t.Errorf("at %d more than two cells are cut: %q", w, l)
			}
		}
		if v := golden.Plain(m.View()); !strings.Contains(v, "STATE") || !strings.Contains(v, "MEMORY") {
			t.Errorf("at %d a column is gone:\n%s", w, v)
		}
	}
}
