package testutil

import (
	"os"
	"strings"
	"testing"
	"time"
)

// The screen is tested on sh in place of the workbench binary.
func TestScreenTypesAndSees(t *testing.T) {
	dir := t.TempDir()
	s := StartScreen(t, Terminal{Width: 100, Height: 12, Dir: dir, Env: []string{"GREETING=hello there"}},
		`read x; echo "got $x"; pwd; echo "$GREETING"; echo "size $(stty size)"; read y; clear; echo cleared; sleep 60`)
	s.Type("pear")
	s.Keys("Space")
	s.TypeLine("Enter")
	text := s.See("got pear Enter", dir, "hello there")
	if !strings.Contains(text, "size 12 100") {
		t.Errorf("a terminal of 100x12 cells says otherwise:\n%s", text)
	}
	s.Keys("Enter")
	s.Gone("got pear", "hello there")
	if text := s.See("cleared"); strings.Contains(text, dir) {
		t.Errorf("the screen was cleared, yet:\n%s", text)
	}
}

func TestScreenWaitFailsSayingWhatItAwaited(t *testing.T) {
	RequireTools(t, "tmux")
	for _, c := range []struct {
		name, want string
		wait       func(s *Screen)
	}{
		{"See", `waited 100ms for the screen to show ["ready" "never shown"]`, func(s *Screen) { s.See("ready", "never shown") }},
		{"Gone", `waited 100ms for the screen to show no ["ready"]`, func(s *Screen) { s.Gone("ready") }},
		{"WaitFor", "waited 100ms for the screen to show a blank screen", func(s *Screen) {
			s.WaitFor("a blank screen", func(text string) bool { return strings.TrimSpace(text) == "" })
		}},
	} {
		r := &recorder{}
		s := StartScreen(r, Terminal{Width: 40, Height: 5}, "echo ready; sleep 60")
		s.See("ready")
		s.patience = 100 * time.Millisecond
		done := make(chan struct{})
		go func() {
			defer close(done)
			c.wait(s)
			t.Errorf("%s returned on a screen that never shows what it waits for", c.name)
		}()
		<-done
		r.end()
		if !strings.Contains(r.failure(), c.want) {
			t.Errorf("%s failed with %q, want %q", c.name, r.failure(), c.want)
		}
		if len(r.logs) != 1 || !strings.HasPrefix(r.logs[0], "the screen when the test failed:\n") || !strings.Contains(r.logs[0], "ready") {
			t.Errorf("%s: the failed test logged %q, want the screen", c.name, r.logs)
		}
		if out, err := s.tmuxErr("has-session"); err == nil {
			t.Errorf("%s: the tmux server is still there when the test has ended: %s", c.name, out)
		}
		if _, err := os.Stat(s.socket); err == nil {
			t.Errorf("%s: the tmux socket %s is still there when the test has ended", c.name, s.socket)
		}
	}
}
