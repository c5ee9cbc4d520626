// Package pathprompt is the app's one-line question "write it where?": a pane that
// saves something (a capture, the command log, the topology) asks with an AskMsg, the
// person edits the proposed path, and the answer is written and reported with its
// absolute path.
package pathprompt

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"workbench/tui/keys"
	"workbench/tui/pane"
)

// AskMsg asks the app for a path and writes there.
type AskMsg struct {
	// What names what is written, for the question and the report ("the capture").
	What string
	// File is the proposed file name, in DefaultDir unless it is a path already.
	File string
	// Write writes to path (absolute) and returns what the report says was written,
	// e.g. "12 packets" ("" = What).
	Write func(path string) (string, error)
}

// ClosedMsg says the prompt was answered or given up.
type ClosedMsg struct{}

// KeyMap is the prompt's keys.
type KeyMap struct{ Write, Cancel key.Binding }

// DefaultKeyMap is the prompt's key map.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Write:  keys.Bind("enter", "write"),
		Cancel: keys.Bind("esc", "cancel", "ctrl+c"),
	}
}

// Model is the prompt.
type Model struct {
	ask   AskMsg
	input textinput.Model
	keys  KeyMap
}

// DefaultDir is where files are proposed: the home directory, or /tmp when there is
// none to write in.
func DefaultDir() string {
	if home := os.Getenv("HOME"); home != "" {
		if st, err := os.Stat(home); err == nil && st.IsDir() {
			return home
		}
	}
	return os.TempDir()
}

// New returns the prompt for ask, with the proposed path typed in.
func New(ask AskMsg) *Model {
	in := pane.NewInput("write "+ask.What+" to: ", "a file path")
	path := ask.File
	if !filepath.IsAbs(path) {
		path = filepath.Join(DefaultDir(), path)
	}
	in.SetValue(path)
	in.CursorEnd()
	in.Focus()
	return &Model{ask: ask, input: in, keys: DefaultKeyMap()}
}

// KeyMap lists the prompt's keys.
func (m *Model) KeyMap() KeyMap { return m.keys }

// SetWidth sets the prompt's width.
func (m *Model) SetWidth(w int) {
	m.input.SetWidth(max(1, w-len([]rune(m.input.Prompt))-1))
}

// Update edits the path; enter writes, esc gives up.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, m.keys.Cancel):
			return closed
		case key.Matches(k, m.keys.Write):
			return tea.Batch(closed, write(m.ask, m.input.Value()))
		}
	}
	m.input, _ = m.input.Update(msg)
	return nil
}

func closed() tea.Msg { return ClosedMsg{} }

// write writes to path, made absolute (a leading ~ is the home directory), and reports
// the absolute path in the status line.
func write(ask AskMsg, typed string) tea.Cmd {
	return func() tea.Msg {
		path, err := Resolve(typed)
		if err != nil {
			return pane.StatusMsg{Text: fmt.Sprintf("%s not written: %v", ask.What, err), Err: true}
		}
		what, err := ask.Write(path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return pane.StatusMsg{Text: fmt.Sprintf("%s not written: there is no directory %s: make it, or give another path", ask.What, filepath.Dir(path)), Err: true}
		case err != nil:
			return pane.StatusMsg{Text: fmt.Sprintf("%s not written: %v", ask.What, err), Err: true}
		}
		if what == "" {
			what = ask.What
		}
		return pane.StatusMsg{Text: fmt.Sprintf("wrote %s to %s", what, path)}
	}
}

// Resolve turns what was typed into an absolute path: ~ is the home directory, a
// relative path is under DefaultDir, a directory gets no file name and is refused.
func Resolve(typed string) (string, error) {
	p := strings.TrimSpace(typed)
	switch {
	case p == "":
		return "", fmt.Errorf("no path given: type one, e.g. %s", filepath.Join(DefaultDir(), "file"))
	case p == "~" || strings.HasPrefix(p, "~/"):
		p = filepath.Join(DefaultDir(), strings.TrimPrefix(p[1:], "/"))
	case !filepath.IsAbs(p):
		p = filepath.Join(DefaultDir(), p)
	}
	p = filepath.Clean(p)
	if st, err := os.Stat(p); err == nil && st.IsDir() {
		return "", fmt.Errorf("%s is a directory: add a file name", p)
	}
	return p, nil
}

// View draws the prompt on one line.
func (m *Model) View() string { return m.input.View() }
