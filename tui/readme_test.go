package tui

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"workbench/tui/conntrackview"
	"workbench/tui/traceview"
)

// TestReadmeKeyTableIsTheHelp checks that the README's key table lists exactly the
// keys the help shows, pane by pane, with the same words.
func TestReadmeKeyTableIsTheHelp(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(readme)
	start := strings.Index(text, "### Keys\n")
	if start < 0 {
		t.Fatal("README: no ### Keys section")
	}
	var table []string
	for _, line := range strings.Split(text[start:], "\n")[1:] {
		if strings.HasPrefix(line, "#") {
			break
		}
		cells := strings.Split(line, " | ")
		if len(cells) == 3 && strings.HasPrefix(cells[1], "`") {
			table = append(table, strings.TrimPrefix(cells[0], "| ")+" "+cells[1]+" "+strings.TrimSuffix(cells[2], " |"))
		}
	}
	// Every pane of the app, in its order; their keys are all the help needs.
	panes := testPanes(3, 40)
	panes = append(panes[:5:5], traceview.New(nil), conntrackview.New(noTables{}), panes[5])
	m := newTestModel(Options{Run: (&fakeRun{}).run, Executable: "/bin/true", Panes: panes})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	var help []string
	for i := range m.panes {
		m.focus = i
		for _, s := range m.helpSections() {
			where := strings.TrimSuffix(s.title, " keys")
			for _, col := range s.keys {
				for _, b := range col {
					row := where + " `" + b.Help().Key + "` " + b.Help().Desc
					if !slices.Contains(help, row) {
						help = append(help, row)
					}
				}
			}
		}
	}
	for _, row := range help {
		if !slices.Contains(table, row) {
			t.Errorf("README: the key table lacks %q", row)
		}
	}
	for _, row := range table {
		if !slices.Contains(help, row) {
			t.Errorf("README: the key table lists %q, which the help does not show", row)
		}
	}
}

// noTables is a conntrack source with nothing to read.
type noTables struct{}

func (noTables) Read(context.Context) ([]conntrackview.Table, error) { return nil, nil }
