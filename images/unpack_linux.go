package images

import (
	"archive/tar"
	"fmt"
	"io"
	"path"
	"strings"

	"golang.org/x/sys/unix"

	"workbench/cmdlog"
	"workbench/untar"
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
// directory. The entries are written by package untar. The stream is read to its end
// so a caller hashing it sees every byte.
// On error dir holds a partial layer: callers unpack into a directory they discard.
func Unpack(r io.Reader, dir string, log *cmdlog.Log) (UnpackStats, error) {
	fd, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return UnpackStats{}, fmt.Errorf("open layer directory %s: %w", dir, err)
	}
	defer unix.Close(fd)
	u := &unpacker{dir: dir, log: log, implied: map[string]string{}}
	u.root = untar.New(fd, untar.Options{Root: "layer", Sparse: true, ThroughSymlink: u.throughSymlink,
		Made: func(made string) { u.implied[made] = u.entry }})
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
	root  *untar.Root
	dir   string
	log   *cmdlog.Log
	stats UnpackStats
	// entry is the path of the entry being applied.
	entry string
	// implied are the directories made for entries the tar held no directory for.
	implied map[string]string
}

func (u *unpacker) apply(hdr *tar.Header, tr *tar.Reader) error {
	rel, err := u.root.Clean(hdr.Name)
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
		delete(u.implied, rel)
	case tar.TypeReg, tar.TypeGNUSparse, tar.TypeSymlink, tar.TypeLink, tar.TypeFifo:
	case tar.TypeChar:
		if hdr.Devmajor != 0 || hdr.Devminor != 0 {
			u.stats.Skipped++ // a device node: a layer has no business holding one
			return nil
		}
		u.stats.Whiteouts++
	default:
		u.stats.Skipped++ // device nodes and kinds a layer has no business holding
		return nil
	}
	n, err := u.root.Write(hdr, rel, tr)
	u.stats.Size += n
	return err
}

// throughSymlink refuses the entry being applied, whose path goes through the symlink
// link to target.
func (u *unpacker) throughSymlink(link, target string) error {
	return &ThroughSymlinkError{Path: u.entry, Link: link, Target: target}
}

// keepImplied records in the stats the implied directories that are still directories
// (a later entry may have replaced one).
func (u *unpacker) keepImplied() {
	for rel, entry := range u.implied {
		fd, err := u.root.OpenDir(rel, false)
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
