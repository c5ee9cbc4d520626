package pane

import (
	"strings"
	"testing"
)

// TestWrap: lines break between words only, long words are cut to the width, and no
// line is wider than it.
func TestWrap(t *testing.T) {
	got := Wrap(`workbench: subnet "lots" is not an IPv4 CIDR: use e.g. --subnet 172.20.0.0/16`, 40)
	want := "workbench: subnet \"lots\" is not an IPv4\nCIDR: use e.g. --subnet 172.20.0.0/16"
	if got != want {
		t.Errorf("Wrap =\n%s\nwant\n%s", got, want)
	}
	if got := Wrap("a /very/long/path/that/goes/on b", 10); got != "a\n/very/long\n/path/that\n/goes/on b" {
		t.Errorf("a long word: %q", got)
	}
	for _, l := range strings.Split(Wrap(strings.Repeat("word ", 50)+strings.Repeat("x", 33), 16), "\n") {
		if len(l) > 16 {
			t.Errorf("line %q is wider than 16", l)
		}
	}
}
