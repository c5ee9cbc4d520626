package logview_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"workbench/cmdlog"
	"workbench/testutil/golden"
	"workbench/tui/fixture"
	"workbench/tui/logview"
	"workbench/tui/panetest"
	"workbench/tui/pathprompt"
)

func loaded(w, h int) *logview.Model {
	return panetest.Load(logview.New(fixture.LogSource{List: fixture.Log()}), w, h)
}

func TestViewGolden(t *testing.T) {
	panetest.Golden(t, "log", loaded)
	// A pane smaller than one entry's wrapped lines blanks the piece of it.
	golden.Assert(t, "log-60x6.golden", loaded(60, 6).View())
}

func TestScrollBackAndFollow(t *testing.T) {
	m := loaded(60, 3)
	newest := golden.Plain(m.View())
	if !strings.Contains(newest, "172.18.0.2:80") {
		t.Fatalf("the newest entry is not shown first:\n%s", newest)
	}
	// k scrolls back; G follows the newest again.
	panetest.MoveAndBack(t, m, "G", "k", "k")
}

func TestFilterShowsOnlyMatchingCommands(t *testing.T) {
	v := panetest.Filter(t, loaded(80, 24), "netns")
	if !strings.Contains(v, "/netns") || !strings.Contains(v, "ip netns add wb-host1") {
		t.Errorf("the filter does not show what it keeps:\n%s", v)
	}
	lines := strings.Split(strings.TrimSpace(v), "\n")
	for _, line := range lines[:len(lines)-1] {
		if strings.TrimSpace(line) != "" && !strings.Contains(line, "netns") && !strings.HasPrefix(line, " ") {
			t.Errorf("the filter on netns lets through %q:\n%s", line, v)
		}
	}
}

func TestTopShowsTheOldestEntriesFillingThePane(t *testing.T) {
	m := loaded(80, 5)
	panetest.Press(m, "g")
	v := golden.Plain(m.View())
	lines := strings.Split(strings.TrimRight(v, "\n"), "\n")
	if len(lines) != 5 || !strings.Contains(lines[0], "ip netns add wb-host1") || strings.TrimSpace(lines[4]) == "" {
		t.Errorf("g does not show the oldest entries from the top, filling the pane:\n%s", v)
	}
}

func TestEscClearsTheFilter(t *testing.T) {
	m := loaded(80, 24)
	panetest.Filter(t, m, "netns")
	panetest.Press(m, "esc")
	if v := golden.Plain(m.View()); m.Filter() != "" || !strings.Contains(v, "ip link add wb0 type bridge") {
		t.Errorf("esc did not clear the filter (%q):\n%s", m.Filter(), v)
	}
}

func TestLongCommandsWrapBetweenWordsAndSlideSideways(t *testing.T) {
	m := loaded(40, 30)
	words := map[string]bool{}
	for _, e := range fixture.Log() {
		for _, w := range strings.Fields(e.Command) {
			words[w] = true
		}
	}
	v := golden.Plain(m.View())
	// Every line starts with a whole word of a command: none was broken in two.
	for _, l := range strings.Split(v, "\n") {
		f := strings.Fields(l)
		if len(f) > 0 && strings.Contains(f[0], ":") {
			f = f[1:] // the time
		}
		if len(f) > 0 && !words[f[0]] && !cutWord(words, f[0]) {
			t.Errorf("a line starts inside a word: %q\n%s", l, v)
		}
	}
	panetest.Press(m, "l")
	if slid := golden.Plain(m.View()); !strings.Contains(slid, "web0/netns") || !strings.Contains(slid, "cpu.cfs_quota_us") {
		t.Errorf("→ did not slide the long words to their end:\n%s", slid)
	}
	panetest.Press(m, "h")
	if back := golden.Plain(m.View()); back != v {
		t.Errorf("← did not slide back:\n%s", back)
	}
}

func TestExportAsksWhereAndWritesTheScript(t *testing.T) {
	m := loaded(80, 24)
	ask, ok := m.Update(panetest.Key("e"))().(pathprompt.AskMsg)
	if !ok || ask.File != logview.ExportFile {
		t.Fatalf("e asked for %#v, want a path for %s", ask, logview.ExportFile)
	}
	path := filepath.Join(t.TempDir(), "s.sh")
	if _, err := ask.Write(path); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil || !strings.Contains(string(b), "set -e\nip netns add wb-host1") {
		t.Errorf("the script written is %q, %v", b, err)
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

// cutWord says whether w is the start of one of words, cut with an ellipsis at the
// pane's edge.
func cutWord(words map[string]bool, w string) bool {
	start, ok := strings.CutSuffix(w, "…")
	if !ok {
		return false
	}
	for x := range words {
		if strings.HasPrefix(x, start) {
			return true
		}
	}
	return false
}
