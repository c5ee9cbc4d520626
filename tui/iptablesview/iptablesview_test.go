package iptablesview_test

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"workbench/tui/fixture"
	"workbench/tui/golden"
	"workbench/tui/iptablesview"
)

func loaded(w, h int) *iptablesview.Model {
	m := iptablesview.New(fixture.NewIPTablesSource(40))
	m.SetSize(w, h)
	m.Update(m.Refresh()())
	m.Update(m.Refresh()()) // a second read: the DNAT rule moved
	return m
}

func key(s string) tea.KeyPressMsg { return tea.KeyPressMsg{Code: rune(s[0]), Text: s} }

func TestViewGolden(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		name := fmt.Sprintf("iptables-%dx%d", size[0], size[1])
		t.Run(name, func(t *testing.T) {
			m := loaded(size[0], size[1])
			got := m.View()
			if lines := strings.Count(got, "\n") + 1; lines != size[1] {
				t.Errorf("the pane drew %d lines, want %d", lines, size[1])
			}
			golden.Assert(t, name, got)
		})
	}
}

func TestMovedRuleIsLitAndTableFilter(t *testing.T) {
	m := loaded(160, 48)
	m.Update(key("t"))
	m.Update(key("t"))
	m.Update(key("t")) // all -> raw -> mangle -> nat
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
	cmd := m.Update(key("l"))
	if cmd == nil {
		t.Fatal("choosing the next host read nothing")
	}
	m.Update(cmd())
	if v := golden.Plain(m.View()); !strings.Contains(v, "table") {
		t.Errorf("after choosing host2 the pane shows:\n%s", v)
	}
}

func TestZeroReportsAndRereads(t *testing.T) {
	m := loaded(80, 24)
	cmd := m.Update(key("Z"))
	if cmd == nil {
		t.Fatal("Z did nothing")
	}
	if next := m.Update(cmd()); next == nil {
		t.Error("zeroing did not report and read again")
	}
}

func TestScrollStopsAtTheEnds(t *testing.T) {
	m := loaded(80, 24)
	first := m.View()
	m.Update(key("k"))
	if m.View() != first {
		t.Error("scrolling up at the top changed the picture")
	}
	for i := 0; i < 200; i++ {
		m.Update(key("j"))
	}
	last := m.View()
	m.Update(key("j"))
	if m.View() != last {
		t.Error("scrolling down at the end changed the picture")
	}
}
