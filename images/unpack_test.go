package images

import (
	"archive/tar"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"workbench/testutil"
	"workbench/untar/untartest"
)

// TestUnpackHostile: what a layer refuses or leaves out that a copy into a container
// keeps (the refusals of every tar are package untar's tests).
func TestUnpackHostile(t *testing.T) {
	testutil.RequireRoot(t)
	cases := []struct {
		name    string
		entries []untartest.Entry
		refuse  bool
		check   func(t *testing.T, layer string)
	}{
		{"dotdot path", []untartest.Entry{untartest.File("../outside/pwn", "x")}, true, nil},
		{"devices skipped", []untartest.Entry{{Header: tar.Header{Typeflag: tar.TypeChar, Name: "null", Mode: 0o666, Devmajor: 1, Devminor: 3}}, {Header: tar.Header{Typeflag: tar.TypeBlock, Name: "sda", Mode: 0o666, Devmajor: 8}}}, false, func(t *testing.T, layer string) {
			for _, n := range []string{"null", "sda"} {
				if _, err := os.Lstat(filepath.Join(layer, n)); !os.IsNotExist(err) {
					t.Fatalf("device %s was made", n)
				}
			}
		}},
		{"setuid stripped", []untartest.Entry{{Header: tar.Header{Typeflag: tar.TypeReg, Name: "su", Mode: 0o6755, Size: 1}, Body: "x"}, {Header: tar.Header{Typeflag: tar.TypeDir, Name: "sd", Mode: 0o3777}}}, false, func(t *testing.T, layer string) {
			st, _ := os.Stat(filepath.Join(layer, "su"))
			if st.Mode()&(fs.ModeSetuid|fs.ModeSetgid) != 0 || st.Mode().Perm() != 0o755 {
				t.Fatalf("setuid not stripped: %v", st.Mode())
			}
			st, _ = os.Stat(filepath.Join(layer, "sd"))
			if st.Mode()&fs.ModeSetgid != 0 || st.Mode()&fs.ModeSticky == 0 {
				t.Fatalf("dir mode: %v", st.Mode())
			}
		}},
		{"whiteouts", []untartest.Entry{untartest.Dir("d/"), untartest.File("d/.wh.gone", ""), untartest.File("o/.wh..wh..opq", ""), untartest.Dir(".wh..wh.plnk/"), untartest.File(".wh..wh.plnk/1.2", "x")}, false, func(t *testing.T, layer string) {
			var st unix.Stat_t
			if err := unix.Lstat(filepath.Join(layer, "d", "gone"), &st); err != nil || st.Mode&unix.S_IFMT != unix.S_IFCHR || st.Rdev != 0 {
				t.Fatalf("whiteout device: %+v %v", st, err)
			}
			l, err := openLayerDir(layer)
			if err != nil {
				t.Fatal(err)
			}
			defer l.close()
			if !l.opaque("o") {
				t.Fatal("opaque xattr missing")
			}
			for _, p := range []string{"d/.wh.gone", ".wh.plnk", ".wh..wh.plnk"} {
				if _, err := os.Lstat(filepath.Join(layer, p)); !os.IsNotExist(err) {
					t.Fatalf("%s must not be written", p)
				}
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			base := untartest.Sandbox(t)
			layer := filepath.Join(base, "layer")
			_, err := Unpack(bytes.NewReader(untartest.Tar(t, c.entries...)), layer, nil)
			if c.refuse && err == nil {
				t.Fatal("the hostile tar was accepted")
			}
			if err != nil {
				t.Logf("refused: %v", err)
			}
			untartest.OutsideUntouched(t, base)
			if c.check != nil && err == nil {
				c.check(t, layer)
			}
		})
	}
}

// TestUnpackRefusesWritesThroughSymlinks: an entry whose path goes through a symlink
// of the same layer is refused with the entry, the symlink and its target, wherever
// the symlink points.
func TestUnpackRefusesWritesThroughSymlinks(t *testing.T) {
	testutil.RequireRoot(t)
	for _, c := range []struct {
		entries []untartest.Entry
		want    string
	}{
		{[]untartest.Entry{untartest.Symlink("a", "/etc"), untartest.File("a/b", "x")}, `layer entry "a/b": the tar writes a/b through the symlink a -> /etc: refused`},
		{[]untartest.Entry{untartest.Dir("etc/"), untartest.Symlink("a", "etc"), untartest.File("a/passwd", "x")}, `layer entry "a/passwd": the tar writes a/passwd through the symlink a -> etc: refused`},
		{[]untartest.Entry{untartest.Dir("x/"), untartest.Symlink("x/a", "../y"), untartest.Dir("y/"), untartest.Dir("x/a/b/")}, `layer entry "x/a/b/": the tar writes x/a/b through the symlink x/a -> ../y: refused`},
		{[]untartest.Entry{untartest.Symlink("d", "/"), untartest.File("d/.wh.etc", "")}, `layer entry "d/.wh.etc": the tar writes d/.wh.etc through the symlink d -> /: refused`},
		{[]untartest.Entry{untartest.File("f", "x"), untartest.Symlink("s", "f"), untartest.Hardlink("h", "s/f")}, `layer entry "h": hard link target "s/f": the tar writes h through the symlink s -> f: refused`},
	} {
		base := untartest.Sandbox(t)
		_, err := Unpack(bytes.NewReader(untartest.Tar(t, c.entries...)), filepath.Join(base, "layer"), nil)
		var tse *ThroughSymlinkError
		if err == nil || err.Error() != c.want || !errors.As(err, &tse) {
			t.Errorf("Unpack = %v\nwant %s", err, c.want)
		}
		untartest.OutsideUntouched(t, base)
	}
}

// TestUnpackRecordsImpliedDirectories: the directories a tar needed but did not hold
// are recorded with the first entry that needed them; one the tar holds later is not.
func TestUnpackRecordsImpliedDirectories(t *testing.T) {
	testutil.RequireRoot(t)
	for _, c := range []struct {
		entries []untartest.Entry
		want    map[string]string
	}{
		{[]untartest.Entry{untartest.File("a/b/c", "x"), untartest.File("a/d", "y")}, map[string]string{"a": "a/b/c", "a/b": "a/b/c"}},
		{[]untartest.Entry{untartest.Dir("a/"), untartest.File("a/b/c", "x")}, map[string]string{"a/b": "a/b/c"}},
		{[]untartest.Entry{untartest.File("a/b", "x"), untartest.Dir("a/")}, nil},
		{[]untartest.Entry{untartest.File("a/.wh..wh..opq", ""), untartest.File("a", "now a file")}, nil},
		{[]untartest.Entry{untartest.File("etc/passwd", "x"), untartest.File("./etc/.wh.group", "")}, map[string]string{"etc": "etc/passwd"}},
	} {
		base := untartest.Sandbox(t)
		stats, err := Unpack(bytes.NewReader(untartest.Tar(t, c.entries...)), filepath.Join(base, "layer"), nil)
		if err != nil || !reflect.DeepEqual(stats.Implied, c.want) {
			t.Errorf("Implied = %v, %v; want %v", stats.Implied, err, c.want)
		}
	}
}

func TestUnpackTruncated(t *testing.T) {
	testutil.RequireRoot(t)
	base := untartest.Sandbox(t)
	full := untartest.Tar(t, untartest.File("a", strings.Repeat("x", 5000)), untartest.File("b", "y"))
	if _, err := Unpack(bytes.NewReader(full[:3000]), filepath.Join(base, "layer"), nil); err == nil {
		t.Fatal("a truncated tar was accepted")
	}
	untartest.OutsideUntouched(t, base)
}

func TestAddLayerDigestMismatch(t *testing.T) {
	s := testStore(t)
	data := untartest.Tar(t, untartest.File("a", "x"))
	bad := "sha256:" + strings.Repeat("0", 64)
	if _, err := s.addLayer(bytes.NewReader(data), bad, s.untar("t.tar")); err == nil || !strings.Contains(err.Error(), "mismatch") {
		t.Fatalf("want a digest mismatch, got %v", err)
	}
	for _, sub := range []string{"layers", "tmp"} {
		if entries, _ := os.ReadDir(filepath.Join(s.dir, sub)); len(entries) != 0 {
			t.Fatalf("%s/ keeps %d entries after a failed layer", sub, len(entries))
		}
	}
	info, err := s.addLayer(bytes.NewReader(data), digestOf(data), s.untar("t.tar"))
	if err != nil || info.DiffID != digestOf(data) {
		t.Fatalf("good layer: %+v %v", info, err)
	}
}

func FuzzUnpack(f *testing.F) {
	f.Add(untartest.Tar(f, untartest.Dir("a/"), untartest.File("a/b", "x"), untartest.Symlink("l", "/etc"), untartest.File("l/x", "y")))
	f.Add(untartest.Tar(f, untartest.File("../x", "x"), untartest.Hardlink("h", "../../etc/passwd")))
	f.Add(untartest.Tar(f, untartest.File("d/.wh.x", ""), untartest.File("d/.wh..wh..opq", ""), untartest.Entry{Header: tar.Header{Typeflag: tar.TypeChar, Name: "c"}}))
	f.Add(untartest.Tar(f, untartest.Symlink("up", "../../../.."), untartest.Dir("up/z/")))
	f.Add(untartest.Tar(f, untartest.Dir("x/"), untartest.Symlink("x/a", "../y"), untartest.Dir("y/"), untartest.File("x/a/b", "z"), untartest.Hardlink("h", "x/a/b")))
	f.Add(untartest.Tar(f, untartest.File("a/.wh..wh..opq", ""), untartest.File("a", "x"), untartest.File("b/c/d", "e")))
	f.Add([]byte("not a tar"))
	f.Fuzz(func(t *testing.T, data []byte) {
		testutil.RequireRoot(t)
		base := untartest.Sandbox(t)
		layer := filepath.Join(base, "layer")
		stats, _ := Unpack(bytes.NewReader(data), layer, nil)
		untartest.OutsideUntouched(t, base)
		for rel := range stats.Implied {
			if fi, err := os.Lstat(filepath.Join(layer, rel)); err != nil || !fi.IsDir() {
				t.Fatalf("implied directory %s is not a directory: %v", rel, err)
			}
		}
	})
}

func TestUnpackSparseHoleIsNotWritten(t *testing.T) {
	testutil.RequireRoot(t)
	base := untartest.Sandbox(t)
	// An old GNU sparse file: 4 GiB long, holding one byte at offset 0. Go's tar writer
	// makes no sparse headers, so a GNU header is patched by hand.
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: "huge", Mode: 0o644, Size: 1, Format: tar.FormatGNU}); err != nil {
		t.Fatal(err)
	}
	tw.Write([]byte("x"))
	tw.Close()
	b := buf.Bytes()
	b[156] = tar.TypeGNUSparse
	copy(b[386:398], "00000000000\x00") // first region: offset 0
	copy(b[398:410], "00000000001\x00") // one byte long
	copy(b[483:495], "40000000000\x00") // real size: 4 GiB
	copy(b[148:156], "        ")
	sum := 0
	for _, c := range b[:512] {
		sum += int(c)
	}
	copy(b[148:156], fmt.Sprintf("%06o\x00 ", sum))
	layer := filepath.Join(base, "layer")
	if _, err := Unpack(bytes.NewReader(b), layer, nil); err != nil {
		t.Fatal(err)
	}
	var st unix.Stat_t
	if err := unix.Stat(filepath.Join(layer, "huge"), &st); err != nil {
		t.Fatal(err)
	}
	if st.Size != 4<<30 || st.Blocks*512 > 1<<20 {
		t.Fatalf("want a 4 GiB file with its hole left as a hole: size %d, %d bytes on disk", st.Size, st.Blocks*512)
	}
	untartest.OutsideUntouched(t, base)
}
