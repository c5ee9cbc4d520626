package images

import (
	"archive/tar"
	"bytes"
	"io"
	"log"
	"os"
	"testing"
	"time"

	"workbench/cmdlog"
	"workbench/testutil"
)

// entry is one tar entry a test layer holds.
type entry struct {
	name, body, link string
	kind             byte
	mode             int64
	size             int64 // header size when it must lie; -1 = len(body)
	major, minor     int64
}

func file(name, body string) entry {
	return entry{name: name, body: body, kind: tar.TypeReg, mode: 0o644, size: -1}
}
func dir(name string) entry { return entry{name: name, kind: tar.TypeDir, mode: 0o755, size: -1} }
func symlink(name, target string) entry {
	return entry{name: name, link: target, kind: tar.TypeSymlink, mode: 0o777, size: -1}
}
func hardlink(name, target string) entry {
	return entry{name: name, link: target, kind: tar.TypeLink, mode: 0o644, size: -1}
}

// layerTar builds a layer tar; a lying size is written raw so the tar is broken the
// way a hostile one would be.
func layerTar(t testing.TB, entries ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		size := int64(len(e.body))
		if e.size >= 0 {
			size = e.size
		}
		if e.kind != tar.TypeReg {
			size = 0
		}
		hdr := &tar.Header{Typeflag: e.kind, Name: e.name, Linkname: e.link, Mode: e.mode, Size: size,
			ModTime: time.Unix(1700000000, 0), Devmajor: e.major, Devminor: e.minor, Format: tar.FormatPAX}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		if e.size >= 0 && e.size != int64(len(e.body)) {
			buf.WriteString(e.body) // the header lies: write what there is and stop
			return buf.Bytes()
		}
		if _, err := tw.Write([]byte(e.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// testStore opens a store in the test instance's image directory, removed after.
func testStore(t testing.TB) *Store {
	t.Helper()
	testutil.RequireRoot(t)
	inst := testutil.NewInstance(t)
	t.Cleanup(func() { os.RemoveAll(inst.DataDir); os.RemoveAll(inst.RunDir) })
	s, err := Open(inst.ImagesDir(), cmdlog.Open(inst.CommandLogPath()))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// nopLogger silences the test registry.
func nopLogger() *log.Logger { return log.New(io.Discard, "", 0) }
