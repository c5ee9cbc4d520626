// Package panetest drives a pane the way the app does, for the panes' tests: it loads
// it, presses keys, types a filter, feeds back the work a key starts and tells what
// that work sent, checks keys that move and come back, and compares what it draws at
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

// namedKeys are the codes of the keys Key knows by name, but for space, which is a
// printable character as well.
var namedKeys = map[string]rune{
	"enter": tea.KeyEnter, "esc": tea.KeyEscape, "tab": tea.KeyTab,
	"up": tea.KeyUp, "down": tea.KeyDown, "left": tea.KeyLeft, "right": tea.KeyRight,
	"pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown, "home": tea.KeyHome, "end": tea.KeyEnd,
}

// Key is the key press of a key's name: a printable character, ctrl+ a letter, or
// enter, esc, tab, space, up, down, left, right, pgup, pgdown, home or end.
func Key(name string) tea.KeyPressMsg {
	if letter, ok := strings.CutPrefix(name, "ctrl+"); ok && len(letter) == 1 {
		return tea.KeyPressMsg{Code: rune(letter[0]), Mod: tea.ModCtrl}
	}
	if code, ok := namedKeys[name]; ok {
		return tea.KeyPressMsg{Code: code}
	}
	if name == "space" {
		name = " "
	}
	r := []rune(name)[0]
	return tea.KeyPressMsg{Code: r, Text: string(r)}
}

// Press gives the pane each key in turn, and the work each one starts; it returns
// the messages that work produced.
func Press(p pane.Pane, keys ...string) []tea.Msg {
	var msgs []tea.Msg
	for _, k := range keys {
		msgs = append(msgs, Run(p, p.Update(Key(k)))...)
	}
	return msgs
}

// Type gives the pane each character of text as a key press.
func Type(p pane.Pane, text string) {
	for _, r := range text {
		p.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

// Load sizes the pane, gives it one load of its source, and returns it.
func Load[P pane.Pane](p P, width, height int) P {
	p.SetSize(width, height)
	Run(p, p.Refresh(context.Background()))
	return p
}

// Run feeds the messages a command and the commands it leads to produce back into the
// pane, batches included, until no work is left, and returns those messages in the
// order they came. Messages meant for the app (a RunMsg, a StatusMsg) go to the pane
// too, which passes over them.
func Run(p pane.Pane, cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	switch msg := cmd().(type) {
	case nil:
		return nil
	case tea.BatchMsg:
		var msgs []tea.Msg
		for _, c := range msg {
			msgs = append(msgs, Run(p, c)...)
		}
		return msgs
	default:
		return append([]tea.Msg{msg}, Run(p, p.Update(msg))...)
	}
}

// Filter opens the pane's filter with /, types text and enters it, and returns what
// the pane shows then, plain; a pane that does not take the text, or that still takes
// keys after enter, fails the test.
func Filter(t testing.TB, p pane.Pane, text string) string {
	t.Helper()
	Press(p, "/")
	if !p.Typing() {
		t.Fatal("/ did not open the filter")
	}
	Type(p, text)
	Press(p, "enter")
	if p.Typing() {
		t.Fatalf("enter did not close the filter /%s", text)
	}
	return golden.Plain(p.View())
}

// MoveAndBack presses the keys away, which must change the text the pane shows, then
// back, which must bring the pane back to what it drew before.
func MoveAndBack(t testing.TB, p pane.Pane, back string, away ...string) {
	t.Helper()
	before := p.View()
	Press(p, away...)
	if moved := golden.Plain(p.View()); moved == golden.Plain(before) {
		t.Errorf("%s changed nothing:\n%s", strings.Join(away, " "), moved)
	}
	Press(p, back)
	if p.View() != before {
		t.Errorf("%s after %s did not come back to what the pane showed first:\n%s", back, strings.Join(away, " "), golden.Plain(p.View()))
	}
}

// Golden loads a pane at each of Sizes and compares every picture it draws with
// testdata/PREFIX-WxH.golden; each must have exactly the pane's height in lines.
func Golden[P pane.Pane](t *testing.T, prefix string, load func(width, height int) P) {
	t.Helper()
	for _, size := range Sizes {
		name := fmt.Sprintf("%s-%dx%d", prefix, size[0], size[1])
		t.Run(name, func(t *testing.T) {
			got := load(size[0], size[1]).View()
			if lines := strings.Count(got, "\n") + 1; lines != size[1] {
				t.Errorf("the pane drew %d lines, want %d", lines, size[1])
			}
			golden.Assert(t, name+".golden", got)
		})
	}
}
