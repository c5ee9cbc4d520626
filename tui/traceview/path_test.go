package traceview

import (
	"slices"
	"testing"

	"workbench/tui/pane"
)

// TestLinkEnds: a veth pair gives both ends, a bridge its port and itself in the
// namespace of the pair's end that is the port.
func TestLinkEnds(t *testing.T) {
	got := linkEnds("bridge lan0 port host1, veth pair lan:host1 ⇄ host1:eth0", "host1")
	want := []pane.PathLink{{Namespace: "lan", Link: "host1"}, {Namespace: "host1", Link: "eth0"}, {Namespace: "lan", Link: "lan0"}, {Namespace: "lan", Link: "host1"}}
	if !slices.Equal(got, want) {
		t.Errorf("linkEnds = %v, want %v", got, want)
	}
	if got := linkEnds("", "x"); len(got) != 0 {
		t.Errorf("no link text gave %v", got)
	}
}

// FuzzLinkEnds: any text gives links without a panic, each with a namespace and a
// name when it came from a veth pair.
func FuzzLinkEnds(f *testing.F) {
	for _, s := range []string{
		"veth pair outside:eth0 ⇄ lan:outside, bridge lan0 port outside",
		"bridge wb0 port veth1a2b3c, veth pair host1:veth1a2b3c ⇄ web:eth0",
		"veth pair a: ⇄ :b", "bridge  port ", ", , ,", "veth pair x ⇄ y",
	} {
		f.Add(s, "host1")
	}
	f.Fuzz(func(t *testing.T, text, ns string) {
		for _, l := range linkEnds(text, ns) {
			_ = l.Namespace + l.Link
		}
	})
}
