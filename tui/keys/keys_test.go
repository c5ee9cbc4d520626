package keys

import (
	"slices"
	"testing"
)

// TestBindNamesTheFirstKey: a binding reads its key and the others that do the same,
// and the help names the first.
func TestBindNamesTheFirstKey(t *testing.T) {
	b := Bind("q", "quit", "ctrl+c")
	if h := b.Help(); h.Key != "q" || h.Desc != "quit" {
		t.Errorf("the help says %q %q, want q quit", h.Key, h.Desc)
	}
	if !slices.Equal(b.Keys(), []string{"q", "ctrl+c"}) {
		t.Errorf("the binding reads %q, want q and ctrl+c", b.Keys())
	}
}
