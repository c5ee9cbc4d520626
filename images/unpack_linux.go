package images

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"

	"golang.org/x/sys/unix"

	"workbench/cmdlog"
)

// Whiteout names of the OCI layer format.
const (
	whiteoutPrefix = ".wh."
	opaqueMarker   = ".wh..wh..opq"
	opaqueXattr    = "trusted.overlay.opaque"
)

// UnpackStats says what an unpacked layer holds.
type UnpackStats struct {
	// Size is the sum of the sizes of the regular files written.
	Size int64
	// Entries is the number of tar entries applied.
	Entries int
	// Whiteouts counts deleted paths (overlayfs whiteout devices) and opaque directories.
	Whiteouts int
	// Skipped counts entries left out on purpose: device nodes and unknown kinds.
	Skipped int
	// Implied maps each directory made because an entry needed it while the tar held
	// no entry for it, to the first such entry. In an image, a layer below may have a
	// symlink there (see checkLowerSymlinks).
	Implied map[string]string
}

// Unpack applies the layer tar read from r to the existing directory dir. The tar is
// treated as hostile: `..` paths are refused, absolute paths are taken relative to dir,
// every path is resolved inside dir (a symlink in the layer can never lead a write out
// of it), an entry whose path goes through a symlink is refused (ThroughSymlinkError),
// hard links must point inside dir, device nodes are skipped, setuid and setgid bits
// are stripped. OCI whiteouts become overlayfs's own form: `.wh.NAME` a character
// device 0/0 named NAME, `.wh..wh..opq` the xattr trusted.overlay.opaque=y on its
// directory. The stream is read to its end so a caller hashing it sees every byte.
// On error dir holds a partial layer: callers unpack into a directory they discard.
func Unpack(r io.Reader, dir string, log *cmdlog.Log) (UnpackStats, error) {
	root, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return UnpackStats{}, fmt.Errorf("open layer directory %s: %w", dir, err)
	}
	defer unix.Close(root)
	u := &unpacker{root: root, dir: dir, log: log, implied: map[string]string{}}
	tr := tar.NewReader(r)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return u.stats, fmt.Errorf("layer tar is corrupt or truncated after %d entries: %w", u.stats.Entries, err)
		}
		if err := u.apply(hdr, tr); err != nil {
			return u.stats, fmt.Errorf("layer entry %q: %w", hdr.Name, err)
		}
		u.stats.Entries++
	}
	u.keepImplied()
	if _, err := io.Copy(io.Discard, r); err != nil {
		return u.stats, fmt.Errorf("read the end of the layer: %w", err)
	}
	return u.stats, nil
}

type unpacker struct {
	root  int
	dir   string
	log   *cmdlog.Log
	stats UnpackStats
	// entry is the path of the entry being applied.
	entry string
	// implied are the directories made for entries the tar held no directory for.
	implied map[string]string
}

func (u *unpacker) apply(hdr *tar.Header, tr *tar.Reader) error {
	rel, err := cleanPath(hdr.Name)
	if err != nil {
		return err
	}
	u.entry = rel
	if rel == "." {
		return nil // the layer root itself: its directory already exists
	}
	parentRel, base := path.Dir(rel), path.Base(rel)
	if strings.Contains("/"+parentRel, "/"+whiteoutPrefix+whiteoutPrefix) {
		u.stats.Skipped++ // inside aufs metadata such as .wh..wh.plnk/
		return nil
	}
	if strings.HasPrefix(base, whiteoutPrefix) {
		return u.whiteout(parentRel, base)
	}
	switch hdr.Typeflag {
	case tar.TypeDir:
		return u.mkdir(parentRel, base, hdr)
	case tar.TypeReg, tar.TypeGNUSparse:
		return u.file(parentRel, base, hdr, tr)
	case tar.TypeSymlink:
		return u.symlink(parentRel, base, hdr)
	case tar.TypeLink:
		return u.hardlink(parentRel, base, hdr)
	case tar.TypeFifo:
		return u.mknod(parentRel, base, hdr, unix.S_IFIFO, 0)
	case tar.TypeChar:
		if hdr.Devmajor == 0 && hdr.Devminor == 0 {
			u.stats.Whiteouts++
			return u.mknod(parentRel, base, hdr, unix.S_IFCHR, 0)
		}
	}
	u.stats.Skipped++ // device nodes and kinds a layer has no business holding
	return nil
}

// openDir opens rel (relative to the layer root) as an O_PATH directory, resolving every
// component inside the root and refusing a symlink on the way, creating missing ones
// when create is set.
func (u *unpacker) openDir(rel string, create bool) (int, error) {
	how := unix.OpenHow{Flags: unix.O_PATH | unix.O_DIRECTORY | unix.O_CLOEXEC, Resolve: inRootNoSymlinks}
	fd, err := unix.Openat2(u.root, rel, &how)
	if errors.Is(err, unix.ELOOP) {
		if link, target, found := symlinkOnPath(u.root, rel); found {
			return -1, &ThroughSymlinkError{Path: u.entry, Link: link, Target: target}
		}
	}
	if err == nil || !create || !errors.Is(err, unix.ENOENT) || rel == "." {
		if err != nil {
			return -1, fmt.Errorf("directory %s: %w", rel, err)
		}
		return fd, nil
	}
	pfd, err := u.openDir(path.Dir(rel), true)
	if err != nil {
		return -1, err
	}
	err = unix.Mkdirat(pfd, path.Base(rel), 0o755)
	unix.Close(pfd)
	if err != nil && !errors.Is(err, unix.EEXIST) {
		return -1, fmt.Errorf("make directory %s: %w", rel, err)
	}
	if err == nil {
		u.implied[rel] = u.entry
	}
	if fd, err = unix.Openat2(u.root, rel, &how); err != nil {
		return -1, fmt.Errorf("directory %s: %w", rel, err)
	}
	return fd, nil
}

