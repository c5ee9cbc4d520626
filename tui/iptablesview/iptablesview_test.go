package iptablesview_test

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"workbench/testutil/golden"
	"workbench/tui/fixture"
	"workbench/tui/iptablesview"
	"workbench/tui/pane"
	"workbench/tui/panetest"
)

func loaded(w, h int) *iptablesview.Model {
	m := iptablesview.New(fixture.NewIPTablesSource(40))
	panetest.Load(m, w, h)
	panetest.Load(m, w, h) // a second read: the DNAT rule moved
	return m
}

func TestViewGolden(t *testing.T) {
	panetest.Golden(t, "iptables", loaded)
}

func TestMovedRuleIsLitAndTableFilter(t *testing.T) {
	m := loaded(160, 48)
	panetest.Press(m, "t", "t", "t") // all -> raw -> mangle -> nat
	v := golden.Plain(m.View())
	if !strings.Contains(v, "table nat") || strings.Contains(v, "table filter") {
		t.Errorf("the table filter on nat shows:\n%s", v)
	}
	if !strings.Contains(v, "+1") {
		t.Errorf("the DNAT rule that moved is not shown with its movement:\n%s", v)
	}
}

func TestHostChooserReadsTheOtherHost(t *testing.T) {
	m := loaded(80, 24)
	panetest.Press(m, "l")
	v := golden.Plain(m.View())
	if !strings.Contains(v, "host  host1  host2 ") || !strings.Contains(v, "table all") || strings.Contains(v, "reading the tables") {
		t.Errorf("after choosing host2 the pane shows:\n%s", v)
	}
}

func TestZeroReportsAndRereads(t *testing.T) {
	m := loaded(80, 24)
	if cmd := m.Update(panetest.Key("Z")); cmd != nil || !strings.Contains(golden.Plain(m.View()), "zero every counter on host1? y/N") {
		t.Fatalf("Z did not ask first:\n%s", golden.Plain(m.View()))
	}
	if cmd := m.Update(panetest.Key("n")); cmd != nil {
		t.Fatal("Z then n zeroed the counters")
	}
	m.Update(panetest.Key("Z"))
	cmd := m.Update(panetest.Key("y"))
	if cmd == nil {
		t.Fatal("Z then y did nothing")
	}
	next := m.Update(cmd())
	if next == nil {
		t.Fatal("zeroing did not report and read again")
	}
	var said []string
	reads := 0
	for _, c := range next().(tea.BatchMsg) {
		if st, ok := c().(pane.StatusMsg); ok {
			said = append(said, st.Text)
		} else {
			reads++
		}
	}
	if strings.Join(said, "") != "counters zeroed on host1" || reads != 1 {
		t.Errorf("zeroing said %q and read %d times, want one word and one read", said, reads)
	}
}

func TestScrollStopsAtTheEnds(t *testing.T) {
	m := loaded(80, 24)
	first := m.View()
	panetest.Press(m, "k")
	if m.View() != first {
		t.Error("scrolling up at the top changed the picture")
	}
	for i := 0; i < 200; i++ {
		panetest.Press(m, "j")
	}
	last := m.View()
	panetest.Press(m, "j")
	if m.View() != last || last == first {
		t.Error("scrolling down did not stop at the end")
	}
}

func TestFilterMarksRulesAndJumps(t *testing.T) {
	m := loaded(80, 24)
	if v := panetest.Filter(t, m, "dport 8080"); !strings.Contains(v, "--dport 8080") || !strings.Contains(v, "/dport 8080") {
		t.Errorf("the filter did not show a matching rule:\n%s", v)
	}
	panetest.Press(m, "esc")
	if m.Filter() != "" {
		t.Errorf("esc left the filter %q", m.Filter())
	}
}

// TestHighlightRule: the rule a journey hit is marked and scrolled to, on its host and
// only there; a policy marks its chain.
func TestHighlightRule(t *testing.T) {
	m := loaded(100, 12)
	panetest.Press(m, "t", "t", "t", "t") // filter: the rule below is in nat
	panetest.Run(m, m.Update(pane.HighlightRuleMsg{Host: "host2", Table: "nat", Chain: "WB-DNAT", Num: 1}))
	v := golden.Plain(m.View())
	if !strings.Contains(v, "▶ nat WB-DNAT #1") {
		t.Errorf("the head does not name the marked rule:\n%s", v)
	}
	marked := ""
	for _, l := range strings.Split(v, "\n") {
		if strings.HasPrefix(l, "▶") {
			marked = l
		}
	}
	if !strings.Contains(marked, "--dport 8080") || !strings.Contains(marked, "-j DNAT") {
		t.Errorf("the DNAT rule is not marked on screen (marked: %q):\n%s", marked, v)
	}
	if !strings.Contains(v, "table all") {
		t.Errorf("the table filter hides the marked rule:\n%s", v)
	}
	panetest.Press(m, "l") // another host: no mark there
	if v := golden.Plain(m.View()); strings.Contains(v, "▶ nat") || strings.Contains(v, "\n▶") {
		t.Errorf("the mark follows to another host:\n%s", v)
	}
	panetest.Run(m, m.Update(pane.HighlightRuleMsg{Host: "outside", Table: "filter", Chain: "FORWARD", Num: 0}))
	v = golden.Plain(m.View())
	if !strings.Contains(v, "▶ FORWARD  policy DROP") || !strings.Contains(v, "▶ filter FORWARD policy") {
		t.Errorf("the FORWARD policy is not marked and shown:\n%s", v)
	}
}
