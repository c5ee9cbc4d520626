package testutil

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// keyPause is how long a Screen waits after each key or text it sends, as a person
// would, so that the app reads them one at a time.
const keyPause = 80 * time.Millisecond

// Terminal is what a command started in a Screen gets: a terminal of Width×Height
// cells, Dir as its working directory ("" keeps the test's), and Env (NAME=value)
// added to its environment.
type Terminal struct {
	Width, Height int
	Dir           string
	Env           []string
}

// Screen is a command running in a tmux server of the test's own, driven as a person
// at a terminal would: keys and text go to it, and its screen is read.
type Screen struct {
	t        testing.TB
	socket   string        // the path of the server's socket
	patience time.Duration // how long WaitFor waits
}

// StartScreen runs command, a shell command line, in term in a tmux server of its own.
// The server ends with the test and its socket is removed; the screen is logged first
// if the test failed. Without tmux the test is skipped.
func StartScreen(t testing.TB, term Terminal, command string) *Screen {
	t.Helper()
	RequireTools(t, "tmux")
	dir, err := os.MkdirTemp("", "wb-tmux-")
	if err != nil {
		t.Fatal(err)
	}
	s := &Screen{t: t, socket: filepath.Join(dir, "socket"), patience: patience}
	t.Cleanup(func() {
		s.tmux("kill-server")
		os.RemoveAll(dir)
	})
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("the screen when the test failed:\n%s", s.Text())
		}
	})
	args := []string{"new-session", "-d", "-x", fmt.Sprint(term.Width), "-y", fmt.Sprint(term.Height)}
	if term.Dir != "" {
		args = append(args, "-c", term.Dir)
	}
	for _, e := range term.Env {
		args = append(args, "-e", e)
	}
	if out, err := s.tmuxErr(append(args, command)...); err != nil {
		t.Fatalf("start %q in tmux: %v: %s", command, err, out)
	}
	return s
}

// tmux runs a tmux command on the screen's server and returns what it printed, an
// error included (once the screen's command has ended, no server answers).
func (s *Screen) tmux(args ...string) string {
	out, _ := s.tmuxErr(args...)
	return out
}

// tmuxErr is tmux with the error of a command that failed.
func (s *Screen) tmuxErr(args ...string) (string, error) {
	out, err := exec.Command("tmux", append([]string{"-S", s.socket}, args...)...).CombinedOutput()
	return string(out), err
}

// Keys presses keys, one after the other: tmux key names ("Enter", "C-u", "Space") or
// single characters.
func (s *Screen) Keys(keys ...string) {
	for _, k := range keys {
		s.tmux("send-keys", k)
		time.Sleep(keyPause)
	}
}

// Type types text as it is, key names included ("Enter" is five letters).
func (s *Screen) Type(text string) {
	s.tmux("send-keys", "-l", text)
	time.Sleep(keyPause)
}

// TypeLine types text as it is, then presses Enter.
func (s *Screen) TypeLine(text string) {
	s.Type(text)
	s.Keys("Enter")
}

// Text is what the screen shows now, one line per row.
func (s *Screen) Text() string { return s.tmux("capture-pane", "-p") }

// WaitFor waits until the screen satisfies ok, and returns it; the test fails if it
// has not within 20 s, saying it waited for the screen to show what.
func (s *Screen) WaitFor(what string, ok func(text string) bool) string {
	s.t.Helper()
	var text string
	within(s.t, s.patience, "the screen to show "+what, func() bool {
		text = s.Text()
		return ok(text)
	})
	return text
}

// See waits until the screen holds every one of want, and returns it.
func (s *Screen) See(want ...string) string {
	s.t.Helper()
	return s.WaitFor(fmt.Sprintf("%q", want), func(text string) bool { return holds(text, want, true) })
}

// Gone waits until the screen holds none of what, and returns it.
func (s *Screen) Gone(what ...string) string {
	s.t.Helper()
	return s.WaitFor(fmt.Sprintf("no %q", what), func(text string) bool { return holds(text, what, false) })
}

// holds tells whether text holds every one of words (present) or none of them.
func holds(text string, words []string, present bool) bool {
	for _, w := range words {
		if strings.Contains(text, w) != present {
			return false
		}
	}
	return true
}
