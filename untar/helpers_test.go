package untar

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
	"testing"

	"golang.org/x/sys/unix"
)

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
