package labs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestProgressKeepsSteps: progress written is read back; no file is no progress; a
// damaged file is one line that names it and says what to do.
func TestProgressKeepsSteps(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", "demo-progress.json")
	p, err := LoadProgress(path)
	if err != nil || p.Standing != "" || len(p.Steps) != 0 {
		t.Fatalf("no file: %+v, %v", p, err)
	}
	p.Played("003-out-and-in", 7)
	p.Played("000-bridge-by-hand", 2)
	if err := p.Save(path); err != nil {
		t.Fatal(err)
	}
	got, err := LoadProgress(path)
	if err != nil || got.Standing != "000-bridge-by-hand" || got.Steps["003-out-and-in"] != 7 || got.Steps["000-bridge-by-hand"] != 2 {
		t.Fatalf("read back %+v, %v", got, err)
	}
	if err := os.WriteFile(path, []byte(`{"steps": {"003-out-and-in": "seven"`), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = LoadProgress(path)
	if err == nil || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), path+" is damaged") || !strings.Contains(err.Error(), "remove it") {
		t.Errorf("a damaged file: %v", err)
	}
}
