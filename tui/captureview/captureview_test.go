package captureview_test

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"workbench/tui/captureview"
	"workbench/tui/fixture"
	"workbench/tui/golden"
	"workbench/tui/pane"
)

func key(s string) tea.KeyPressMsg {
	switch s {
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	}
	return tea.KeyPressMsg{Code: rune(s[0]), Text: s}
}

// run feeds the messages a command chain produces back into the pane until it ends.
func run(m *captureview.Model, cmd tea.Cmd) {
	for cmd != nil {
		cmd = m.Update(cmd())
	}
}

func captured(w, h int) *captureview.Model {
	m := captureview.New(fixture.CaptureSource{N: 30})
	m.SetSize(w, h)
	m.Update(m.Refresh()())
	m.Update(key("space"))
	m.Update(key("J"))
	m.Update(key("J"))
	m.Update(key("space"))
	run(m, m.Update(key("s")))
	return m
}

func TestViewGolden(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		name := fmt.Sprintf("capture-%dx%d", size[0], size[1])
		t.Run(name, func(t *testing.T) {
			m := captured(size[0], size[1])
			got := m.View()
			if lines := strings.Count(got, "\n") + 1; lines != size[1] {
				t.Errorf("the pane drew %d lines, want %d", lines, size[1])
			}
			golden.Assert(t, name, got)
		})
	}
}

func TestPacketsFromTwoInterfacesAndLayers(t *testing.T) {
	m := captured(160, 48)
	v := golden.Plain(m.View())
	if !strings.Contains(v, " host1/eth0 In") || !strings.Contains(v, " web0/eth0 In") {
		t.Errorf("the packets of both marked interfaces are not shown:\n%s", v)
	}
	if !strings.Contains(v, "dropped 0") || !strings.Contains(v, "got 30") {
		t.Errorf("the counters are not shown:\n%s", v)
	}
	// One packet up from the newest (seq 29) is seq 28: its layers replace the list.
	m.Update(key("k"))
	m.Update(key("enter"))
	v = golden.Plain(m.View())
	for _, want := range []string{"host1/eth0 In IP 172.18.0.2 > 203.0.113.10: ICMP echo request, id 7, seq 28", "--- Layer 1 ---", "Ethernet\t{", "TypeCode=EchoRequest", "Seq=28}"} {
		if !strings.Contains(v, want) {
			t.Errorf("the layers of the selected packet lack %q:\n%s", want, v)
		}
	}
	if strings.Contains(v, "seq 27") {
		t.Errorf("the packet list is still shown beside the layers:\n%s", v)
	}
}

func TestFilterIsTypedThenCaptureUsesIt(t *testing.T) {
	m := captureview.New(fixture.CaptureSource{N: 1})
	m.SetSize(80, 24)
	m.Update(key("/"))
	if !m.Typing() {
		t.Fatal("/ did not open the filter")
	}
	for _, r := range "icmp" {
		m.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	m.Update(key("enter"))
	if m.Typing() {
		t.Fatal("enter did not close the filter")
	}
	if v := golden.Plain(m.View()); !strings.Contains(v, "filter: icmp") {
		t.Errorf("the filter is not shown:\n%s", v)
	}
}

func TestSaveWithoutPacketsSaysWhatToDo(t *testing.T) {
	m := captureview.New(fixture.CaptureSource{N: 1})
	msg := m.Update(m.Update(key("w"))())
	if msg == nil {
		t.Fatal("saving nothing said nothing")
	}
	if s, ok := msg().(pane.StatusMsg); !ok || !s.Err || !strings.Contains(s.Text, "start a capture") {
		t.Errorf("saving nothing said %#v", msg())
	}
}