func (u *unpacker) mkdir(parentRel, base string, hdr *tar.Header) error {
	pfd, err := u.openDir(parentRel, true)
	if err != nil {
		return err
	}
	delete(u.implied, path.Join(parentRel, base))
	defer unix.Close(pfd)
	kept, err := clear(pfd, base, true)
	if err != nil {
		return err
	}
	if !kept {
		if err := unix.Mkdirat(pfd, base, 0o755); err != nil {
			return fmt.Errorf("make directory: %w", err)
		}
	}
	fd, err := unix.Openat(pfd, base, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("open directory: %w", err)
	}
	defer unix.Close(fd)
	if err := unix.Fchown(fd, owner(hdr.Uid), owner(hdr.Gid)); err != nil {
		return fmt.Errorf("chown: %w", err)
	}
	return unix.Fchmod(fd, safeMode(hdr.Mode))
}

// inParent opens the directory parentRel (made when missing), clears name in it, and
// lets make put the new entry there through the directory's descriptor.
func (u *unpacker) inParent(parentRel, name string, make func(pfd int) error) error {
	pfd, err := u.openDir(parentRel, true)
	if err != nil {
		return err
	}
	defer unix.Close(pfd)
	if _, err := clear(pfd, name, false); err != nil {
		return err
	}
	return make(pfd)
}

func (u *unpacker) file(parentRel, base string, hdr *tar.Header, tr *tar.Reader) error {
	return u.inParent(parentRel, base, func(pfd int) error {
		fd, err := unix.Openat(pfd, base, unix.O_WRONLY|unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0o600)
		if err != nil {
			return fmt.Errorf("create file: %w", err)
		}
		f := os.NewFile(uintptr(fd), base)
		defer f.Close()
		n, err := copySparse(f, tr)
		u.stats.Size += n
		if err != nil {
			return fmt.Errorf("write file (is the tar truncated?): %w", err)
		}
		if err := unix.Fchown(fd, owner(hdr.Uid), owner(hdr.Gid)); err != nil {
			return fmt.Errorf("chown: %w", err)
		}
		if err := unix.Fchmod(fd, safeMode(hdr.Mode)); err != nil {
			return fmt.Errorf("chmod: %w", err)
		}
		ts := []unix.Timespec{unix.NsecToTimespec(hdr.ModTime.UnixNano()), unix.NsecToTimespec(hdr.ModTime.UnixNano())}
		return unix.UtimesNanoAt(fd, "", ts, unix.AT_EMPTY_PATH)
	})
}

func (u *unpacker) symlink(parentRel, base string, hdr *tar.Header) error {
	if hdr.Linkname == "" || strings.ContainsRune(hdr.Linkname, 0) {
		return errors.New("symlink with an empty or invalid target")
	}
	return u.inParent(parentRel, base, func(pfd int) error {
		if err := unix.Symlinkat(hdr.Linkname, pfd, base); err != nil {
			return fmt.Errorf("symlink: %w", err)
		}
		return unix.Fchownat(pfd, base, owner(hdr.Uid), owner(hdr.Gid), unix.AT_SYMLINK_NOFOLLOW)
	})
}

func (u *unpacker) hardlink(parentRel, base string, hdr *tar.Header) error {
	target, err := cleanPath(hdr.Linkname)
	if err != nil {
		return fmt.Errorf("hard link target %q: %w", hdr.Linkname, err)
	}
	if target == "." {
		return errors.New("hard link to the layer root: refused")
	}
	ofd, err := u.openDir(path.Dir(target), false)
	if err != nil {
		return fmt.Errorf("hard link target %q: %w", hdr.Linkname, err)
	}
	defer unix.Close(ofd)
	return u.inParent(parentRel, base, func(pfd int) error {
		if err := unix.Linkat(ofd, path.Base(target), pfd, base, 0); err != nil {
			return fmt.Errorf("hard link to %q (it must be an earlier file of the layer): %w", hdr.Linkname, err)
		}
		return nil
	})
}

func (u *unpacker) mknod(parentRel, base string, hdr *tar.Header, kind uint32, dev int) error {
	return u.inParent(parentRel, base, func(pfd int) error {
		if err := unix.Mknodat(pfd, base, kind|safeMode(hdr.Mode)&0o777, dev); err != nil {
			return fmt.Errorf("mknod: %w", err)
		}
		return unix.Fchownat(pfd, base, owner(hdr.Uid), owner(hdr.Gid), unix.AT_SYMLINK_NOFOLLOW)
	})
}

// keepImplied records in the stats the implied directories that are still directories
// (a later entry may have replaced one).
func (u *unpacker) keepImplied() {
	how := unix.OpenHow{Flags: unix.O_PATH | unix.O_DIRECTORY | unix.O_CLOEXEC, Resolve: inRootNoSymlinks}
	for rel, entry := range u.implied {
		fd, err := unix.Openat2(u.root, rel, &how)
		if err != nil {
			continue
		}
		unix.Close(fd)
		if u.stats.Implied == nil {
			u.stats.Implied = map[string]string{}
		}
		u.stats.Implied[rel] = entry
	}
}
