package core

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// Trees are copied in and out of containers as tar streams, as docker cp does. Both
// sides work through directory descriptors, one component at a time, never following
// a symlink: a container that swaps a directory for a symlink to the machine while it
// is copied gets an error, never a file of the machine.

// idShift maps owners between a container's IDs and the machine's (a --userns
// container's root is usernsBase on the machine).
type idShift int

// writeTree writes the entry name of the directory dir (and, for a directory,
// everything under it) to tw, named as; owners are shifted by -shift. With contents
// set and name a directory, its entries are written at the top instead.
func writeTree(tw *tar.Writer, dir *os.File, name, as string, shift idShift, contents bool) error {
	var st unix.Stat_t
	if err := unix.Fstatat(int(dir.Fd()), name, &st, unix.AT_SYMLINK_NOFOLLOW); err != nil {
		return fmt.Errorf("%s: %w", as, err)
	}
	if contents && st.Mode&unix.S_IFMT == unix.S_IFDIR {
		return writeChildren(tw, dir, name, "", shift)
	}
	hdr := &tar.Header{Name: as, Mode: int64(st.Mode & 0o7777), Uid: int(st.Uid) - int(shift), Gid: int(st.Gid) - int(shift),
		ModTime: time.Unix(st.Mtim.Sec, st.Mtim.Nsec), Format: tar.FormatPAX}
	switch st.Mode & unix.S_IFMT {
	case unix.S_IFDIR:
		hdr.Typeflag, hdr.Name = tar.TypeDir, as+"/"
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		return writeChildren(tw, dir, name, as, shift)
	case unix.S_IFREG:
		f, size, err := openListed(int(dir.Fd()), name, &st)
		if err != nil {
			return fmt.Errorf("%s: %w", as, err)
		}
		defer f.Close()
		hdr.Typeflag, hdr.Size = tar.TypeReg, size
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		_, err = io.CopyN(tw, f, size)
		return err
	case unix.S_IFLNK:
		buf := make([]byte, unix.PathMax)
		n, err := unix.Readlinkat(int(dir.Fd()), name, buf)
		if err != nil {
			return fmt.Errorf("%s: %w", as, err)
		}
		hdr.Typeflag, hdr.Linkname = tar.TypeSymlink, string(buf[:n])
	case unix.S_IFCHR, unix.S_IFBLK, unix.S_IFIFO:
		hdr.Typeflag = map[uint32]byte{unix.S_IFCHR: tar.TypeChar, unix.S_IFBLK: tar.TypeBlock, unix.S_IFIFO: tar.TypeFifo}[st.Mode&unix.S_IFMT]
		hdr.Devmajor, hdr.Devminor = int64(unix.Major(st.Rdev)), int64(unix.Minor(st.Rdev))
	default:
		return nil // a socket: left out, as tar leaves it
	}
	return tw.WriteHeader(hdr)
}

// writeChildren writes every entry of the directory name of dir, under prefix.
func writeChildren(tw *tar.Writer, dir *os.File, name, prefix string, shift idShift) error {
	sub, err := openDirAt(int(dir.Fd()), name)
	if err != nil {
		return err
	}
	defer sub.Close()
	names, err := dirNames(sub)
	if err != nil {
		return err
	}
	for _, n := range names {
		if err := writeTree(tw, sub, n, path.Join(prefix, n), shift, false); err != nil {
			return err
		}
	}
	return nil
}

// extractTree extracts tr into the directory dir: every entry's parents are walked
// from dir one component at a time without following a symlink, an existing file is
// replaced, an existing directory kept. owner gives each entry's owner on this side.
func extractTree(tr *tar.Reader, dir *os.File, owner func(h *tar.Header) (int, int)) error {
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read the archive: %w", err)
		}
		name := path.Clean(strings.TrimPrefix(hdr.Name, "/"))
		if name == "." || name == ".." || strings.HasPrefix(name, "../") {
			continue
		}
		parentName, base := path.Split(name)
		parent, err := walkDirs(dir, parentName)
		if err != nil {
			return fmt.Errorf("extract %s: %w", name, err)
		}
		err = extractEntry(tr, hdr, parent, base, dir, owner)
		if parent != dir {
			parent.Close()
		}
		if err != nil {
			return fmt.Errorf("extract %s: %w", name, err)
		}
	}
}

// walkDirs opens the directory rel under dir, making missing components, refusing a
// component that is a symlink or not a directory.
func walkDirs(dir *os.File, rel string) (*os.File, error) {
	cur := dir
	for _, c := range strings.Split(strings.Trim(rel, "/"), "/") {
		if c == "" {
			continue
		}
		if err := unix.Mkdirat(int(cur.Fd()), c, 0o755); err != nil && !errors.Is(err, unix.EEXIST) {
			return nil, err
		}
		next, err := openDirAt(int(cur.Fd()), c)
		if cur != dir {
			cur.Close()
		}
		if err != nil {
			return nil, fmt.Errorf("%s is not a directory (a symlink is not followed): %w", c, err)
		}
		cur = next
	}
	return cur, nil
}

// extractEntry makes one entry in the directory parent.
func extractEntry(tr *tar.Reader, hdr *tar.Header, parent *os.File, base string, root *os.File, owner func(*tar.Header) (int, int)) error {
	pfd := int(parent.Fd())
	var existing unix.Stat_t
	exists := unix.Fstatat(pfd, base, &existing, unix.AT_SYMLINK_NOFOLLOW) == nil
	if exists && !(hdr.Typeflag == tar.TypeDir && existing.Mode&unix.S_IFMT == unix.S_IFDIR) {
		flags := 0
		if existing.Mode&unix.S_IFMT == unix.S_IFDIR {
			flags = unix.AT_REMOVEDIR
		}
		if err := unix.Unlinkat(pfd, base, flags); err != nil {
			return fmt.Errorf("replace it: %w", err)
		}
	}
	uid, gid := owner(hdr)
	mode := uint32(hdr.Mode & 0o7777)
	switch hdr.Typeflag {
	case tar.TypeDir:
		if err := unix.Mkdirat(pfd, base, 0o700); err != nil && !errors.Is(err, unix.EEXIST) {
			return err
		}
		d, err := openDirAt(pfd, base)
		if err != nil {
			return err
		}
		defer d.Close()
		return setAttrs(int(d.Fd()), uid, gid, mode, nil)
	case tar.TypeReg:
		t := unix.NsecToTimespec(hdr.ModTime.UnixNano())
		return createFile(pfd, base, tr, uid, gid, mode, []unix.Timespec{t, t})
	case tar.TypeSymlink:
		return createSymlink(pfd, base, hdr.Linkname, uid, gid)
	case tar.TypeLink:
		target := path.Clean(strings.TrimPrefix(hdr.Linkname, "/"))
		tdir, tbase := path.Split(target)
		td, err := walkDirs(root, tdir)
		if err != nil {
			return err
		}
		if td != root {
			defer td.Close()
		}
		return unix.Linkat(int(td.Fd()), tbase, pfd, base, 0)
	case tar.TypeChar, tar.TypeBlock, tar.TypeFifo:
		kind := map[byte]uint32{tar.TypeChar: unix.S_IFCHR, tar.TypeBlock: unix.S_IFBLK, tar.TypeFifo: unix.S_IFIFO}[hdr.Typeflag]
		return createNode(pfd, base, kind|mode, int(unix.Mkdev(uint32(hdr.Devmajor), uint32(hdr.Devminor))), uid, gid)
	}
	return nil
}
