package pathprompt

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"workbench/tui/pane"
)

// TestResolve: a bare name goes under the home directory, ~ is the home directory, an
// absolute path stays, a directory and nothing are refused; without a home, /tmp.
func TestResolve(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	for typed, want := range map[string]string{
		"a.pcap":      filepath.Join(home, "a.pcap"),
		"~/x/../b.sh": filepath.Join(home, "b.sh"),
		"/tmp/c.dot":  "/tmp/c.dot",
		" d ":         filepath.Join(home, "d"),
	} {
		if got, err := Resolve(typed); err != nil || got != want {
			t.Errorf("Resolve(%q) = %q, %v; want %q", typed, got, err, want)
		}
	}
	for _, bad := range []string{"", "  ", home, "~"} {
		if got, err := Resolve(bad); err == nil {
			t.Errorf("Resolve(%q) = %q, want an error", bad, got)
		}
	}
	t.Setenv("HOME", "")
	if got, _ := Resolve("e"); got != filepath.Join(os.TempDir(), "e") {
		t.Errorf("without a home, Resolve(e) = %q, want it under %s", got, os.TempDir())
	}
}

// TestPromptWritesAndReports: the prompt proposes the file under the home directory,
// enter writes there and reports the absolute path; a failure says why; esc writes
// nothing.
func TestPromptWritesAndReports(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	var wrote string
	m := New(AskMsg{What: "the capture", File: "cap.pcap", Write: func(path string) (string, error) {
		wrote = path
		return "3 packets", nil
	}})
	if !strings.Contains(m.View(), filepath.Join(home, "cap.pcap")) {
		t.Errorf("the prompt proposes %q", m.View())
	}
	status := run(m.Update(tea.KeyPressMsg{Code: tea.KeyEnter}))
	if wrote != filepath.Join(home, "cap.pcap") || status.Err || status.Text != "wrote 3 packets to "+wrote {
		t.Errorf("enter wrote %q and said %#v", wrote, status)
	}
	failing := New(AskMsg{What: "the topology", File: "t.mmd", Write: func(string) (string, error) { return "", errors.New("disk full") }})
	if s := run(failing.Update(tea.KeyPressMsg{Code: tea.KeyEnter})); !s.Err || !strings.Contains(s.Text, "disk full") {
		t.Errorf("a failed write said %#v", s)
	}
	missing := New(AskMsg{What: "the topology", File: "/nonexistent/dir/t.mmd", Write: func(path string) (string, error) {
		return "", os.WriteFile(path, nil, 0o644)
	}})
	if s := run(missing.Update(tea.KeyPressMsg{Code: tea.KeyEnter})); !strings.Contains(s.Text, "there is no directory /nonexistent/dir: make it") {
		t.Errorf("a missing directory said %#v", s)
	}
	wrote = ""
	if s := run(m.Update(tea.KeyPressMsg{Code: tea.KeyEscape})); wrote != "" || s.Text != "" {
		t.Errorf("esc wrote %q and said %#v", wrote, s)
	}
}

// run runs what the prompt returned and gives its status message, if any.
func run(cmd tea.Cmd) pane.StatusMsg {
	if cmd == nil {
		return pane.StatusMsg{}
	}
	switch msg := cmd().(type) {
	case tea.BatchMsg:
		for _, c := range msg {
			if s := run(c); s.Text != "" {
				return s
			}
		}
	case pane.StatusMsg:
		return msg
	}
	return pane.StatusMsg{}
}
