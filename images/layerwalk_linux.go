package images

import (
	"errors"
	"fmt"
	"os"
	"path"
	"sort"
	"strconv"

	"golang.org/x/sys/unix"
)

// A layer directory may belong to a running container that is hostile: any of its
// paths may turn into a symlink to a file of the machine at any instant. So nothing
// under a layer is ever opened by a path from the machine's root: every entry is
// opened beneath the layer's descriptor, one name at a time or with RESOLVE_BENEATH,
// never through a symlink or a magic link, as an O_PATH handle that pins the inode.
// What is recorded of an entry (its kind, its content, its link target) comes from
// that inode alone, whatever its name holds by the time it is read.

// beneath is how every path under a layer is resolved.
const beneath = unix.RESOLVE_BENEATH | unix.RESOLVE_NO_SYMLINKS | unix.RESOLVE_NO_MAGICLINKS

// layerDir is an open layer directory.
type layerDir struct{ fd int }

// openLayerDir opens a layer directory (the directory itself is the machine's: only what
// is under it is the layer's).
func openLayerDir(dir string) (*layerDir, error) {
	fd, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("open layer directory %s: %w", dir, err)
	}
	return &layerDir{fd: fd}, nil
}

// openLayerDirs opens layer directories, in the order given; on failure none stays open.
func openLayerDirs(dirs []string) ([]*layerDir, error) {
	var out []*layerDir
	for _, d := range dirs {
		l, err := openLayerDir(d)
		if err != nil {
			closeLayerDirs(out)
			return nil, err
		}
		out = append(out, l)
	}
	return out, nil
}

func closeLayerDirs(ls []*layerDir) {
	for _, l := range ls {
		l.close()
	}
}

func (l *layerDir) close() { unix.Close(l.fd) }

// pin opens rel beneath the directory dirfd as an O_PATH handle on the entry itself (a
// symlink included: it is not followed) and stats it.
func pin(dirfd int, rel string) (int, unix.Stat_t, error) {
	var st unix.Stat_t
	fd, err := unix.Openat2(dirfd, rel, &unix.OpenHow{Flags: unix.O_PATH | unix.O_NOFOLLOW | unix.O_CLOEXEC, Resolve: beneath})
	if err != nil {
		return -1, st, err
	}
	if err := unix.Fstat(fd, &st); err != nil {
		unix.Close(fd)
		return -1, st, err
	}
	return fd, st, nil
}

// lstat describes the entry at rel in the layer; a path through a symlink of the
// layer is not found (ELOOP), as overlayfs does not look through it either.
func (l *layerDir) lstat(rel string) (unix.Stat_t, error) {
	fd, st, err := pin(l.fd, rel)
	if err == nil {
		unix.Close(fd)
	}
	return st, err
}

// openDir opens the directory at rel in the layer for reading.
func (l *layerDir) openDir(rel string) (int, error) {
	return unix.Openat2(l.fd, rel, &unix.OpenHow{Flags: unix.O_RDONLY | unix.O_DIRECTORY | unix.O_CLOEXEC, Resolve: beneath})
}

// opaque reports whether the directory at rel hides everything below it.
func (l *layerDir) opaque(rel string) bool {
	fd, err := l.openDir(rel)
	if err != nil {
		return false
	}
	defer unix.Close(fd)
	return opaqueDir(fd)
}

// names lists the directory at rel in the layer, sorted.
func (l *layerDir) names(rel string) ([]string, error) {
	fd, err := l.openDir(rel)
	if err != nil {
		return nil, err
	}
	defer unix.Close(fd)
	return readNames(fd)
}

// opaqueDir reports whether an open directory carries overlayfs's opaque mark.
func opaqueDir(fd int) bool {
	var b [1]byte
	n, err := unix.Fgetxattr(fd, opaqueXattr, b[:])
	return err == nil && n == 1 && b[0] == 'y'
}

