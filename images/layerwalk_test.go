package images

import (
	"archive/tar"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"workbench/testutil"
)

// machineSecret makes, outside any layer, a directory holding a file "secret" and a
// file "machine-only", both with a text no layer may ever hold.
func machineSecret(t *testing.T) (dir, secret string) {
	t.Helper()
	dir = t.TempDir()
	secret = "MACHINE-SECRET-0123456789\n"
	for _, n := range []string{"secret", "machine-only"} {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(secret), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir, secret
}

// tarEntries reads a tar into its headers by name and the bodies of its files.
func tarEntries(t *testing.T, b []byte) (map[string]*tar.Header, map[string]string) {
	t.Helper()
	hdrs, bodies := map[string]*tar.Header{}, map[string]string{}
	tr := tar.NewReader(bytes.NewReader(b))
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return hdrs, bodies
		}
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(tr)
		hdrs[h.Name], bodies[h.Name] = h, string(body)
	}
}

func TestWriteLayerRecordsSymlinksNotTheirTargets(t *testing.T) {
	outside, secret := machineSecret(t)
	upper := t.TempDir()
	for name, target := range map[string]string{"data": filepath.Join(outside, "secret"), "sub": outside, "rel": "../../../../../../../.." + outside} {
		if err := os.Symlink(target, filepath.Join(upper, name)); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := WriteLayer(upper, &buf); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(buf.Bytes(), []byte(secret)) {
		t.Fatal("the layer holds the content of a machine file a symlink points to")
	}
	hdrs, _ := tarEntries(t, buf.Bytes())
	if len(hdrs) != 3 {
		t.Errorf("the layer holds %d entries, want the 3 symlinks: %v", len(hdrs), hdrs)
	}
	for name, target := range map[string]string{"data": filepath.Join(outside, "secret"), "sub": outside} {
		if h := hdrs[name]; h == nil || h.Typeflag != tar.TypeSymlink || h.Linkname != target {
			t.Errorf("%s is recorded as %+v, want a symlink to %s", name, h, target)
		}
	}
	changes, err := Changes(upper, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmtChanges(changes); got != "A /data,A /rel,A /sub" {
		t.Errorf("diff of the symlinks: %s", got)
	}
}

func fmtChanges(cs []Change) string {
	var out []string
	for _, c := range cs {
		out = append(out, c.String())
	}
	return strings.Join(out, ",")
}

// A lower layer's symlink is not looked through either: a directory the container
// made where its image had a symlink to a machine directory is all new.
func TestChangesDoesNotLookThroughALowerSymlink(t *testing.T) {
	outside, _ := machineSecret(t)
	lower, upper := t.TempDir(), t.TempDir()
	if err := os.Symlink(outside, filepath.Join(lower, "x")); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(upper, "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(upper, "x", "secret"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	changes, err := Changes(upper, []string{lower})
	if err != nil {
		t.Fatal(err)
	}
	if got := fmtChanges(changes); got != "C /x,A /x/secret" {
		t.Errorf("diff over a lower symlink: %s, want C /x,A /x/secret", got)
	}
}

// The container swaps its paths between a regular file (or a directory) and a symlink
// to a machine file (or directory) as fast as it can while its layer is read: no read
// ever goes through a symlink, and no read fails for it.
func TestWriteLayerRacingSymlinkSwapsNeverReadsThroughThem(t *testing.T) {
	outside, secret := machineSecret(t)
	upper := t.TempDir()
	benign := strings.Repeat("b", len(secret)-1) + "\n"
	var stop atomic.Bool
	var rounds atomic.Int64
	var wg sync.WaitGroup
	swap := func(file, dir string) {
		defer wg.Done()
		f, d := filepath.Join(upper, file), filepath.Join(upper, dir)
		for !stop.Load() {
			os.RemoveAll(f)
			os.RemoveAll(d)
			os.WriteFile(f, []byte(benign), 0o644)
			os.Mkdir(d, 0o755)
			os.WriteFile(filepath.Join(d, "secret"), []byte(benign), 0o644)
			os.RemoveAll(f)
			os.RemoveAll(d)
			os.Symlink(filepath.Join(outside, "secret"), f)
			os.Symlink(outside, d)
			rounds.Add(1)
		}
	}
	wg.Add(2)
	go swap("data1", "sub1")
	go swap("data2", "sub2")
	defer func() { stop.Store(true); wg.Wait() }()
	testutil.Eventually(t, "the swaps' first ten rounds", func() bool { return rounds.Load() >= 10 })
	symlinks, files, walks := 0, 0, 0
	for start := rounds.Load(); walks < 300 || (walks < 20000 && (rounds.Load()-start < 200 || symlinks < 100 || files < 100)); walks++ {
		var buf bytes.Buffer
		if err := WriteLayer(upper, &buf); err != nil {
			t.Fatal(err)
		}
		hdrs, bodies := tarEntries(t, buf.Bytes())
		for name, h := range hdrs {
			switch {
			case strings.Contains(bodies[name], "SECRET") || strings.HasSuffix(name, "machine-only"):
				t.Fatalf("walk %d took a machine file as %s", walks, name)
			case h.Typeflag == tar.TypeSymlink:
				symlinks++
			case h.Typeflag == tar.TypeReg && !strings.HasPrefix(benign, bodies[name]):
				t.Fatalf("%s holds %q", name, bodies[name])
			case h.Typeflag == tar.TypeReg:
				files++
			}
		}
		changes, err := Changes(upper, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := fmtChanges(changes); strings.Contains(got, "machine-only") {
			t.Fatalf("diff lists the machine's directory: %s", got)
		}
	}
	t.Logf("%d walks against %d swaps: %d symlinks and %d files recorded", walks, rounds.Load(), symlinks, files)
	if symlinks == 0 || files == 0 {
		t.Fatal("the walks never met both a file and a symlink: the swaps did not run")
	}
}
