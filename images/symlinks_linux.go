package images

import (
	"errors"
	"fmt"
	"path"
	"sort"

	"golang.org/x/sys/unix"

	"workbench/untar"
)

// ThroughSymlinkError is a layer entry written through a symlink: a tar entry a/b
// where a is a symlink made by the same layer or a lower one. Engines disagree on
// where such an entry lands (Docker makes a directory a in the layer, containerd
// follows the link), so the layer is refused.
type ThroughSymlinkError struct {
	// Layer is the entry's layer, 1-based from the bottom of its image; 0 when unknown.
	Layer int
	// Image names the image (its first reference, or its short ID); "" when unknown.
	Image string
	// Path is the entry's path in the layer.
	Path string
	// Link is the symlink on that path, Target what it points to.
	Link, Target string
}

// Error says which layer of which image writes what through which symlink.
func (e *ThroughSymlinkError) Error() string {
	what := "the tar"
	if e.Layer > 0 && e.Image != "" {
		what = fmt.Sprintf("layer %d of %s", e.Layer, e.Image)
	}
	return fmt.Sprintf("%s writes %s through the symlink %s -> %s: refused", what, e.Path, e.Link, e.Target)
}

// checkLowerSymlinks refuses an image in which a layer writes through a symlink of a
// layer below: a directory the layer's tar did not hold (see UnpackStats.Implied)
// where the layers below show a symlink. dirs are the unpacked layers, bottom first;
// implied[i] is what layer i implied. image names the image in the error.
func checkLowerSymlinks(dirs []string, implied []map[string]string, image string) error {
	for i := 1; i < len(dirs); i++ {
		paths := make([]string, 0, len(implied[i]))
		for p := range implied[i] {
			paths = append(paths, p)
		}
		sort.Strings(paths)
		for _, p := range paths {
			link, target, err := lowerSymlink(dirs[:i], p)
			if err != nil {
				return err
			}
			if link != "" {
				return &ThroughSymlinkError{Layer: i + 1, Image: image, Path: implied[i][p], Link: link, Target: target}
			}
		}
	}
	return nil
}

// lowerSymlink looks for rel in the layers given (bottom first) from the top down, as
// overlayfs would: it returns rel and its target when the first layer that has rel has
// a symlink there. A layer that has something else at rel, or hides it (a parent
// that is not a directory, an opaque parent), ends the search.
func lowerSymlink(lowers []string, rel string) (link, target string, err error) {
	for j := len(lowers) - 1; j >= 0; j-- {
		root, err := unix.Open(lowers[j], unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
		if err != nil {
			return "", "", fmt.Errorf("open layer directory %s: %w", lowers[j], err)
		}
		fd, err := unix.Openat2(root, rel, &unix.OpenHow{Flags: unix.O_PATH | unix.O_NOFOLLOW | unix.O_CLOEXEC, Resolve: unix.RESOLVE_IN_ROOT | unix.RESOLVE_NO_SYMLINKS})
		if err == nil {
			var st unix.Stat_t
			err = unix.Fstat(fd, &st)
			unix.Close(fd)
			if err == nil && st.Mode&unix.S_IFMT == unix.S_IFLNK {
				link, target, _ = untar.SymlinkOnPath(root, rel)
			}
			unix.Close(root)
			return link, target, err
		}
		unix.Close(root)
		if !errors.Is(err, unix.ENOENT) {
			return "", "", nil // a parent is a symlink or no directory here: rel is hidden
		}
		l, err := openLayerDir(lowers[j])
		if err != nil {
			return "", "", err
		}
		hidden := false
		for p := path.Dir(rel); p != "." && !hidden; p = path.Dir(p) {
			hidden = l.opaque(p)
		}
		l.close()
		if hidden {
			return "", "", nil
		}
	}
	return "", "", nil
}
