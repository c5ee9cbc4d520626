package pane

import (
	"fmt"
	"strings"
	"testing"
)

// TestShowLine: a line below or above the screen is scrolled to the least, one on
// screen moves nothing.
func TestShowLine(t *testing.T) {
	l := NewLines()
	l.SetSize(20, 5)
	var text []string
	for i := range 30 {
		text = append(text, fmt.Sprint("line ", i))
	}
	l.SetContent(strings.Join(text, "\n"))
	top := func() string { return strings.Split(l.View(), "\n")[0] }
	l.ShowLine(3)
	if top() != "line 0" {
		t.Errorf("a line on screen scrolled to %q", top())
	}
	l.ShowLine(12)
	if top() != "line 8" {
		t.Errorf("line 12 below the screen: top %q, want line 8", top())
	}
	l.ShowLine(2)
	if top() != "line 2" {
		t.Errorf("line 2 above the screen: top %q, want line 2", top())
	}
}
