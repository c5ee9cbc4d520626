package topology

import (
	"strings"
	"testing"

	"workbench/testutil/golden"
)

// TestExportGolden: the fixture lab as Mermaid and DOT, kept in testdata.
func TestExportGolden(t *testing.T) {
	golden.Assert(t, "export.mmd", Mermaid(fixture()))
	golden.Assert(t, "export.dot", DOT(fixture()))
}

// TestExportEdges: a veth pair is one edge, a bridge port one, a tunnel a dashed edge
// to its far end; lo is left out.
func TestExportEdges(t *testing.T) {
	got := DOT(fixture())
	if n := strings.Count(got, "label=\"veth\""); n != 5 {
		t.Errorf("%d veth edges, want 5 (each pair once):\n%s", n, got)
	}
	if strings.Contains(got, "\"lo\\n") {
		t.Errorf("lo is drawn:\n%s", got)
	}
	if !strings.Contains(got, "style=dashed, label=\"vxlan\"") {
		t.Errorf("the vxlan is not a dashed edge:\n%s", got)
	}
}

// FuzzExportNames: any namespace and link name stays inside its quoted label in both
// formats, so the file parses.
func FuzzExportNames(f *testing.F) {
	for _, seed := range []string{"web", `a"b`, "x\ny", `back\slash`, "pipe|<tag>", ""} {
		f.Add(seed, seed)
	}
	f.Fuzz(func(t *testing.T, ns, link string) {
		s := Snapshot{Namespaces: []Namespace{{Name: ns, Kind: KindContainer, Links: []Link{{Index: 2, Name: link, Kind: "veth"}}}}}
		for _, out := range []string{Mermaid(s), DOT(s)} {
			for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
				if quotes := strings.Count(line, `"`) - strings.Count(line, `\"`); quotes%2 != 0 {
					t.Fatalf("a label is not closed in %q", line)
				}
			}
		}
		if strings.Count(DOT(s), "\n") != 8 || strings.Count(Mermaid(s), "\n") != 4 {
			t.Fatalf("a name broke a line:\n%s\n%s", DOT(s), Mermaid(s))
		}
	})
}
