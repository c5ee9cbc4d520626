package sources

import (
	"os"
	"syscall"
)

// inodeOf is the inode number behind a file's stat.
func inodeOf(st os.FileInfo) uint64 {
	if s, ok := st.Sys().(*syscall.Stat_t); ok {
		return s.Ino
	}
	return 0
}
