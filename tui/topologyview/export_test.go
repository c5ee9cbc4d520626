package topologyview_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"workbench/tui/panetest"
	"workbench/tui/pathprompt"
	"workbench/tui/topologyview"
)

// TestExportKey: e asks where to write the topology and writes Mermaid, or DOT for a
// .dot file.
func TestExportKey(t *testing.T) {
	m := loaded(80, 24)
	ask, ok := m.Update(panetest.Key("e"))().(pathprompt.AskMsg)
	if !ok || ask.File != topologyview.ExportFile {
		t.Fatalf("e asked for %#v, want a path for %s", ask, topologyview.ExportFile)
	}
	dir := t.TempDir()
	for file, want := range map[string]string{"lab.mmd": "flowchart LR\n", "lab.dot": "graph topology {\n"} {
		path := filepath.Join(dir, file)
		if _, err := ask.Write(path); err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile(path)
		if !strings.HasPrefix(string(b), want) || !strings.Contains(string(b), "web1") {
			t.Errorf("%s starts %.40q, want %q and the containers", file, b, want)
		}
	}
}
