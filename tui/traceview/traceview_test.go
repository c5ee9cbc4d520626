package traceview_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"workbench/netviz/trace"
	"workbench/testutil"
	"workbench/testutil/golden"
	"workbench/tui/pane"
	"workbench/tui/panetest"
	"workbench/tui/traceview"
)

// fakeSource answers every probe with the journey of testdata/journey.json, a real
// probe from outside to host1's published port 8080, or with err.
type fakeSource struct {
	t    testing.TB
	err  error
	sent *[]string
	file string // the journey's file in testdata, "" = journey.json
}

func (f fakeSource) Probe(_ context.Context, from, to string) (trace.Journey, error) {
	*f.sent = append(*f.sent, from+" "+to)
	if f.err != nil {
		return trace.Journey{}, f.err
	}
	file := f.file
	if file == "" {
		file = "journey.json"
	}
	b, err := os.ReadFile("testdata/" + file)
	if err != nil {
		f.t.Fatal(err)
	}
	var j trace.Journey
	if err := json.Unmarshal(b, &j); err != nil {
		f.t.Fatal(err)
	}
	return j, nil
}

// traced is the pane of size w×h after a probe from outside to host1:8080/tcp, and the
// messages it sent.
func traced(t testing.TB, w, h int) (*traceview.Model, []tea.Msg, *[]string) {
	sent := new([]string)
	m := panetest.Load(traceview.New(fakeSource{t: t, sent: sent}), w, h)
	msgs := panetest.Run(m, m.Update(pane.TraceMsg{From: "outside", To: "host1:8080/tcp"}))
	return m, msgs, sent
}

// TestViewGolden: the timeline with the step-through standing on the DNAT rule, and
// the header of the packet there.
func TestViewGolden(t *testing.T) {
	panetest.Golden(t, "trace", func(w, h int) *traceview.Model {
		m, _, _ := traced(t, w, h)
		panetest.Press(m, slices.Repeat([]string{"l"}, 13)...)
		return m
	})
}

// TestTimeline: every namespace, hook, rule as iptables -S prints it with its verdict,
// the routing, NAT and the end of both legs are in the timeline.
func TestTimeline(t *testing.T) {
	m, _, sent := traced(t, 240, 200)
	if len(*sent) != 1 || (*sent)[0] != "outside host1:8080/tcp" {
		t.Fatalf("the probe sent: %q", *sent)
	}
	testutil.Contains(t, "the timeline", golden.Plain(m.View()),
		"journey outside → host1:8080/tcp",
		"request  198.51.100.100:",
		"■ outside (host)  out eth0",
		"■ host1 (host)  in eth0  out wb0",
		"nat WB-DNAT #1: -A WB-DNAT -p tcp -m tcp --dport 8080",
		"-j DNAT --to-destination 172.18.0.2:80  [DNAT (ACCEPT)]",
		"filter WB-FORWARD #4: -A WB-FORWARD -o wb0 -m conntrack --ctstate DNAT",
		"route: 172.18.0.0/16 dev wb0",
		"NAT: 198.51.100.100:",
		"✔ delivered to a local socket, which answered in web",
		"reply  172.18.0.2:80 -> 198.51.100.100:",
		"✔ delivered to the local stack in outside",
	)
}

// TestStepThrough: →/l and ←/h move one step, g and G to the ends; the box shows
// where the step is, the step whole, and the packet's header there with what changed.
func TestStepThrough(t *testing.T) {
	m, _, _ := traced(t, 120, 40)
	box := func() string {
		lines := strings.Split(golden.Plain(m.View()), "\n")
		return strings.Join(lines[len(lines)-8:], "\n")
	}
	if b := box(); !strings.Contains(b, "step 1 of 57 · request · outside (host) · in") || !strings.Contains(b, "first seen here") {
		t.Errorf("at the first step:\n%s", b)
	}
	panetest.Press(m, slices.Repeat([]string{"l"}, 14)...)
	testutil.Contains(t, "at the NAT step, the box", box(),
		"step 15 of 57 · request · host1 (host) · NAT", "IP   src 198.51.100.100  dst 172.18.0.2  ttl 64", "TCP  sport", "dport 80  flags [S]", "changed here: destination 198.51.100.1:8080 → 172.18.0.2:80")
	panetest.Press(m, "l")
	if b := box(); !strings.Contains(b, "routing") || !strings.Contains(b, "changed here: ttl 64 → 63") {
		t.Errorf("at the routing after NAT:\n%s", b)
	}
	panetest.Press(m, "h", "h")
	if b := box(); !strings.Contains(b, "step 14 of 57") || !strings.Contains(b, "nat WB-DNAT #1  [DNAT (ACCEPT)]") || !strings.Contains(b, "dst 198.51.100.1") || !strings.Contains(b, "unchanged since the step before") {
		t.Errorf("two steps back, on the DNAT rule:\n%s", b)
	}
	panetest.Press(m, "G")
	if b := box(); !strings.Contains(b, "step 57 of 57 · reply · outside (host)") || !strings.Contains(b, "src 198.51.100.1  dst 198.51.100.100") || !strings.Contains(b, "sport 8080") {
		t.Errorf("at the last step:\n%s", b)
	}
	if v := golden.Plain(m.View()); !strings.Contains(v, "▶   INPUT") {
		t.Errorf("the timeline does not scroll to the last step:\n%s", v)
	}
	panetest.Press(m, "g")
	if b := box(); !strings.Contains(b, "step 1 of 57") {
		t.Errorf("g does not go back to the first step:\n%s", b)
	}
	first := m.View()
	panetest.Press(m, "j")
	if m.View() == first {
		t.Error("j does not scroll the timeline")
	}
}

