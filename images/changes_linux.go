package images

import (
	"archive/tar"
	"fmt"
	"io"
	"path"
	"sort"
	"time"

	"golang.org/x/sys/unix"
)

// Change is one path a container changed, as `diff` lists it.
type Change struct {
	// Kind is 'A' (added), 'C' (changed) or 'D' (deleted).
	Kind byte
	// Path is the absolute path inside the container.
	Path string
}

// String is the `docker diff` line: "A /etc/foo".
func (c Change) String() string { return string(c.Kind) + " " + c.Path }

// isWhiteout reports whether a stat describes overlayfs's deletion mark.
func isWhiteout(st unix.Stat_t) bool { return st.Mode&unix.S_IFMT == unix.S_IFCHR && st.Rdev == 0 }

// inLowers reports whether rel is visible in the union of the lower layers (given top
// first): present in one, and not deleted or hidden by one above.
func inLowers(lowers []*layerDir, rel string) bool {
	for _, l := range lowers {
		if st, err := l.lstat(rel); err == nil {
			return !isWhiteout(st)
		}
		if hiddenIn(l, rel) {
			return false
		}
	}
	return false
}

// hiddenIn reports whether a layer hides rel from the layers below it: a parent of
// rel is deleted, opaque, or not a directory in that layer.
func hiddenIn(l *layerDir, rel string) bool {
	for p := path.Dir(rel); p != "."; p = path.Dir(p) {
		st, err := l.lstat(p)
		if err == nil && (st.Mode&unix.S_IFMT != unix.S_IFDIR || l.opaque(p)) {
			return true
		}
	}
	return false
}

// topFirst reverses a bottom-first list of layers.
func topFirst(layers []string) []string {
	out := make([]string, len(layers))
	for i, l := range layers {
		out[len(layers)-1-i] = l
	}
	return out
}

