package logview_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	tea "charm.land/bubbletea/v2"

	"workbench/cmdlog"
	"workbench/tui/fixture"
	"workbench/tui/golden"
	"workbench/tui/logview"
	"workbench/tui/pane"
)

func loaded(w, h int) *logview.Model {
	m := logview.New(fixture.LogSource{List: fixture.Log()})
	m.SetSize(w, h)
	m.Update(m.Refresh()())
	return m
}

func key(s string) tea.KeyPressMsg { return tea.KeyPressMsg{Code: rune(s[0]), Text: s} }

func TestViewGolden(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {160, 48}, {60, 6}} {
		name := fmt.Sprintf("log-%dx%d", size[0], size[1])
		t.Run(name, func(t *testing.T) {
			got := loaded(size[0], size[1]).View()
			if lines := strings.Count(got, "\n") + 1; lines != size[1] {
				t.Errorf("the pane drew %d lines, want %d", lines, size[1])
			}
			golden.Assert(t, name, got)
		})
	}
}

func TestScrollBackAndFollow(t *testing.T) {
	m := loaded(60, 3)
	newest := golden.Plain(m.View())
	if !strings.Contains(newest, "172.18.0.2:80") {
		t.Fatalf("the newest entry is not shown first:\n%s", newest)
	}
	m.Update(key("k"))
	m.Update(key("k"))
	if v := golden.Plain(m.View()); v == newest {
		t.Error("scrolling back changed nothing")
	}
	m.Update(key("G"))
	if v := golden.Plain(m.View()); v != newest {
		t.Errorf("G did not follow the newest again:\n%s", v)
	}
}

func TestExportRunsTheLogCommand(t *testing.T) {
	m := loaded(80, 24)
	run, ok := m.Update(key("e"))().(pane.RunMsg)
	if !ok || strings.Join(run.Args, " ") != "log -o "+logview.ExportPath {
		t.Errorf("e asked for %#v, want the log command writing %s", run, logview.ExportPath)
	}
}

func TestFileSourceFollowsTheLog(t *testing.T) {
	path := filepath.Join(t.TempDir(), "commands.log")
	log := cmdlog.Open(path)
	src := &logview.FileSource{Log: log}
	if e, err := src.Entries(t.Context()); err != nil || len(e) != 0 {
		t.Fatalf("a missing log gave %v, %v", e, err)
	}
	log.Add("ip link add wb0 type bridge")
	e, err := src.Entries(t.Context())
	if err != nil || len(e) != 1 || e[0].Command != "ip link add wb0 type bridge" {
		t.Fatalf("after one entry: %v, %v", e, err)
	}
	log.Add("ip link set wb0 up")
	if again, err := src.Entries(t.Context()); err != nil || len(again) != 2 {
		t.Errorf("after a second entry: %v, %v", again, err)
	}
}

// TestFileSourceServesRefreshesAtOnce reads the log from refreshes running side by
// side, as the tick and a command's end do; -race finds any unguarded state.
func TestFileSourceServesRefreshesAtOnce(t *testing.T) {
	log := cmdlog.Open(filepath.Join(t.TempDir(), "commands.log"))
	src := &logview.FileSource{Log: log}
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			log.Add(fmt.Sprintf("ip link add wb%d type bridge", i))
			if _, err := src.Entries(t.Context()); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if e, err := src.Entries(t.Context()); err != nil || len(e) != 8 {
		t.Errorf("after 8 entries: %d, %v", len(e), err)
	}
}
