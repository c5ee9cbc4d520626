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
		return setAttrs(int(d.Fd()), int(st.Uid), int(st.Gid), mode, []unix.Timespec{st.Atim, st.Mtim})
	case unix.S_IFREG:
		// Opened checked to be the one listed (not swapped for something else between
		// the listing and the open).
		in, _, err := openListed(srcDir, name, &st)
		if err != nil {
			return fmt.Errorf("copy %s: %w", name, err)
		}
		defer in.Close()
		if err := createFile(dstDir, name, in, int(st.Uid), int(st.Gid), mode, []unix.Timespec{st.Atim, st.Mtim}); err != nil {
			return fmt.Errorf("copy %s: %w", name, err)
		}
		return nil
	case unix.S_IFLNK:
		buf := make([]byte, unix.PathMax)
		n, err := unix.Readlinkat(srcDir, name, buf)
		if err == nil {
			err = createSymlink(dstDir, name, string(buf[:n]), int(st.Uid), int(st.Gid))
		}
		if err != nil {
			return fmt.Errorf("copy %s: %w", name, err)
		}
		return nil
	case unix.S_IFCHR, unix.S_IFBLK, unix.S_IFIFO:
		if err := createNode(dstDir, name, st.Mode, int(st.Rdev), int(st.Uid), int(st.Gid)); err != nil {
			return fmt.Errorf("copy %s: %w", name, err)
		}
	}
	return nil
}

// createFile makes the regular file name in dir, which must not exist, with what r
// holds, and gives it its owner, mode and access and modification times.
func createFile(dir int, name string, r io.Reader, uid, gid int, mode uint32, times []unix.Timespec) error {
	fd, err := unix.Openat(dir, name, unix.O_WRONLY|unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0o600)
	if err != nil {
		return err
	}
	f := os.NewFile(uintptr(fd), name)
	defer f.Close()
	if _, err := io.Copy(f, r); err != nil {
		return err
	}
	return setAttrs(fd, uid, gid, mode, times)
}

// createSymlink makes the symlink name in dir to target, owned by uid and gid.
func createSymlink(dir int, name, target string, uid, gid int) error {
	if err := unix.Symlinkat(target, dir, name); err != nil {
		return err
	}
	return unix.Fchownat(dir, name, uid, gid, unix.AT_SYMLINK_NOFOLLOW)
}

// createNode makes the device or fifo name in dir (mode holds its kind), owned by
// uid and gid.
func createNode(dir int, name string, mode uint32, dev, uid, gid int) error {
	if err := unix.Mknodat(dir, name, mode, dev); err != nil {
		return err
	}
	return unix.Fchownat(dir, name, uid, gid, unix.AT_SYMLINK_NOFOLLOW)
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

// setAttrs gives an open file its owner, mode and access and modification times
// (none when times is nil).
func setAttrs(fd, uid, gid int, mode uint32, times []unix.Timespec) error {
	if err := unix.Fchown(fd, uid, gid); err != nil {
		return err
	}
	if err := unix.Fchmod(fd, mode); err != nil || times == nil {
		return err
	}
	return unix.UtimesNanoAt(fd, "", times, unix.AT_EMPTY_PATH)
}

// openDirAt opens the directory name of dir without following a symlink.
func openDirAt(dir int, name string) (*os.File, error) {
	fd, err := unix.Openat(dir, name, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", name, err)
	}
	return os.NewFile(uintptr(fd), name), nil
}
