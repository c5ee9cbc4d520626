package core

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"workbench/errkind"

	pathrs "github.com/cyphar/filepath-securejoin/pathrs-lite"
	"golang.org/x/sys/unix"
)

// CopyFrom copies srcPath of a container to dst on the machine, as `docker cp
// CONTAINER:SRC DEST` does: into dst when it is a directory, as dst when it is not
// there (its parent must be), over dst when both are files; a SRC ending in /. copies
// a directory's contents. With dst "-" a tar of it goes to w instead. With archive the
// owners are kept (a --userns container's mapped back), otherwise the copies are
// root's. Paths inside the container are resolved inside its root; no symlink of the
// container is followed.
func (e *Engine) CopyFrom(ctx context.Context, c Container, srcPath, dst string, w io.Writer, archive bool) error {
	root, release, err := e.containerRoot(ctx, c)
	if err != nil {
		return err
	}
	defer release()
	parent, base, err := entryInRoot(root, srcPath)
	if err != nil {
		return fmt.Errorf("copy %s:%s: %w", c.Name, srcPath, err)
	}
	defer parent.Close()
	contents := strings.HasSuffix(srcPath, "/.")
	shift := e.idShift(c)
	if dst == "-" {
		tw := tar.NewWriter(w)
		if err := writeTree(tw, parent, base, base, shift, contents); err != nil {
			return fmt.Errorf("copy %s:%s: %w", c.Name, srcPath, err)
		}
		return tw.Close()
	}
	into, as, intoDst, err := machineTarget(dst, base, isDirAt(parent, base))
	if err != nil {
		return err
	}
	defer into.Close()
	contents = contents && intoDst
	owner := func(h *tar.Header) (int, int) {
		if archive {
			return h.Uid, h.Gid
		}
		return os.Getuid(), os.Getgid()
	}
	return pipeTree(parent, base, as, shift, contents, into, owner)
}

// CopyTo copies src of the machine (or, with src "-", the tar read from r) into a
// container at dstPath, as `docker cp SRC CONTAINER:DEST` does, with the same rules
// as CopyFrom. Files are the container's root's unless archive keeps their owners.
func (e *Engine) CopyTo(ctx context.Context, c Container, src string, r io.Reader, dstPath string, archive bool) error {
	root, release, err := e.containerRoot(ctx, c)
	if err != nil {
		return err
	}
	defer release()
	shift := e.idShift(c)
	owner := func(h *tar.Header) (int, int) {
		if archive {
			return h.Uid + int(shift), h.Gid + int(shift)
		}
		return int(shift), int(shift)
	}
	if src == "-" {
		dir, err := dirInRoot(root, dstPath)
		if err != nil {
			return fmt.Errorf("copy into %s:%s: %w (a tar goes into a directory)", c.Name, dstPath, err)
		}
		defer dir.Close()
		return extractTree(tar.NewReader(r), dir, owner)
	}
	srcDir, err := os.Open(filepath.Dir(filepath.Clean(src)))
	if err != nil {
		return fmt.Errorf("copy %s: %w", src, errkind.PathCause(err))
	}
	defer srcDir.Close()
	base := filepath.Base(filepath.Clean(src))
	var st unix.Stat_t
	if err := unix.Fstatat(int(srcDir.Fd()), base, &st, unix.AT_SYMLINK_NOFOLLOW); err != nil {
		return fmt.Errorf("copy %s: %w", src, err)
	}
	srcIsDir := st.Mode&unix.S_IFMT == unix.S_IFDIR
	into, as, intoDst, err := targetInRoot(root, dstPath, base, srcIsDir)
	if err != nil {
		return fmt.Errorf("copy into %s:%s: %w", c.Name, dstPath, err)
	}
	defer into.Close()
	return pipeTree(srcDir, base, as, 0, intoDst && strings.HasSuffix(src, "/."), into, owner)
}

// pipeTree writes the entry base of from as a tar and extracts it into into.
func pipeTree(from *os.File, base, as string, shift idShift, contents bool, into *os.File, owner func(*tar.Header) (int, int)) error {
	pr, pw := io.Pipe()
	go func() {
		tw := tar.NewWriter(pw)
		err := writeTree(tw, from, base, as, shift, contents)
		if err == nil {
			err = tw.Close()
		}
		pw.CloseWithError(err)
	}()
	err := extractTree(tar.NewReader(pr), into, owner)
	pr.CloseWithError(err)
	return err
}