// readNames lists an open directory, sorted, without "." and "..".
func readNames(fd int) ([]string, error) {
	var names []string
	buf := make([]byte, 32<<10)
	for {
		n, err := unix.Getdents(fd, buf)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if n <= 0 {
			break
		}
		_, _, names = unix.ParseDirent(buf[:n], -1, names)
	}
	sort.Strings(names)
	return names, nil
}

// layerEntry is one entry of a layer as walk found it. fd is an O_PATH handle on the
// inode st describes; both are valid during the visit only.
type layerEntry struct {
	// rel is the path from the layer's root, slash separated.
	rel string
	st  unix.Stat_t
	fd  int
	// opaque says a directory carries overlayfs's opaque mark.
	opaque bool
}

// kind is the entry's file type (unix.S_IFREG, S_IFDIR, ...).
func (e *layerEntry) kind() uint32 { return e.st.Mode & unix.S_IFMT }

// isWhiteout reports whether the entry is overlayfs's deletion mark, a character
// device 0/0.
func (e *layerEntry) isWhiteout() bool { return isWhiteout(e.st) }

// target reads a symlink's target text from the pinned symlink.
func (e *layerEntry) target() (string, error) {
	for size := 256; ; size *= 2 {
		buf := make([]byte, size)
		n, err := unix.Readlinkat(e.fd, "", buf)
		if err != nil {
			return "", fmt.Errorf("read symlink %s: %w", e.rel, err)
		}
		if n < size {
			return string(buf[:n]), nil
		}
	}
}

// open opens a regular file for reading through its handle: the very inode that was
// listed and stat'ed, never what its name points to now.
func (e *layerEntry) open() (*os.File, error) {
	if e.kind() != unix.S_IFREG {
		return nil, fmt.Errorf("open %s: not a regular file", e.rel)
	}
	f, err := os.Open("/proc/self/fd/" + strconv.Itoa(e.fd))
	if err != nil {
		return nil, fmt.Errorf("open %s through its handle (is /proc mounted?): %w", e.rel, err)
	}
	var st unix.Stat_t
	if err := unix.Fstat(int(f.Fd()), &st); err != nil || st.Ino != e.st.Ino || st.Dev != e.st.Dev || st.Mode&unix.S_IFMT != unix.S_IFREG {
		f.Close()
		return nil, fmt.Errorf("open %s: its handle reopened as another file: refused", e.rel)
	}
	return f, nil
}

// walk visits every entry under the layer, a directory before what it holds, names
// in byte order, without following a symlink: each entry is pinned beneath its
// parent's descriptor and a directory is read through a descriptor reopened from its
// handle. An entry removed between the listing and its opening is left out, and so is
// what a directory held when it is removed before it is read.
func (l *layerDir) walk(visit func(*layerEntry) error) error {
	return walkDir(l.fd, ".", visit)
}

func walkDir(dirfd int, rel string, visit func(*layerEntry) error) error {
	names, err := readNames(dirfd)
	if errors.Is(err, unix.ENOENT) {
		return nil // removed since it was opened: it holds nothing now
	}
	if err != nil {
		return fmt.Errorf("list %s: %w", rel, err)
	}
	for _, name := range names {
		if err := visitEntry(dirfd, path.Join(rel, name), name, visit); err != nil {
			return err
		}
	}
	return nil
}

func visitEntry(dirfd int, rel, name string, visit func(*layerEntry) error) error {
	fd, st, err := pin(dirfd, name)
	if errors.Is(err, unix.ENOENT) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("open %s: %w", rel, err)
	}
	defer unix.Close(fd)
	e := &layerEntry{rel: rel, st: st, fd: fd}
	if e.kind() != unix.S_IFDIR {
		return visit(e)
	}
	sub, err := unix.Openat(fd, ".", unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if errors.Is(err, unix.ENOENT) {
		return nil // removed since it was pinned
	}
	if err != nil {
		return fmt.Errorf("open directory %s: %w", rel, err)
	}
	defer unix.Close(sub)
	e.opaque = opaqueDir(sub)
	if err := visit(e); err != nil {
		return err
	}
	return walkDir(sub, rel, visit)
}
