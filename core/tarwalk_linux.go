package core

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"time"

	"golang.org/x/sys/unix"

	"workbench/untar"
)

// Trees are copied in and out of containers as tar streams, as docker cp does. Both
// sides work through directory descriptors, never following a symlink (a tar is
// written one component at a time and extracted by package untar): a container that
// swaps a directory for a symlink to the machine while it is copied gets an error,
// never a file of the machine.

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

// extractTree extracts tr into the directory dir (see package untar): an existing
// file is replaced, an existing directory kept, an entry whose path climbs out of dir
// with `..` left out. owner gives each entry's owner on this side; every mode bit is
// kept.
func extractTree(tr *tar.Reader, dir *os.File, owner func(h *tar.Header) (int, int)) error {
	root := untar.New(int(dir.Fd()), untar.Options{Root: "copy", Owner: owner, KeepSetID: true})
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read the archive: %w", err)
		}
		rel, err := root.Clean(hdr.Name)
		if rel == "." || errors.As(err, new(*untar.ClimbError)) {
			continue // dir itself, or a path out of it
		}
		if err != nil {
			return fmt.Errorf("extract %s: %w", hdr.Name, err)
		}
		if _, err := root.Write(hdr, rel, tr); err != nil {
			return fmt.Errorf("extract %s: %w", rel, err)
		}
	}
}
