package untar

import (
	"archive/tar"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"golang.org/x/sys/unix"

	"workbench/testutil"
	"workbench/untar/untartest"
)

// TestRootStaysInside: no tar writes outside the root, whatever its paths, symlinks
// and hard links; what would is refused with an error that says why.
func TestRootStaysInside(t *testing.T) {
	testutil.RequireRoot(t)
	for _, c := range []struct {
		name string
		// tar is the hostile tar, given the absolute path of what must stay untouched.
		tar    func(outside string) []untartest.Entry
		refuse string
		check  func(t *testing.T, layer, outside string)
	}{
		{"dotdot path", func(string) []untartest.Entry { return []untartest.Entry{untartest.File("../outside/pwn", "x")} },
			"../outside/pwn: the path climbs out of the layer with `..`: refused", nil},
		{"dotdot inside", func(string) []untartest.Entry { return []untartest.Entry{untartest.File("a/../../outside/pwn", "x")} },
			"a/../../outside/pwn: the path climbs out of the layer with `..`: refused", nil},
		{"absolute path", func(o string) []untartest.Entry { return []untartest.Entry{untartest.File(o+"/pwn", "x")} }, "",
			func(t *testing.T, layer, outside string) {
				if testutil.ReadFile(t, filepath.Join(layer, outside, "pwn")) != "x" {
					t.Fatal("the absolute path is not kept inside the root")
				}
			}},
		{"absolute symlink parent", func(o string) []untartest.Entry {
			return []untartest.Entry{untartest.Symlink("esc", o), untartest.File("esc/pwn", "x")}
		}, "esc/pwn: esc is not a directory (a symlink is not followed)", nil},
		{"relative symlink parent", func(o string) []untartest.Entry {
			return []untartest.Entry{untartest.Symlink("up", "../../../../../../.."+o), untartest.File("up/pwn", "x")}
		}, "up/pwn: up is not a directory (a symlink is not followed)", nil},
		{"symlink then overwrite", func(o string) []untartest.Entry {
			return []untartest.Entry{untartest.Symlink("s", o+"/secret"), untartest.File("s", "x")}
		}, "", func(t *testing.T, layer, outside string) {
			if testutil.ReadFile(t, filepath.Join(layer, "s")) != "x" {
				t.Fatal("the file should replace the symlink")
			}
		}},
		{"hardlink dotdot", func(string) []untartest.Entry { return []untartest.Entry{untartest.Hardlink("h", "../outside/secret")} },
			"h: hard link target \"../outside/secret\": the path climbs out of the layer with `..`: refused", nil},
		{"hardlink absolute", func(o string) []untartest.Entry { return []untartest.Entry{untartest.Hardlink("h", o+"/secret")} },
			"no such file or directory", nil},
		{"hardlink through symlink", func(o string) []untartest.Entry {
			return []untartest.Entry{untartest.Symlink("s", o), untartest.Hardlink("h", "s/secret")}
		}, "h: hard link target \"s/secret\": s is not a directory (a symlink is not followed)", nil},
		{"hardlink to the root", func(string) []untartest.Entry { return []untartest.Entry{untartest.Hardlink("h", "/")} },
			"h: hard link to the layer root: refused", nil},
		{"size lies", func(string) []untartest.Entry {
			return []untartest.Entry{{Header: tar.Header{Typeflag: tar.TypeReg, Name: "big", Mode: 0o644, Size: 4096}, Body: "short"}}
		}, "big: write file (is the tar truncated?): unexpected EOF", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			base := untartest.Sandbox(t)
			layer, outside := filepath.Join(base, "layer"), filepath.Join(base, "outside")
			err := extract(t, layer, Options{Root: "layer"}, untartest.Tar(t, c.tar(outside)...))
			if c.refuse == "" && err != nil {
				t.Fatal(err)
			}
			if c.refuse != "" && (err == nil || !strings.Contains(err.Error(), c.refuse)) {
				t.Fatalf("got %v, want a refusal saying %q", err, c.refuse)
			}
			untartest.OutsideUntouched(t, base)
			if c.check != nil {
				c.check(t, layer, outside)
			}
		})
	}
}

