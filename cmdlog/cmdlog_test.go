package cmdlog

import (
	"path/filepath"
	"testing"
)

func TestAddAndEntries(t *testing.T) {
	l := Open(filepath.Join(t.TempDir(), "sub", "commands.log"))
	l.AddArgs("ip", "link", "add", "veth0", "type", "veth")
	l.Addf("mount -t overlay overlay -o %s /x", "lowerdir=/a")
	l.AddArgs("sh", "-c", "echo it's")
	es, err := l.Entries()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"ip link add veth0 type veth", "mount -t overlay overlay -o lowerdir=/a /x", `sh -c 'echo it'\''s'`}
	if len(es) != len(want) {
		t.Fatalf("got %d entries, want %d", len(es), len(want))
	}
	for i, e := range es {
		if e.Command != want[i] {
			t.Errorf("entry %d = %q, want %q", i, e.Command, want[i])
		}
	}
}

func TestAddLinesKeepsOrder(t *testing.T) {
	l := Open(filepath.Join(t.TempDir(), "commands.log"))
	l.AddLines("mount --make-rprivate /", "pivot_root . .", "umount -l .")
	es, err := l.Entries()
	if err != nil || len(es) != 3 || es[0].Command != "mount --make-rprivate /" || es[2].Command != "umount -l ." {
		t.Fatalf("AddLines recorded %v, %v", es, err)
	}
}

// TestNilLogIsSafe calls every method of a nil log: none panics, and it reads as empty.
func TestNilLogIsSafe(t *testing.T) {
	var l *Log
	l.Add("anything")
	l.AddLines("a", "b")
	l.AddArgs("ip", "link")
	l.Addf("x %d", 1)
	l.Close()
	if p := l.Path(); p != "" {
		t.Errorf("a nil log has path %q", p)
	}
	if es, err := l.Entries(); es != nil || err != nil {
		t.Errorf("a nil log has entries %v, %v", es, err)
	}
}

func TestQuoteEmpty(t *testing.T) {
	if got := Quote("a", ""); got != "a ''" {
		t.Fatalf("Quote = %q", got)
	}
}
