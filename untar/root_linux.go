// Package untar writes the entries of a tar under a root directory, for a tar that
// may be hostile and a root that another process may change meanwhile. Every path is
// resolved inside the root by the kernel (openat2 with RESOLVE_IN_ROOT and
// RESOLVE_NO_SYMLINKS) and every entry is made through its parent directory's
// descriptor: an entry whose path goes through a symlink is refused, `..` never
// climbs out of the root, a hard link must point to an earlier entry inside it, and a
// directory swapped for a symlink while the tar is written leads no write out of it.
package untar

import (
	"archive/tar"
	"errors"
	"fmt"
	"path"
	"strings"

	"golang.org/x/sys/unix"
)

// inRootNoSymlinks resolves a path inside the root and refuses any symlink on it.
const inRootNoSymlinks = unix.RESOLVE_IN_ROOT | unix.RESOLVE_NO_SYMLINKS

// Options say how a Root writes what the tars it is used for differ on.
type Options struct {
	// Root names the root directory in errors ("layer": "the path climbs out of the
	// layer with `..`").
	Root string
	// Owner gives the owner an entry takes; without it an entry keeps the tar's owner
	// (root's for an ID the kernel would not take).
	Owner func(hdr *tar.Header) (uid, gid int)
	// KeepSetID keeps every mode bit of an entry; without it setuid and setgid are
	// cleared, and the sticky bit of a device or fifo.
	KeepSetID bool
	// Sparse leaves every whole block of zeros of a file as a hole instead of writing it.
	Sparse bool
	// ThroughSymlink gives the error for an entry whose path goes through the symlink
	// link (relative to the root) to target; without it the error says link is not a
	// directory.
	ThroughSymlink func(link, target string) error
	// Made, when set, is told of every missing directory made for an entry (relative to
	// the root).
	Made func(dir string)
}

// Root is a directory that tar entries are written under.
type Root struct {
	fd   int
	opts Options
}

// New writes under the open directory fd, which stays the caller's to close.
func New(fd int, opts Options) *Root {
	return &Root{fd: fd, opts: opts}
}

// ClimbError refuses a tar path that climbs out of the root with `..`.
type ClimbError struct {
	// Root names the root, as Options.Root.
	Root string
}

// Error says the path climbs out of the root.
func (e *ClimbError) Error() string {
	return fmt.Sprintf("the path climbs out of the %s with `..`: refused", e.Root)
}

// Clean turns a tar path into a path relative to the root ("." for the root itself);
// an absolute path is taken relative to the root. A path that climbs out of the root
// with `..` is refused with a *ClimbError.
func (r *Root) Clean(name string) (string, error) {
	if strings.ContainsRune(name, 0) {
		return "", errors.New("the path holds a NUL byte")
	}
	rel := path.Clean("./" + strings.TrimLeft(name, "/"))
	if rel == ".." || strings.HasPrefix(rel, "../") {
		return "", &ClimbError{Root: r.opts.Root}
	}
	return rel, nil
}

// OpenDir opens rel (relative to the root) as an O_PATH directory, resolving every
// component inside the root and refusing a symlink on the way, making missing ones
// when create is set.
func (r *Root) OpenDir(rel string, create bool) (int, error) {
	how := unix.OpenHow{Flags: unix.O_PATH | unix.O_DIRECTORY | unix.O_CLOEXEC, Resolve: inRootNoSymlinks}
	fd, err := unix.Openat2(r.fd, rel, &how)
	if errors.Is(err, unix.ELOOP) {
		if link, target, found := SymlinkOnPath(r.fd, rel); found {
			return -1, r.throughSymlink(link, target)
		}
	}
	if err == nil || !create || !errors.Is(err, unix.ENOENT) || rel == "." {
		if err != nil {
			return -1, fmt.Errorf("directory %s: %w", rel, err)
		}
		return fd, nil
	}
	pfd, err := r.OpenDir(path.Dir(rel), true)
	if err != nil {
		return -1, err
	}
	err = unix.Mkdirat(pfd, path.Base(rel), 0o755)
	unix.Close(pfd)
	if err != nil && !errors.Is(err, unix.EEXIST) {
		return -1, fmt.Errorf("make directory %s: %w", rel, err)
	}
	if err == nil && r.opts.Made != nil {
		r.opts.Made(rel)
	}
	if fd, err = unix.Openat2(r.fd, rel, &how); err != nil {
		return -1, fmt.Errorf("directory %s: %w", rel, err)
	}
	return fd, nil
}

// throughSymlink is the error for a path through the symlink link to target.
func (r *Root) throughSymlink(link, target string) error {
	if r.opts.ThroughSymlink != nil {
		return r.opts.ThroughSymlink(link, target)
	}
	return fmt.Errorf("%s is not a directory (a symlink is not followed)", link)
}

// Replace opens the directory parentRel (made when missing), removes what is at name
// in it, and lets make put the new entry there through the directory's descriptor.
func (r *Root) Replace(parentRel, name string, make func(pfd int) error) error {
	pfd, err := r.OpenDir(parentRel, true)
	if err != nil {
		return err
	}
	defer unix.Close(pfd)
	if _, err := removeAt(pfd, name, false); err != nil {
		return err
	}
	return make(pfd)
}

// removeAt removes what sits at base in pfd, unless it is a directory and keepDir is
// set. It reports whether a directory was kept.
func removeAt(pfd int, base string, keepDir bool) (bool, error) {
	var st unix.Stat_t
	if err := unix.Fstatat(pfd, base, &st, unix.AT_SYMLINK_NOFOLLOW); err != nil {
		if errors.Is(err, unix.ENOENT) {
			return false, nil
		}
		return false, err
	}
	if st.Mode&unix.S_IFMT == unix.S_IFDIR {
		if keepDir {
			return true, nil
		}
		if err := unix.Unlinkat(pfd, base, unix.AT_REMOVEDIR); err != nil {
			return false, fmt.Errorf("replace directory %s: %w", base, err)
		}
		return false, nil
	}
	return false, unix.Unlinkat(pfd, base, 0)
}

// SymlinkOnPath finds the first component of rel, below the directory root, that is a
// symlink, and what it points to.
func SymlinkOnPath(root int, rel string) (link, target string, found bool) {
	parts := strings.Split(rel, "/")
	for i := range parts {
		p := strings.Join(parts[:i+1], "/")
		var st unix.Stat_t
		if unix.Fstatat(root, p, &st, unix.AT_SYMLINK_NOFOLLOW) != nil {
			return "", "", false
		}
		if st.Mode&unix.S_IFMT == unix.S_IFLNK {
			buf := make([]byte, unix.PathMax)
			n, err := unix.Readlinkat(root, p, buf)
			if err != nil {
				return p, "?", true
			}
			return p, string(buf[:n]), true
		}
		if st.Mode&unix.S_IFMT != unix.S_IFDIR {
			return "", "", false
		}
	}
	return "", "", false
}
