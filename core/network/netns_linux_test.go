package network

import (
	"os"
	"testing"

	"workbench/testutil"
)

// TestOpenPairClosesWhatItOpened: both handles are released by release, and the first
// at once when the second namespace cannot be opened. The machine's namespace is only
// opened, never changed.
func TestOpenPairClosesWhatItOpened(t *testing.T) {
	testutil.RequireRoot(t)
	fds := func() int {
		ents, err := os.ReadDir("/proc/self/fd")
		if err != nil {
			t.Fatal(err)
		}
		return len(ents)
	}
	before := fds()
	if _, _, _, err := openPair("/proc/self/ns/net", "/nonexistent/netns"); err == nil {
		t.Fatal("openPair of a missing namespace succeeded")
	}
	if n := fds(); n != before {
		t.Errorf("a failed openPair left %d descriptors open", n-before)
	}
	a, b, release, err := openPair("/proc/self/ns/net", "/proc/self/ns/net")
	if err != nil || a == nil || b == nil {
		t.Fatalf("openPair: %v", err)
	}
	release()
	if n := fds(); n != before {
		t.Errorf("release left %d descriptors open", n-before)
	}
}
