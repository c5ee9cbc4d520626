package images

import (
	"errors"
	"fmt"
	"path"
	"strings"

	"golang.org/x/sys/unix"
)

// whiteout turns an OCI whiteout entry into overlayfs's form.
func (u *unpacker) whiteout(parentRel, base string) error {
	if base == opaqueMarker {
		pfd, err := u.root.OpenDir(parentRel, true)
		if err != nil {
			return err
		}
		defer unix.Close(pfd)
		fd, err := unix.Openat(pfd, ".", unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
		if err != nil {
			return fmt.Errorf("open opaque directory: %w", err)
		}
		defer unix.Close(fd)
		if err := unix.Fsetxattr(fd, opaqueXattr, []byte("y"), 0); err != nil {
			return fmt.Errorf("mark directory opaque: %w", err)
		}
		u.stats.Whiteouts++
		u.log.AddArgs("setfattr", "-n", opaqueXattr, "-v", "y", path.Join(u.dir, parentRel))
		return nil
	}
	if strings.HasPrefix(base, whiteoutPrefix+whiteoutPrefix) {
		u.stats.Skipped++ // aufs metadata such as .wh..wh.plnk: nothing for overlayfs
		return nil
	}
	name := strings.TrimPrefix(base, whiteoutPrefix)
	if name == "" || name == "." || name == ".." {
		return errors.New("whiteout without a name to delete")
	}
	err := u.root.Replace(parentRel, name, func(pfd int) error {
		if err := unix.Mknodat(pfd, name, unix.S_IFCHR, 0); err != nil {
			return fmt.Errorf("make whiteout device: %w", err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	u.stats.Whiteouts++
	u.log.AddArgs("mknod", path.Join(u.dir, parentRel, name), "c", "0", "0")
	return nil
}
