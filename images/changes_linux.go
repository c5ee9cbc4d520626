package images

import (
	"archive/tar"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"syscall"
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

// isWhiteout reports whether an upper-dir entry is overlayfs's deletion mark.
func isWhiteout(fi fs.FileInfo) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && fi.Mode()&fs.ModeCharDevice != 0 && fi.Mode()&fs.ModeDevice != 0 && st.Rdev == 0
}

// isOpaque reports whether an upper-dir directory hides everything below it.
func isOpaque(dir string) bool {
	var b [1]byte
	n, err := unix.Lgetxattr(dir, opaqueXattr, b[:])
	return err == nil && n == 1 && b[0] == 'y'
}

// inLowers reports whether rel is visible in the union of the lower directories
// (given top first): present in one, and not deleted or hidden by one above.
func inLowers(lowers []string, rel string) bool {
	for _, l := range lowers {
		if fi, err := os.Lstat(filepath.Join(l, rel)); err == nil {
			return !isWhiteout(fi)
		}
		if hiddenIn(l, rel) {
			return false
		}
	}
	return false
}

// hiddenIn reports whether a layer hides rel from the layers below it: a parent of
// rel is deleted, opaque, or not a directory in that layer.
func hiddenIn(layer, rel string) bool {
	for p := filepath.Dir(rel); p != "."; p = filepath.Dir(p) {
		fi, err := os.Lstat(filepath.Join(layer, p))
		if err == nil && (!fi.IsDir() || isOpaque(filepath.Join(layer, p))) {
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
// lowers showed are deletions too.
func Changes(upper string, layers []string) ([]Change, error) {
	lowers := topFirst(layers)
	var out []Change
	err := filepath.WalkDir(upper, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(upper, p)
		if rel == "." {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		abs := "/" + filepath.ToSlash(rel)
		switch {
		case isWhiteout(fi):
			out = append(out, Change{'D', abs})
		case inLowers(lowers, rel):
			out = append(out, Change{'C', abs})
			if fi.IsDir() && isOpaque(p) {
				out = append(out, hiddenBelow(upper, lowers, rel)...)
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
func hiddenBelow(upper string, lowers []string, rel string) []Change {
	seen := map[string]bool{}
	var out []Change
	for _, l := range lowers {
		d := filepath.Join(l, rel)
		fi, err := os.Lstat(d)
		if err != nil {
			if hiddenIn(l, rel) {
				break
			}
			continue
		}
		if !fi.IsDir() {
			break
		}
		entries, _ := os.ReadDir(d)
		for _, e := range entries {
			name := path.Join(filepath.ToSlash(rel), e.Name())
			if seen[name] {
				continue
			}
			seen[name] = true
			info, err := e.Info()
			if err != nil || isWhiteout(info) {
				continue
			}
			if _, err := os.Lstat(filepath.Join(upper, name)); err != nil {
				out = append(out, Change{'D', "/" + name})
			}
		}
		if isOpaque(d) {
			break
		}
	}
	return out
}

// WriteLayer writes an overlay upper directory as an OCI layer tar: whiteout devices
// become `.wh.NAME` entries, opaque directories get a `.wh..wh..opq` entry, hard links
// inside the directory stay hard links. Sockets are left out.
func WriteLayer(upper string, w io.Writer) error {
	tw := tar.NewWriter(w)
	links := map[uint64]string{}
	err := filepath.WalkDir(upper, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(upper, p)
		if rel == "." {
			return nil
		}
		rel = filepath.ToSlash(rel)
		fi, err := d.Info()
		if err != nil {
			return err
		}
		if isWhiteout(fi) {
			return tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: path.Join(path.Dir(rel), whiteoutPrefix+path.Base(rel)), Mode: 0o600, ModTime: fi.ModTime(), Format: tar.FormatPAX})
		}
		if fi.Mode()&fs.ModeSocket != 0 {
			return nil
		}
		return writeEntry(tw, p, rel, fi, links)
	})
	if err != nil {
		return fmt.Errorf("write a layer from %s: %w", upper, err)
	}
	return tw.Close()
}

func writeEntry(tw *tar.Writer, p, rel string, fi fs.FileInfo, links map[uint64]string) error {
	target := ""
	if fi.Mode()&fs.ModeSymlink != 0 {
		t, err := os.Readlink(p)
		if err != nil {
			return err
		}
		target = t
	}
	hdr, err := tar.FileInfoHeader(fi, target)
	if err != nil {
		return err
	}
	hdr.Name, hdr.Uname, hdr.Gname, hdr.Format = rel, "", "", tar.FormatPAX
	hdr.AccessTime, hdr.ChangeTime = time.Time{}, time.Time{}
	st, _ := fi.Sys().(*syscall.Stat_t)
	if st != nil {
		hdr.Uid, hdr.Gid = int(st.Uid), int(st.Gid)
	}
	if fi.IsDir() {
		hdr.Name += "/"
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if isOpaque(p) {
			return tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: rel + "/" + opaqueMarker, Mode: 0o600, ModTime: fi.ModTime(), Format: tar.FormatPAX})
		}
		return nil
	}
	if fi.Mode().IsRegular() && st != nil && st.Nlink > 1 {
		if first, ok := links[st.Ino]; ok {
			hdr.Typeflag, hdr.Linkname, hdr.Size = tar.TypeLink, first, 0
			return tw.WriteHeader(hdr)
		}
		links[st.Ino] = rel
	}
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return nil
	}
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(tw, io.LimitReader(f, hdr.Size))
	return err
}