// containerRoot opens a container's root: its PID 1's for a running one (with its
// mounts), else its overlay, mounted for the copy under the lock.
func (e *Engine) containerRoot(ctx context.Context, c Container) (*os.File, func(), error) {
	if c.State == StateRunning {
		root, err := openRoot("/proc/" + strconv.Itoa(c.Pid) + "/root")
		if err != nil || !alive(c.Pid, c.PidStart) {
			if root != nil {
				root.Close()
			}
			return nil, nil, fmt.Errorf("container %s is not running any more: try again", c.Name)
		}
		return root, func() { root.Close() }, nil
	}
	unlock, err := e.lock(ctx)
	if err != nil {
		return nil, nil, err
	}
	cur, err := e.load(c.ID)
	if err == nil && cur.State == StateRunning {
		unlock()
		return e.containerRoot(ctx, cur)
	}
	if err == nil {
		err = e.mountRootfs(&cur)
	}
	if err != nil {
		unlock()
		return nil, nil, err
	}
	root, err := openRoot(cur.Rootfs)
	if err != nil {
		_ = e.unmount(cur.Rootfs)
		unlock()
		return nil, nil, err
	}
	return root, func() { root.Close(); _ = e.unmount(cur.Rootfs); unlock() }, nil
}

// idShift is how far a container's IDs are from the machine's.
func (e *Engine) idShift(c Container) idShift {
	if c.Userns {
		return usernsBase
	}
	return 0
}

// entryInRoot opens the parent directory of name inside root and returns it with the
// entry's base name (".", with the root itself as parent, for /).
func entryInRoot(root *os.File, name string) (*os.File, string, error) {
	clean := path.Clean("/" + name)
	if clean == "/" {
		d, err := dirInRoot(root, "/")
		return d, ".", err
	}
	d, err := dirInRoot(root, path.Dir(clean))
	if err != nil {
		return nil, "", err
	}
	var st unix.Stat_t
	if err := unix.Fstatat(int(d.Fd()), path.Base(clean), &st, unix.AT_SYMLINK_NOFOLLOW); err != nil {
		d.Close()
		return nil, "", fmt.Errorf("no such file or directory")
	}
	return d, path.Base(clean), nil
}

// dirInRoot opens a directory inside root, symlinks resolved inside it.
func dirInRoot(root *os.File, name string) (*os.File, error) {
	h, err := pathrs.OpenatInRoot(root, name)
	if err != nil {
		return nil, errkind.PathCause(err)
	}
	defer h.Close()
	d, err := pathrs.Reopen(h, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("not a directory")
	}
	return d, nil
}

// targetInRoot applies docker cp's rules to a destination inside root: the directory
// to extract into, the name the copied entry takes there, and whether that directory
// is dst itself (an existing directory, which a SRC/. fills with its contents).
func targetInRoot(root *os.File, dst, base string, srcIsDir bool) (*os.File, string, bool, error) {
	if d, err := dirInRoot(root, dst); err == nil {
		return d, base, true, nil
	}
	clean := path.Clean("/" + dst)
	if strings.HasSuffix(dst, "/") && !srcIsDir {
		return nil, "", false, errors.New("no such directory: give an existing directory, or a file name")
	}
	d, err := dirInRoot(root, path.Dir(clean))
	if err != nil {
		return nil, "", false, fmt.Errorf("%s: %w", path.Dir(clean), err)
	}
	return d, path.Base(clean), false, nil
}

// machineTarget applies the same rules to a destination on the machine.
func machineTarget(dst, base string, srcIsDir bool) (*os.File, string, bool, error) {
	if st, err := os.Stat(dst); err == nil && st.IsDir() {
		d, err := os.Open(dst)
		return d, base, true, err
	}
	if strings.HasSuffix(dst, "/") && !srcIsDir {
		return nil, "", false, fmt.Errorf("copy to %s: no such directory", dst)
	}
	d, err := os.Open(filepath.Dir(filepath.Clean(dst)))
	if err != nil {
		return nil, "", false, fmt.Errorf("copy to %s: %w", dst, errkind.PathCause(err))
	}
	return d, filepath.Base(filepath.Clean(dst)), false, nil
}

// isDirAt says whether name in dir is a directory (not through a symlink).
func isDirAt(dir *os.File, name string) bool {
	var st unix.Stat_t
	return unix.Fstatat(int(dir.Fd()), name, &st, unix.AT_SYMLINK_NOFOLLOW) == nil && st.Mode&unix.S_IFMT == unix.S_IFDIR
}