// Changes lists what an overlay upper directory changed over its lower directories
// (an image's layers, bottom first): whiteouts are deletions, paths not visible below
// are additions, the rest changes; the entries below an opaque directory that the
// lowers showed are deletions too. The upper directory may belong to a running
// container: no symlink of it, or of a lower layer, is ever followed.
func Changes(upper string, layers []string) ([]Change, error) {
	up, err := openLayerDir(upper)
	if err != nil {
		return nil, fmt.Errorf("read the container's upper directory: %w", err)
	}
	defer up.close()
	lowers, err := openLayerDirs(topFirst(layers))
	if err != nil {
		return nil, fmt.Errorf("read the image's layers: %w", err)
	}
	defer closeLayerDirs(lowers)
	var out []Change
	err = up.walk(func(e *layerEntry) error {
		abs := "/" + e.rel
		switch {
		case e.isWhiteout():
			out = append(out, Change{'D', abs})
		case inLowers(lowers, e.rel):
			out = append(out, Change{'C', abs})
			if e.opaque {
				out = append(out, hiddenBelow(up, lowers, e.rel)...)
			}
		default:
			out = append(out, Change{'A', abs})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the container's upper directory: %w", err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

// hiddenBelow lists as deleted the entries the lowers (top first) showed in an opaque
// directory that the upper directory does not have again.
func hiddenBelow(up *layerDir, lowers []*layerDir, rel string) []Change {
	seen := map[string]bool{}
	var out []Change
	for _, l := range lowers {
		st, err := l.lstat(rel)
		if err != nil {
			if hiddenIn(l, rel) {
				break
			}
			continue
		}
		if st.Mode&unix.S_IFMT != unix.S_IFDIR {
			break
		}
		names, _ := l.names(rel)
		for _, n := range names {
			name := path.Join(rel, n)
			if seen[name] {
				continue
			}
			seen[name] = true
			if st, err := l.lstat(name); err != nil || isWhiteout(st) {
				continue
			}
			if _, err := up.lstat(name); err != nil {
				out = append(out, Change{'D', "/" + name})
			}
		}
		if l.opaque(rel) {
			break
		}
	}
	return out
}

// WriteLayer writes an overlay upper directory as an OCI layer tar: whiteout devices
// become `.wh.NAME` entries, opaque directories get a `.wh..wh..opq` entry, hard links
// inside the directory stay hard links. Sockets are left out. The directory may belong
// to a running container: a symlink is recorded as a symlink and never followed, and a
// file's content is read from the inode that was listed.
func WriteLayer(upper string, w io.Writer) error {
	l, err := openLayerDir(upper)
	if err != nil {
		return err
	}
	defer l.close()
	tw := tar.NewWriter(w)
	links := map[uint64]string{}
	err = l.walk(func(e *layerEntry) error {
		if e.isWhiteout() {
			return tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: path.Join(path.Dir(e.rel), whiteoutPrefix+path.Base(e.rel)), Mode: 0o600, ModTime: mtime(e.st), Format: tar.FormatPAX})
		}
		if e.kind() == unix.S_IFSOCK {
			return nil
		}
		return writeEntry(tw, e, links)
	})
	if err != nil {
		return fmt.Errorf("write a layer from %s: %w", upper, err)
	}
	return tw.Close()
}

// mtime is a stat's modification time.
func mtime(st unix.Stat_t) time.Time { return time.Unix(st.Mtim.Sec, st.Mtim.Nsec) }

// header is the tar header of an entry: what tar.FileInfoHeader makes of its stat,
// without user and group names or access and change times.
func header(e *layerEntry) (*tar.Header, error) {
	hdr := &tar.Header{Name: e.rel, Mode: int64(e.st.Mode & 0o7777), ModTime: mtime(e.st),
		Uid: int(e.st.Uid), Gid: int(e.st.Gid), Format: tar.FormatPAX}
	switch e.kind() {
	case unix.S_IFREG:
		hdr.Typeflag, hdr.Size = tar.TypeReg, e.st.Size
	case unix.S_IFDIR:
		hdr.Typeflag, hdr.Name = tar.TypeDir, e.rel+"/"
	case unix.S_IFLNK:
		target, err := e.target()
		if err != nil {
			return nil, err
		}
		hdr.Typeflag, hdr.Linkname = tar.TypeSymlink, target
	case unix.S_IFCHR, unix.S_IFBLK:
		hdr.Typeflag = tar.TypeChar
		if e.kind() == unix.S_IFBLK {
			hdr.Typeflag = tar.TypeBlock
		}
		hdr.Devmajor, hdr.Devminor = int64(unix.Major(e.st.Rdev)), int64(unix.Minor(e.st.Rdev))
	case unix.S_IFIFO:
		hdr.Typeflag = tar.TypeFifo
	default:
		return nil, fmt.Errorf("%s: unknown file type %#o", e.rel, e.kind())
	}
	return hdr, nil
}

func writeEntry(tw *tar.Writer, e *layerEntry, links map[uint64]string) error {
	hdr, err := header(e)
	if err != nil {
		return err
	}
	if e.kind() == unix.S_IFDIR {
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if e.opaque {
			return tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: e.rel + "/" + opaqueMarker, Mode: 0o600, ModTime: hdr.ModTime, Format: tar.FormatPAX})
		}
		return nil
	}
	if e.kind() == unix.S_IFREG && e.st.Nlink > 1 {
		if first, ok := links[e.st.Ino]; ok {
			hdr.Typeflag, hdr.Linkname, hdr.Size = tar.TypeLink, first, 0
			return tw.WriteHeader(hdr)
		}
		links[e.st.Ino] = e.rel
	}
	if e.kind() != unix.S_IFREG {
		return tw.WriteHeader(hdr)
	}
	f, err := e.open()
	if err != nil {
		return err
	}
	defer f.Close()
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	n, err := io.Copy(tw, io.LimitReader(f, hdr.Size))
	if err == nil && n < hdr.Size {
		err = fmt.Errorf("%s shrank from %d to %d bytes while it was read (the container changed it): commit it paused", e.rel, hdr.Size, n)
	}
	return err
}
