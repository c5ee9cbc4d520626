package untar

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
	"testing"

	"golang.org/x/sys/unix"
)

// member is one entry of a test tar: its header, and a file's content.
type member struct {
	hdr  tar.Header
	body string
}

func reg(name, body string) member {
	return member{tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: 0o644, Size: int64(len(body))}, body}
}

func link(kind byte, name, target string) member {
	return member{hdr: tar.Header{Typeflag: kind, Name: name, Linkname: target, Mode: 0o777}}
}

// tarOf makes a tar of ms; a member whose size is more than its body ends the tar
// there, cut short.
func tarOf(t *testing.T, ms ...member) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, m := range ms {
		if err := tw.WriteHeader(&m.hdr); err != nil {
			t.Fatal(err)
		}
		if m.hdr.Size > int64(len(m.body)) {
			buf.WriteString(m.body)
			return buf.Bytes()
		}
		if _, err := io.WriteString(tw, m.body); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// extract writes every entry of data under dir, refusing what Clean refuses.
func extract(t *testing.T, dir string, opts Options, data []byte) error {
	fd, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	r := New(fd, opts)
	tr := tar.NewReader(bytes.NewReader(data))
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		rel, err := r.Clean(hdr.Name)
		if err == nil && rel != "." {
			_, err = r.Write(hdr, rel, tr)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", hdr.Name, err)
		}
	}
}
