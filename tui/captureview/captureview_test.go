package captureview_test

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"workbench/testutil"
	"workbench/testutil/golden"
	"workbench/tui/captureview"
	"workbench/tui/fixture"
	"workbench/tui/pane"
	"workbench/tui/panetest"
)

func captured(w, h int) *captureview.Model {
	m := panetest.Load(captureview.New(fixture.CaptureSource{N: 30}), w, h)
	panetest.Press(m, "space", "j", "j", "space", "s")
	return m
}

func TestViewGolden(t *testing.T) {
	panetest.Golden(t, "capture", captured)
}

func TestPacketsFromTwoInterfacesAndLayers(t *testing.T) {
	m := captured(160, 48)
	// The packets of both marked interfaces, and the counters.
	testutil.Contains(t, "the capture", golden.Plain(m.View()), " host1/eth0 In", " web0/eth0 In", "dropped 0", "got 30")
	// One packet up from the newest (seq 29) is seq 28: its layers replace the list.
	panetest.Press(m, "l", "k", "enter")
	v := golden.Plain(m.View())
	testutil.Contains(t, "the layers of the selected packet", v,
		"host1/eth0 In IP 172.18.0.2 > 203.0.113.10: ICMP echo request, id 7, seq 28", "--- Layer 1 ---", "Ethernet    {", "TypeCode=EchoRequest", "Seq=28}")
	if strings.Contains(v, "seq 27") {
		t.Errorf("the packet list is still shown beside the layers:\n%s", v)
	}
}

func TestFilterIsTypedThenCaptureUsesIt(t *testing.T) {
	src := fixture.CaptureSource{N: 1, Filter: new(string)}
	m := panetest.Load(captureview.New(src), 80, 24)
	panetest.Press(m, "f")
	if !m.Typing() {
		t.Fatal("f did not open the capture filter")
	}
	panetest.Type(m, "icmp")
	panetest.Press(m, "enter")
	if m.Typing() {
		t.Fatal("enter did not close the filter")
	}
	if v := golden.Plain(m.View()); !strings.Contains(v, "capture filter: icmp") {
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

func TestLayerViewFitsThePaneAndEscClosesIt(t *testing.T) {
	for _, size := range [][2]int{{118, 35}, {78, 19}} { // inside the frame at 120x40 and 80x24
		m := captured(size[0], size[1])
		panetest.Press(m, "l", "enter")
		v := m.View()
		if !strings.Contains(golden.Plain(v), "--- Layer 1 ---") {
			t.Fatalf("at %dx%d enter did not open the layers:\n%s", size[0], size[1], golden.Plain(v))
		}
		lines := strings.Split(v, "\n")
		if len(lines) != size[1] {
			t.Errorf("at %dx%d the layer view has %d lines", size[0], size[1], len(lines))
		}
		for _, l := range lines {
			if w := ansi.StringWidth(l); w != size[0] || strings.Contains(l, "\t") {
				t.Errorf("at %dx%d a line is %d cells wide or holds a tab: %q", size[0], size[1], w, l)
			}
		}
		panetest.Press(m, "esc")
		if v := golden.Plain(m.View()); strings.Contains(v, "--- Layer 1 ---") || !strings.Contains(v, "In IP 172.18.0.2 > 203.0") {
			t.Errorf("esc did not close the layers:\n%s", v)
		}
	}
}

func TestFilterNarrowsThePacketsAndMovesBetweenThem(t *testing.T) {
	m := captured(160, 48)
	if v := panetest.Filter(t, m, "web0/eth0"); strings.Contains(v, "host1/eth0 In") || !strings.Contains(v, "web0/eth0 In") {
		t.Errorf("the filter web0/eth0 shows:\n%s", v)
	}
	panetest.Press(m, "N", "enter")
	if v := golden.Plain(m.View()); !strings.Contains(v, "web0/eth0 In IP 172.18.0.2 > 203.0.113.10: ICMP echo request, id 7, seq 27") {
		t.Errorf("N then enter did not open the newest matching packet but one:\n%s", v)
	}
}

func TestClickSelectsAnInterfaceOrAPacket(t *testing.T) {
	m := captured(160, 48)
	m.Update(pane.ClickMsg{X: 2, Y: 2}) // the second interface
	panetest.Press(m, "space")          // marks it
	if v := golden.Plain(m.View()); !strings.Contains(v, "● host1/wb0") {
		t.Errorf("a click on the second interface did not select it:\n%s", v)
	}
	m.Update(pane.ClickMsg{X: 60, Y: 1}) // the first packet shown
	panetest.Press(m, "enter")
	if v := golden.Plain(m.View()); !strings.Contains(v, "seq 0,") || !strings.Contains(v, "--- Layer 1 ---") {
		t.Errorf("a click on the first packet did not select it:\n%s", v)
	}
}
