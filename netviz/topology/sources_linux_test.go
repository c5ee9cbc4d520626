package topology

import (
	"os"
	"path/filepath"
	"testing"
)

func TestContainerSource(t *testing.T) {
	root := t.TempDir()
	write := func(path, text string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	own := filepath.Join(root, "aaaa", "netns")
	write(own, "")
	write(filepath.Join(root, "aaaa", "state.json"), `{"Name":"web"}`)
	write(filepath.Join(root, "bbbb", "state.json"), `{"Name":"side","NetnsPath":"`+own+`"}`)
	write(filepath.Join(root, "cccccccccccccccc", "state.json"), `not json`)
	write(filepath.Join(root, "cccccccccccccccc", "netns"), "")
	write(filepath.Join(root, "dddd", "state.json"), `{"Name":"gone","NetnsPath":"/nonexistent"}`)

	for dir, want := range map[string]Source{
		"aaaa":             {Name: "web", Kind: KindContainer, Path: own},
		"bbbb":             {Name: "side", Kind: KindContainer, Path: own, Shared: true},
		"cccccccccccccccc": {Name: "cccccccccccc", Kind: KindContainer, Path: filepath.Join(root, "cccccccccccccccc", "netns")},
	} {
		if got, ok := containerSource(filepath.Join(root, dir)); !ok || got != want {
			t.Errorf("containerSource(%s) = %+v, %v; want %+v", dir, got, ok, want)
		}
	}
	if got, ok := containerSource(filepath.Join(root, "dddd")); ok {
		t.Errorf("a container without a namespace gave %+v", got)
	}
}
