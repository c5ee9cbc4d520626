// Package untartest gives tests of tar extraction their tars (Tar of File, Dir,
// Symlink, Hardlink or any header), a directory to extract into next to a file that
// must stay untouched, and the check that it was.
package untartest

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// Sandbox makes base/layer, the directory to extract into, and base/outside/secret,
// what must not be touched, and returns base.
func Sandbox(t testing.TB) string {
	t.Helper()
	base := t.TempDir()
	if err := os.MkdirAll(filepath.Join(base, "layer"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(base, "outside"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(base, "outside", "secret"), []byte("secret"), 0o644); err != nil {
		t.Fatal(err)
	}
	return base
}

// OutsideUntouched fails unless base holds only layer/ and outside/secret, unchanged.
func OutsideUntouched(t testing.TB, base string) {
	t.Helper()
	var found []string
	filepath.WalkDir(base, func(p string, d fs.DirEntry, err error) error {
		rel, _ := filepath.Rel(base, p)
		if rel == "layer" {
			return filepath.SkipDir
		}
		found = append(found, rel)
		return nil
	})
	if strings.Join(found, ",") != ".,outside,outside/secret" {
		t.Fatalf("the unpack wrote outside the layer: %v", found)
	}
	var st unix.Stat_t
	if err := unix.Lstat(filepath.Join(base, "outside", "secret"), &st); err != nil || st.Nlink != 1 || st.Size != 6 {
		t.Fatalf("outside/secret was changed or linked: %+v %v", st, err)
	}
}
