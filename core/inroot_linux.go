package core

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	pathrs "github.com/cyphar/filepath-securejoin/pathrs-lite"
	"golang.org/x/sys/unix"
)

// Paths inside a container's root are resolved as if that root were / (symlinks
// included), from a descriptor of the root, so that no symlink of an image or of a
// running container can lead the engine to a file of the machine. The resolving is
// filepath-securejoin's, the library runc uses for the same job.

// openRoot opens a directory to resolve paths inside of: a container's rootfs seen
// from the machine, or /proc/PID/root of its PID 1.
func openRoot(dir string) (*os.File, error) {
	f, err := os.OpenFile(dir, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("open the container's root %s: %w", dir, err)
	}
	return f, nil
}

// mkdirInRoot makes a directory and its parents inside root, and returns its path
// on the machine.
func mkdirInRoot(root *os.File, name string, mode os.FileMode) (string, error) {
	h, err := pathrs.MkdirAllHandle(root, name, mode)
	if err != nil {
		return "", fmt.Errorf("make %s in the container: %w", name, err)
	}
	defer h.Close()
	return realPath(h)
}

// mountPointInRoot makes sure name exists inside root as a file to mount a file on,
// following symlinks inside root (a dangling one is replaced by the file), and
// returns its path on the machine.
func mountPointInRoot(root *os.File, name string) (string, error) {
	dir, base := path.Split(path.Clean("/" + name))
	d, err := pathrs.MkdirAllHandle(root, dir, 0o755)
	if err != nil {
		return "", fmt.Errorf("make %s in the container: %w", dir, err)
	}
	defer d.Close()
	for i := 0; i < 2; i++ {
		fd, err := unix.Openat(int(d.Fd()), base, unix.O_PATH|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
		if errors.Is(err, unix.ENOENT) {
			fd, err = unix.Openat(int(d.Fd()), base, unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_WRONLY|unix.O_CLOEXEC, 0o644)
		}
		if err != nil {
			return "", fmt.Errorf("make %s in the container: %w", name, err)
		}
		f := os.NewFile(uintptr(fd), name)
		var st unix.Stat_t
		err = unix.Fstat(fd, &st)
		if err == nil && st.Mode&unix.S_IFMT == unix.S_IFLNK {
			f.Close()
			target, err := pathrs.OpenatInRoot(root, name)
			if err == nil {
				defer target.Close()
				return checkMountPoint(target, name)
			}
			if !errors.Is(err, os.ErrNotExist) {
				return "", fmt.Errorf("resolve %s in the container: %w", name, err)
			}
			// A dangling symlink: the file takes its place in the writable layer.
			if err := unix.Unlinkat(int(d.Fd()), base, 0); err != nil {
				return "", fmt.Errorf("replace the dangling symlink %s: %w", name, err)
			}
			continue
		}
		defer f.Close()
		if err != nil {
			return "", fmt.Errorf("inspect %s in the container: %w", name, err)
		}
		return checkMountPoint(f, name)
	}
	return "", fmt.Errorf("make %s in the container: it keeps changing", name)
}

// checkMountPoint refuses a directory where a file is to be mounted.
func checkMountPoint(f *os.File, name string) (string, error) {
	var st unix.Stat_t
	if err := unix.Fstat(int(f.Fd()), &st); err != nil {
		return "", fmt.Errorf("inspect %s in the container: %w", name, err)
	}
	if st.Mode&unix.S_IFMT == unix.S_IFDIR {
		return "", fmt.Errorf("the image's %s is a directory: a file is mounted there; remove it from the image", name)
	}
	return realPath(f)
}

// realDirInRoot makes sure name is a directory at exactly that place inside root
// (not reached through a symlink), as /proc, /sys and /dev must be, and returns its
// path on the machine.
func realDirInRoot(root *os.File, rootPath, name string) (string, error) {
	got, err := mkdirInRoot(root, name, 0o755)
	if err != nil {
		return "", err
	}
	if want := filepath.Join(rootPath, name); got != want {
		return "", fmt.Errorf("the image's %s is a symlink (to %s): a container's %s must be a directory; fix the image", name, strings.TrimPrefix(got, rootPath), name)
	}
	return got, nil
}

// realPath is where an open file is on the machine.
func realPath(f *os.File) (string, error) {
	p, err := os.Readlink("/proc/self/fd/" + strconv.Itoa(int(f.Fd())))
	if err != nil {
		return "", fmt.Errorf("find %s: %w", f.Name(), err)
	}
	return p, nil
}

// inside turns a path on the machine under rootPath into the container's path.
func inside(rootPath, p string) (string, error) {
	if p == rootPath {
		return "/", nil
	}
	rest, ok := strings.CutPrefix(p, rootPath+"/")
	if !ok {
		return "", fmt.Errorf("%s is outside the container's root %s", p, rootPath)
	}
	return "/" + rest, nil
}

// readFileInRoot reads a regular file inside root, at most max bytes; a missing file
// is os.ErrNotExist.
func readFileInRoot(root *os.File, name string, max int64) ([]byte, error) {
	h, err := pathrs.OpenatInRoot(root, name)
	if err != nil {
		return nil, err
	}
	defer h.Close()
	f, err := pathrs.Reopen(h, unix.O_RDONLY|unix.O_NONBLOCK|unix.O_NOCTTY|unix.O_CLOEXEC)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s in the container is not a regular file", name)
	}
	return io.ReadAll(io.LimitReader(f, max))
}