// TestRootRacingSymlink: a directory swapped for a symlink to outside the root, again
// and again while files are written in it, leads no write out of the root.
func TestRootRacingSymlink(t *testing.T) {
	testutil.RequireRoot(t)
	base := untartest.Sandbox(t)
	layer := filepath.Join(base, "layer")
	if err := os.Mkdir(filepath.Join(layer, "d"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(base, "outside"), filepath.Join(layer, "x")); err != nil {
		t.Fatal(err)
	}
	fd, err := unix.Open(layer, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
				_ = unix.Renameat2(fd, "d", fd, "x", unix.RENAME_EXCHANGE)
			}
		}
	})
	r := New(fd, Options{Root: "layer"})
	written, refused := 0, 0
	for i := range 2000 {
		hdr := &tar.Header{Typeflag: tar.TypeReg, Name: fmt.Sprintf("d/f%d", i), Mode: 0o644, Size: 1}
		if _, err := r.Write(hdr, hdr.Name, strings.NewReader("x")); err != nil {
			refused++
		} else {
			written++
		}
	}
	close(stop)
	wg.Wait()
	t.Logf("%d files written, %d refused", written, refused)
	untartest.OutsideUntouched(t, base)
}

// TestRootOptions: each option changes what it says, and only that.
func TestRootOptions(t *testing.T) {
	testutil.RequireRoot(t)
	stat := func(t *testing.T, p string) unix.Stat_t {
		t.Helper()
		var st unix.Stat_t
		if err := unix.Lstat(p, &st); err != nil {
			t.Fatal(err)
		}
		return st
	}
	setid := []untartest.Entry{{Header: tar.Header{Typeflag: tar.TypeReg, Name: "su", Mode: 0o6755, Size: 1}, Body: "x"},
		{Header: tar.Header{Typeflag: tar.TypeFifo, Name: "fifo", Mode: 0o1644}}}
	for _, c := range []struct {
		name  string
		opts  Options
		tar   []untartest.Entry
		check func(t *testing.T, dir string)
	}{
		{"set-id bits stripped", Options{}, setid, func(t *testing.T, dir string) {
			if m := stat(t, filepath.Join(dir, "su")).Mode &^ unix.S_IFMT; m != 0o755 {
				t.Errorf("file mode %o, want 755", m)
			}
			if m := stat(t, filepath.Join(dir, "fifo")).Mode &^ unix.S_IFMT; m != 0o644 {
				t.Errorf("fifo mode %o, want 644", m)
			}
		}},
		{"KeepSetID", Options{KeepSetID: true}, setid, func(t *testing.T, dir string) {
			if m := stat(t, filepath.Join(dir, "su")).Mode &^ unix.S_IFMT; m != 0o6755 {
				t.Errorf("file mode %o, want 6755", m)
			}
			if m := stat(t, filepath.Join(dir, "fifo")).Mode &^ unix.S_IFMT; m != 0o1644 {
				t.Errorf("fifo mode %o, want 1644", m)
			}
		}},
		{"the tar's owners", Options{}, []untartest.Entry{
			{Header: tar.Header{Typeflag: tar.TypeReg, Name: "mine", Uid: 1000, Gid: 1001, Mode: 0o644}},
			{Header: tar.Header{Typeflag: tar.TypeReg, Name: "bad", Uid: -5, Gid: 1 << 31, Mode: 0o644}},
		}, func(t *testing.T, dir string) {
			if st := stat(t, filepath.Join(dir, "mine")); st.Uid != 1000 || st.Gid != 1001 {
				t.Errorf("owner %d:%d, want 1000:1001", st.Uid, st.Gid)
			}
			if st := stat(t, filepath.Join(dir, "bad")); st.Uid != 0 || st.Gid != 0 {
				t.Errorf("owner of IDs the kernel would not take %d:%d, want root's", st.Uid, st.Gid)
			}
		}},
		{"Owner", Options{Owner: func(h *tar.Header) (int, int) { return h.Uid + 100000, h.Gid + 100000 }},
			[]untartest.Entry{{Header: tar.Header{Typeflag: tar.TypeDir, Name: "d/", Uid: 1, Gid: 2, Mode: 0o755}}, untartest.Symlink("d/l", "x")},
			func(t *testing.T, dir string) {
				if st := stat(t, filepath.Join(dir, "d")); st.Uid != 100001 || st.Gid != 100002 {
					t.Errorf("directory owner %d:%d, want 100001:100002", st.Uid, st.Gid)
				}
				if st := stat(t, filepath.Join(dir, "d", "l")); st.Uid != 100000 || st.Gid != 100000 {
					t.Errorf("symlink owner %d:%d, want 100000:100000", st.Uid, st.Gid)
				}
			}},
		{"file written whole", Options{}, []untartest.Entry{untartest.File("zeros", string(make([]byte, 64<<10)))}, func(t *testing.T, dir string) {
			if st := stat(t, filepath.Join(dir, "zeros")); st.Size != 64<<10 || st.Blocks*512 < 64<<10 {
				t.Errorf("size %d, %d bytes on disk: want 64 KiB written", st.Size, st.Blocks*512)
			}
		}},
		{"Sparse", Options{Sparse: true}, []untartest.Entry{untartest.File("zeros", string(make([]byte, 64<<10)))}, func(t *testing.T, dir string) {
			if st := stat(t, filepath.Join(dir, "zeros")); st.Size != 64<<10 || st.Blocks != 0 {
				t.Errorf("size %d, %d bytes on disk: want 64 KiB of hole", st.Size, st.Blocks*512)
			}
		}},
		{"other kinds left out", Options{}, []untartest.Entry{{Header: tar.Header{Typeflag: tar.TypeXGlobalHeader, Name: "pax_global_header"}}},
			func(t *testing.T, dir string) {
				if ents, _ := os.ReadDir(dir); len(ents) != 0 {
					t.Errorf("a global header made %v", ents)
				}
			}},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := extract(t, dir, c.opts, untartest.Tar(t, c.tar...)); err != nil {
				t.Fatal(err)
			}
			c.check(t, dir)
		})
	}
}