// TestMessages: the journey's links go to the topology, and a rule's step to the
// iptables pane.
func TestMessages(t *testing.T) {
	m, msgs, _ := traced(t, 120, 40)
	var path *pane.PathMsg
	for _, msg := range msgs {
		if p, ok := msg.(pane.PathMsg); ok {
			path = &p
		}
	}
	if path == nil {
		t.Fatalf("no PathMsg among %v", msgs)
	}
	if path.Label != "outside → host1:8080/tcp" {
		t.Errorf("path label %q", path.Label)
	}
	for _, want := range []pane.PathLink{
		{Namespace: "outside", Link: "eth0"}, {Namespace: "lan", Link: "outside"}, {Namespace: "lan", Link: "lan0"},
		{Namespace: "lan", Link: "host1"}, {Namespace: "host1", Link: "eth0"}, {Namespace: "host1", Link: "wb0"},
		{Namespace: "host1", Link: "vethaece132"}, {Namespace: "web", Link: "eth0"},
	} {
		if !slices.Contains(path.Links, want) {
			t.Errorf("the path lacks %v: %v", want, path.Links)
		}
	}
	if slices.Contains(path.Links, pane.PathLink{Namespace: "host1", Link: "lan0"}) {
		t.Errorf("the LAN's bridge is put in host1: %v", path.Links)
	}
	got := panetest.Press(m, slices.Repeat([]string{"l"}, 13)...)
	want := pane.HighlightRuleMsg{Host: "host1", Table: "nat", Chain: "WB-DNAT", Num: 1}
	if len(got) == 0 || got[len(got)-1] != want {
		t.Errorf("on the DNAT rule the pane sent %v, want %v last", got, want)
	}
	if got := panetest.Press(m, "l"); len(got) != 0 {
		t.Errorf("a NAT step sent %v to the iptables pane", got)
	}
	if got := panetest.Press(m, "esc"); len(got) != 1 || len(got[0].(pane.PathMsg).Links) != 0 {
		t.Errorf("esc sent %v, want the path cleared", got)
	}
}

// TestForm: p asks for a probe, FROM filled with the selected container; enter sends
// it; esc closes the form; a failed probe says why.
func TestForm(t *testing.T) {
	sent := new([]string)
	src := fakeSource{t: t, sent: sent, err: errors.New("trace web nowhere: probe to \"nowhere\": not an IPv4 address")}
	m := panetest.Load(traceview.New(src), 80, 24)
	m.Update(pane.SelectMsg{Container: "web"})
	if v := golden.Plain(m.View()); !strings.Contains(v, "no journey yet: p sends a probe") {
		t.Errorf("before a probe:\n%s", v)
	}
	panetest.Press(m, "p")
	if !m.Typing() {
		t.Fatal("p did not open the form")
	}
	if v := golden.Plain(m.View()); !strings.Contains(v, "from web") {
		t.Errorf("the form's FROM is not the selected container:\n%s", v)
	}
	panetest.Type(m, "nowhere")
	panetest.Press(m, "enter")
	if m.Typing() || len(*sent) != 1 || (*sent)[0] != "web nowhere" {
		t.Fatalf("enter sent %q (form open: %v)", *sent, m.Typing())
	}
	if v := golden.Plain(m.View()); !strings.Contains(v, "not an IPv4 address") {
		t.Errorf("the error is not shown:\n%s", v)
	}
	panetest.Press(m, "p", "esc")
	if m.Typing() {
		t.Error("esc did not close the form")
	}
	panetest.Press(m, "r")
	if len(*sent) != 2 || (*sent)[1] != "web nowhere" {
		t.Errorf("r sent %q, want the same probe again", *sent)
	}
}

// BenchmarkStepThrough is one step of the step-through at 160x48 on a real journey
// of 57 steps: the timeline marked again and the frame drawn.
func BenchmarkStepThrough(b *testing.B) {
	m, _, _ := traced(b, 160, 48)
	keys := []string{"l", "h"}
	b.ResetTimer()
	for i := range b.N {
		m.Update(panetest.Key(keys[i%2]))
		_ = m.View()
	}
}

// TestDropped: a probe between two isolated networks (testdata/dropped.json, a real
// one) ends at the DROP rule, shown as the end with its rule, with no reply; its
// step marks the rule in the iptables pane.
func TestDropped(t *testing.T) {
	m := panetest.Load(traceview.New(fakeSource{t: t, sent: new([]string), file: "dropped.json"}), 200, 40)
	panetest.Run(m, m.Update(pane.TraceMsg{From: "a", To: "b"}))
	testutil.Contains(t, "the dropped journey", golden.Plain(m.View()),
		"filter WB-ISOLATION-2 #3: -A WB-ISOLATION-2 -o br-netb",
		"-j DROP  [DROP]",
		"✘ dropped by rule 3 of WB-ISOLATION-2 (table filter) in host1",
		"reply: none seen",
	)
	got := panetest.Press(m, "G")
	want := pane.HighlightRuleMsg{Host: "host1", Table: "filter", Chain: "WB-ISOLATION-2", Num: 3}
	if len(got) != 1 || got[0] != want {
		t.Errorf("on the last step, the DROP rule, the pane sent %v, want %v", got, want)
	}
}
