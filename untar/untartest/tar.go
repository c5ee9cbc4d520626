package untartest

import (
	"archive/tar"
	"bytes"
	"io"
	"testing"
	"time"
)

// Entry is one entry of a test tar: its header and, for a file, its content.
type Entry struct {
	Header tar.Header
	Body   string
}

// File is a file of mode 0644 holding body.
func File(name, body string) Entry {
	return Entry{tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: 0o644, Size: int64(len(body))}, body}
}

// Dir is a directory of mode 0755.
func Dir(name string) Entry {
	return Entry{Header: tar.Header{Typeflag: tar.TypeDir, Name: name, Mode: 0o755}}
}

// Symlink is a symlink to target.
func Symlink(name, target string) Entry {
	return Entry{Header: tar.Header{Typeflag: tar.TypeSymlink, Name: name, Linkname: target, Mode: 0o777}}
}

// Hardlink is a hard link to the entry target.
func Hardlink(name, target string) Entry {
	return Entry{Header: tar.Header{Typeflag: tar.TypeLink, Name: name, Linkname: target, Mode: 0o644}}
}

// Tar makes a tar of es, every entry but a global header with one fixed time, so that
// the same entries make the same bytes. An entry whose header says more bytes than its body ends the
// tar there, cut short, as a hostile or broken tar is.
func Tar(t testing.TB, es ...Entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range es {
		hdr := e.Header
		if hdr.ModTime.IsZero() && hdr.Typeflag != tar.TypeXGlobalHeader {
			hdr.ModTime = time.Unix(1700000000, 0)
		}
		if hdr.Format == tar.FormatUnknown {
			hdr.Format = tar.FormatPAX
		}
		if err := tw.WriteHeader(&hdr); err != nil {
			t.Fatal(err)
		}
		if hdr.Size > int64(len(e.Body)) {
			buf.WriteString(e.Body)
			return buf.Bytes()
		}
		if _, err := io.WriteString(tw, e.Body); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
