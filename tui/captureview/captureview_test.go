package captureview_test

import (
	"strings"
	"testing"

	"workbench/testutil/golden"
	"workbench/tui/captureview"
	"workbench/tui/fixture"
	"workbench/tui/pane"
	"workbench/tui/panetest"
)

func captured(w, h int) *captureview.Model {
	m := captureview.New(fixture.CaptureSource{N: 30})
	panetest.Load(m, w, h)
	panetest.Press(m, "space", "J", "J", "space", "s")
	return m
}

func TestViewGolden(t *testing.T) {
	panetest.Golden(t, "capture", func(w, h int) string { return captured(w, h).View() })
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
	panetest.Press(m, "k", "enter")
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
	src := fixture.CaptureSource{N: 1, Filter: new(string)}
	m := captureview.New(src)
	panetest.Load(m, 80, 24)
	panetest.Press(m, "/")
	if !m.Typing() {
		t.Fatal("/ did not open the filter")
	}
	panetest.Type(m, "icmp")
	panetest.Press(m, "enter")
	if m.Typing() {
		t.Fatal("enter did not close the filter")
	}
	if v := golden.Plain(m.View()); !strings.Contains(v, "filter: icmp") {
		t.Errorf("the filter is not shown:\n%s", v)
	}
	panetest.Press(m, "s")
	if *src.Filter != "icmp" {
		t.Errorf("the capture started with filter %q, want icmp", *src.Filter)
	}
}

func TestSaveWithoutPacketsSaysWhatToDo(t *testing.T) {
	m := captureview.New(fixture.CaptureSource{N: 1})
	msg := m.Update(panetest.Key("w"))
	if msg == nil {
		t.Fatal("saving nothing said nothing")
	}
	if s, ok := msg().(pane.StatusMsg); !ok || !s.Err || !strings.Contains(s.Text, "start a capture") {
		t.Errorf("saving nothing said %#v", msg())
	}
}
