package images

import (
	"errors"
	"fmt"
	"path"
	"strings"

	"golang.org/x/sys/unix"
)

// cleanPath turns a tar path into a path relative to the layer root, or refuses it.
func cleanPath(name string) (string, error) {
	if strings.ContainsRune(name, 0) {
		return "", errors.New("the path holds a NUL byte")
	}
	rel := path.Clean("./" + strings.TrimLeft(name, "/"))
	if rel == ".." || strings.HasPrefix(rel, "../") {
		return "", errors.New("the path climbs out of the layer with `..`: refused")
	}
	return rel, nil
}

// clear removes what sits at base in pfd, unless it is a directory and keepDir is set.
// It reports whether a directory was kept.
func clear(pfd int, base string, keepDir bool) (bool, error) {
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

// safeMode keeps the permission and sticky bits and strips setuid and setgid.
func safeMode(mode int64) uint32 { return uint32(mode) & 0o1777 }

// owner returns the tar's owner, or root for ids a kernel would not take.
func owner(id int) int {
	if id < 0 || id > 1<<31-2 {
		return 0
	}
	return id
}
