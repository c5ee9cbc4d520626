// Package golden compares what a view draws with the picture kept in testdata, for the
// tests of the app's panes and of the network views. Run the tests with -update to
// write the pictures again.
package golden

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

var update = flag.Bool("update", false, "write the golden files of the view tests again")

// Assert compares got, without its colour codes and trailing spaces, with the file
// testdata/NAME.
func Assert(t *testing.T, name, got string) {
	t.Helper()
	got = Plain(got)
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v (run the test with -update to make it)", path, err)
	}
	if string(want) != got {
		t.Errorf("%s differs from what the view draws now (run with -update if the change is meant): %s\n--- got\n%s", path, firstDiff(string(want), got), got)
	}
}

// firstDiff names the first line that differs, with both versions of it.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d\n want: %q\n  got: %q", i+1, wl, gl)
		}
	}
	return "only in the ends of lines"
}

// Plain strips colour codes and the spaces at the end of each line.
func Plain(s string) string {
	lines := strings.Split(ansi.Strip(s), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n") + "\n"
}
