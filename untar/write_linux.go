package untar

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"

	"golang.org/x/sys/unix"
)

// Write makes the entry hdr at rel (a path Clean gave, not "."), its parents made when
// missing and what was there replaced (a directory is kept for a directory), with its
// owner and mode; a file's content is read from body. It makes directories, files,
// symlinks, hard links, fifos and devices and leaves other kinds out. It returns how
// many bytes of a file it wrote.
func (r *Root) Write(hdr *tar.Header, rel string, body io.Reader) (int64, error) {
	parentRel, base := path.Dir(rel), path.Base(rel)
	switch hdr.Typeflag {
	case tar.TypeDir:
		return 0, r.mkdir(parentRel, base, hdr)
	case tar.TypeReg, tar.TypeGNUSparse:
		return r.file(parentRel, base, hdr, body)
	case tar.TypeSymlink:
		return 0, r.symlink(parentRel, base, hdr)
	case tar.TypeLink:
		return 0, r.hardlink(parentRel, base, hdr)
	case tar.TypeFifo, tar.TypeChar, tar.TypeBlock:
		return 0, r.mknod(parentRel, base, hdr)
	}
	return 0, nil
}

// owner is the owner hdr's entry takes.
func (r *Root) owner(hdr *tar.Header) (int, int) {
	if r.opts.Owner != nil {
		return r.opts.Owner(hdr)
	}
	return validID(hdr.Uid), validID(hdr.Gid)
}

// validID is id, or root's for an ID the kernel would not take.
func validID(id int) int {
	if id < 0 || id > 1<<31-2 {
		return 0
	}
	return id
}

// mode is the mode bits hdr's entry takes.
func (r *Root) mode(hdr *tar.Header) uint32 {
	if r.opts.KeepSetID {
		return uint32(hdr.Mode) & 0o7777
	}
	return uint32(hdr.Mode) & 0o1777
}

func (r *Root) mkdir(parentRel, base string, hdr *tar.Header) error {
	pfd, err := r.OpenDir(parentRel, true)
	if err != nil {
		return err
	}
	defer unix.Close(pfd)
	kept, err := removeAt(pfd, base, true)
	if err != nil {
		return err
	}
	if !kept {
		if err := unix.Mkdirat(pfd, base, 0o700); err != nil {
			return fmt.Errorf("make directory: %w", err)
		}
	}
	fd, err := unix.Openat(pfd, base, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("open directory: %w", err)
	}
	defer unix.Close(fd)
	return r.ownAndMode(fd, hdr)
}

// ownAndMode gives the open file or directory fd the owner and mode of hdr's entry.
func (r *Root) ownAndMode(fd int, hdr *tar.Header) error {
	uid, gid := r.owner(hdr)
	if err := unix.Fchown(fd, uid, gid); err != nil {
		return fmt.Errorf("chown: %w", err)
	}
	if err := unix.Fchmod(fd, r.mode(hdr)); err != nil {
		return fmt.Errorf("chmod: %w", err)
	}
	return nil
}

func (r *Root) file(parentRel, base string, hdr *tar.Header, body io.Reader) (int64, error) {
	var n int64
	err := r.Replace(parentRel, base, func(pfd int) error {
		fd, err := unix.Openat(pfd, base, unix.O_WRONLY|unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0o600)
		if err != nil {
			return fmt.Errorf("create file: %w", err)
		}
		f := os.NewFile(uintptr(fd), base)
		defer f.Close()
		if r.opts.Sparse {
			n, err = copySparse(f, body)
		} else {
			n, err = io.Copy(f, body)
		}
		if err != nil {
			return fmt.Errorf("write file (is the tar truncated?): %w", err)
		}
		if err := r.ownAndMode(fd, hdr); err != nil {
			return err
		}
		ts := []unix.Timespec{unix.NsecToTimespec(hdr.ModTime.UnixNano()), unix.NsecToTimespec(hdr.ModTime.UnixNano())}
		return unix.UtimesNanoAt(fd, "", ts, unix.AT_EMPTY_PATH)
	})
	return n, err
}

func (r *Root) symlink(parentRel, base string, hdr *tar.Header) error {
	if hdr.Linkname == "" || strings.ContainsRune(hdr.Linkname, 0) {
		return errors.New("symlink with an empty or invalid target")
	}
	return r.Replace(parentRel, base, func(pfd int) error {
		if err := unix.Symlinkat(hdr.Linkname, pfd, base); err != nil {
			return fmt.Errorf("symlink: %w", err)
		}
		uid, gid := r.owner(hdr)
		return unix.Fchownat(pfd, base, uid, gid, unix.AT_SYMLINK_NOFOLLOW)
	})
}

func (r *Root) hardlink(parentRel, base string, hdr *tar.Header) error {
	target, err := r.Clean(hdr.Linkname)
	if err != nil {
		return fmt.Errorf("hard link target %q: %w", hdr.Linkname, err)
	}
	if target == "." {
		return fmt.Errorf("hard link to the %s root: refused", r.opts.Root)
	}
	ofd, err := r.OpenDir(path.Dir(target), false)
	if err != nil {
		return fmt.Errorf("hard link target %q: %w", hdr.Linkname, err)
	}
	defer unix.Close(ofd)
	return r.Replace(parentRel, base, func(pfd int) error {
		if err := unix.Linkat(ofd, path.Base(target), pfd, base, 0); err != nil {
			return fmt.Errorf("hard link to %q (it must be an earlier file of the %s): %w", hdr.Linkname, r.opts.Root, err)
		}
		return nil
	})
}

// nodeKinds are the file types of the tar kinds mknod makes.
var nodeKinds = map[byte]uint32{tar.TypeFifo: unix.S_IFIFO, tar.TypeChar: unix.S_IFCHR, tar.TypeBlock: unix.S_IFBLK}

func (r *Root) mknod(parentRel, base string, hdr *tar.Header) error {
	mode := r.mode(hdr)
	if !r.opts.KeepSetID {
		mode &= 0o777
	}
	dev := int(unix.Mkdev(uint32(hdr.Devmajor), uint32(hdr.Devminor)))
	return r.Replace(parentRel, base, func(pfd int) error {
		if err := unix.Mknodat(pfd, base, nodeKinds[hdr.Typeflag]|mode, dev); err != nil {
			return fmt.Errorf("mknod: %w", err)
		}
		uid, gid := r.owner(hdr)
		return unix.Fchownat(pfd, base, uid, gid, unix.AT_SYMLINK_NOFOLLOW)
	})
}