// TestRootHooks: Made hears of each directory made for an entry, and ThroughSymlink's
// error is the one given for a path through a symlink.
func TestRootHooks(t *testing.T) {
	testutil.RequireRoot(t)
	var made []string
	refused := errors.New("refused by the hook")
	var gotLink, gotTarget string
	opts := Options{Root: "layer",
		Made: func(dir string) { made = append(made, dir) },
		ThroughSymlink: func(l, t string) error {
			gotLink, gotTarget = l, t
			return refused
		}}
	dir := t.TempDir()
	err := extract(t, dir, opts, untartest.Tar(t, untartest.File("a/b/c", "x"), untartest.File("a/d", "y"), untartest.Symlink("a/l", "/etc"), untartest.File("a/l/e", "z")))
	if !errors.Is(err, refused) || gotLink != "a/l" || gotTarget != "/etc" {
		t.Errorf("got %v through %s -> %s, want the hook's error through a/l -> /etc", err, gotLink, gotTarget)
	}
	if strings.Join(made, ",") != "a,a/b" {
		t.Errorf("made %v, want a and a/b", made)
	}
}

// FuzzClean: a path Clean gives is clean, relative and inside the root.
func FuzzClean(f *testing.F) {
	testutil.Seed(f, "a/b", "/a", "//a/../b", "../a", "a/../..", ".", "", "./a/", "a\x00b", "/..")
	r := New(-1, Options{Root: "layer"})
	f.Fuzz(func(t *testing.T, name string) {
		rel, err := r.Clean(name)
		if err != nil {
			return
		}
		if rel != path.Clean(rel) || path.IsAbs(rel) || rel == ".." || strings.HasPrefix(rel, "../") {
			t.Fatalf("Clean(%q) = %q", name, rel)
		}
	})
}
