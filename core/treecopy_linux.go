package core

import (
	"errors"
	"fmt"
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// copyTree copies the contents of the directory src into the directory dst as
// `cp -a` would (modes, owners and times kept), with every entry opened relative to
// its parent's descriptor and never through a symlink: a symlink is copied as a
// symlink, so a hostile tree can make nothing outside dst be read or written.
// Sockets are left out; hard links become separate files.
func copyTree(src, dst *os.File) error {
	names, err := dirNames(src)
	if err != nil {
		return err
	}
	for _, name := range names {
		if err := copyEntry(int(src.Fd()), int(dst.Fd()), name); err != nil {
			return err
		}
	}
	return nil
}

// dirNames lists a directory open as f without moving its offset for good.
func dirNames(f *os.File) ([]string, error) {
	fd, err := unix.Openat(int(f.Fd()), ".", unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", f.Name(), err)
	}
	d := os.NewFile(uintptr(fd), f.Name())
	defer d.Close()
	return d.Readdirnames(-1)
}

// copyEntry copies one entry of the directory srcDir into dstDir.
func copyEntry(srcDir, dstDir int, name string) error {
	var st unix.Stat_t
	if err := unix.Fstatat(srcDir, name, &st, unix.AT_SYMLINK_NOFOLLOW); err != nil {
		if errors.Is(err, unix.ENOENT) {
			return nil // gone meanwhile
		}
		return fmt.Errorf("copy %s: %w", name, err)
	}
	mode := st.Mode & 0o7777
	switch st.Mode & unix.S_IFMT {
	case unix.S_IFDIR:
		if err := unix.Mkdirat(dstDir, name, 0o700); err != nil && !errors.Is(err, unix.EEXIST) {
			return fmt.Errorf("copy %s: %w", name, err)
		}
		s, err := openDirAt(srcDir, name)
		if err != nil {
			return err
		}
		defer s.Close()
		d, err := openDirAt(dstDir, name)
		if err != nil {
			return err
		}
		defer d.Close()
		if err := copyTree(s, d); err != nil {
			return err
		}
		return setAttrs(int(d.Fd()), "", &st, mode)
	case unix.S_IFREG:
		return copyFile(srcDir, dstDir, name, &st, mode)
	case unix.S_IFLNK:
		buf := make([]byte, unix.PathMax)
		n, err := unix.Readlinkat(srcDir, name, buf)
		if err != nil {
			return fmt.Errorf("copy %s: %w", name, err)
		}
		if err := unix.Symlinkat(string(buf[:n]), dstDir, name); err != nil {
			return fmt.Errorf("copy %s: %w", name, err)
		}
		return unix.Fchownat(dstDir, name, int(st.Uid), int(st.Gid), unix.AT_SYMLINK_NOFOLLOW)
	case unix.S_IFCHR, unix.S_IFBLK, unix.S_IFIFO:
		if err := unix.Mknodat(dstDir, name, st.Mode, int(st.Rdev)); err != nil {
			return fmt.Errorf("copy %s: %w", name, err)
		}
		return unix.Fchownat(dstDir, name, int(st.Uid), int(st.Gid), unix.AT_SYMLINK_NOFOLLOW)
	}
	return nil
}

// copyFile copies a regular file, checked to be the one listed (not swapped for
// something else between the listing and the open).
func copyFile(srcDir, dstDir int, name string, st *unix.Stat_t, mode uint32) error {
	in, _, err := openListed(srcDir, name, st)
	if err != nil {
		return fmt.Errorf("copy %s: %w", name, err)
	}
	defer in.Close()
	ofd, err := unix.Openat(dstDir, name, unix.O_WRONLY|unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0o600)
	if err != nil {
		return fmt.Errorf("copy %s: %w", name, err)
	}
	out := os.NewFile(uintptr(ofd), name)
	defer out.Close()
	if _, err := io.Copy(out, in); err != nil {
		return fmt.Errorf("copy %s: %w", name, err)
	}
	return setAttrs(ofd, "", st, mode)
}

// openListed opens the regular file name of dir for reading, checked to be the one
// listed as st (not swapped for something else between the listing and the open),
// and gives its size.
func openListed(dir int, name string, st *unix.Stat_t) (*os.File, int64, error) {
	fd, err := unix.Openat(dir, name, unix.O_RDONLY|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, 0, err
	}
	f := os.NewFile(uintptr(fd), name)
	var now unix.Stat_t
	if err := unix.Fstat(fd, &now); err != nil || now.Ino != st.Ino || now.Mode&unix.S_IFMT != unix.S_IFREG {
		f.Close()
		return nil, 0, errors.New("it changed while it was copied")
	}
	return f, now.Size, nil
}

// setAttrs gives an open file (name "") the owner, mode and times of st.
func setAttrs(fd int, name string, st *unix.Stat_t, mode uint32) error {
	if err := unix.Fchown(fd, int(st.Uid), int(st.Gid)); err != nil {
		return err
	}
	if err := unix.Fchmod(fd, mode); err != nil {
		return err
	}
	ts := []unix.Timespec{st.Atim, st.Mtim}
	return unix.UtimesNanoAt(fd, name, ts, unix.AT_EMPTY_PATH)
}

// openDirAt opens the directory name of dir without following a symlink.
func openDirAt(dir int, name string) (*os.File, error) {
	fd, err := unix.Openat(dir, name, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", name, err)
	}
	return os.NewFile(uintptr(fd), name), nil
}
