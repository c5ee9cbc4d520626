// Package panetest drives a pane the way the app does, for the panes' tests: it loads
// it, presses keys, feeds back the work a key starts, and compares what it draws at
// several sizes with the pictures kept in testdata.
package panetest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"workbench/testutil/golden"
	"workbench/tui/pane"
)

// Sizes are the sizes every pane is drawn at in its golden test: a small terminal and
// a large one.
var Sizes = [][2]int{{80, 24}, {160, 48}}

// Key is the key press of a key's name: a printable character, ctrl+ a letter, or
// enter, esc, tab, space, up, down, left, right, pgup, pgdown, home or end.
func Key(name string) tea.KeyPressMsg {
	if letter, ok := strings.CutPrefix(name, "ctrl+"); ok && len(letter) == 1 {
		return tea.KeyPressMsg{Code: rune(letter[0]), Mod: tea.ModCtrl}
	}
	switch name {
	case "left":
		return tea.KeyPressMsg{Code: tea.KeyLeft}
	case "right":
		return tea.KeyPressMsg{Code: tea.KeyRight}
	case "pgup":
		return tea.KeyPressMsg{Code: tea.KeyPgUp}
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	case "home":
		return tea.KeyPressMsg{Code: tea.KeyHome}
	case "end":
		return tea.KeyPressMsg{Code: tea.KeyEnd}
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	}
	r := []rune(name)[0]
	return tea.KeyPressMsg{Code: r, Text: string(r)}
}

// Press gives the pane each key in turn, and the work each one starts.
func Press(p pane.Pane, keys ...string) {
	for _, k := range keys {
		Run(p, p.Update(Key(k)))
	}
}

// Type gives the pane each character of text as a key press.
func Type(p pane.Pane, text string) {
	for _, r := range text {
		p.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

// Load sizes the pane and gives it one load of its source.
func Load(p pane.Pane, width, height int) {
	p.SetSize(width, height)
	Run(p, p.Refresh(context.Background()))
}

// Run feeds the messages a command and the commands it leads to produce back into the
// pane, batches included, until no work is left; messages for the app (a RunMsg, a
// StatusMsg) are dropped.
func Run(p pane.Pane, cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	switch msg := cmd().(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			Run(p, c)
		}
	default:
		Run(p, p.Update(msg))
	}
}

// Golden draws the pane at each of Sizes and compares every picture with
// testdata/PREFIX-WxH.golden; each must have exactly the pane's height in lines.
func Golden(t *testing.T, prefix string, draw func(width, height int) string) {
	t.Helper()
	for _, size := range Sizes {
		name := fmt.Sprintf("%s-%dx%d", prefix, size[0], size[1])
		t.Run(name, func(t *testing.T) {
			got := draw(size[0], size[1])
			if lines := strings.Count(got, "\n") + 1; lines != size[1] {
				t.Errorf("the pane drew %d lines, want %d", lines, size[1])
			}
			golden.Assert(t, name+".golden", got)
		})
	}
}
