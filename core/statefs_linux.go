package core

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// ensureStateFs makes the containers directory and, when it is on a disk (this
// machine's /run is), mounts a tmpfs on it while it is still empty: a container's state,
// log, socket and writable layer are made and removed at every run, and a disk does
// each of those file operations several times slower than memory. The caller holds
// the lock; reset unmounts it.
func (e *Engine) ensureStateFs() error {
	dir := e.inst.ContainersDir()
	if err := os.MkdirAll(dir, 0o711); err != nil {
		return fmt.Errorf("make %s: %w", dir, err)
	}
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil || st.Type == unix.TMPFS_MAGIC {
		return nil
	}
	if ents, err := os.ReadDir(dir); err != nil || len(ents) > 0 {
		return nil // containers made before stay where they are
	}
	e.log.AddArgs("mount", "-t", "tmpfs", "-o", "mode=711", "tmpfs", dir)
	if err := unix.Mount("tmpfs", dir, "tmpfs", 0, "mode=711"); err != nil {
		return fmt.Errorf("mount a tmpfs on %s: %w", dir, err)
	}
	return nil
}

// removeStateFs unmounts the tmpfs of the containers directory, if there is one.
func (e *Engine) removeStateFs() error {
	dir := e.inst.ContainersDir()
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil || st.Type != unix.TMPFS_MAGIC {
		return nil
	}
	var parent unix.Statfs_t
	if err := unix.Statfs(e.inst.RunDir, &parent); err == nil && parent.Type == unix.TMPFS_MAGIC {
		return nil // /run is a tmpfs itself: nothing was mounted
	}
	e.log.AddArgs("umount", dir)
	if err := unix.Unmount(dir, unix.MNT_DETACH); err != nil {
		return fmt.Errorf("unmount %s: %w", dir, err)
	}
	return nil
}
