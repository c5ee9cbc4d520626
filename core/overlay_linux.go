package core

import (
	"errors"
	"fmt"
	"strings"

	"golang.org/x/sys/unix"

	"workbench/core/launch"
)

// overlayData is the overlay mount's options: the layers top first, then the
// writable layer and the work directory.
func overlayData(layers []string, upper, work string) string {
	lower := make([]string, len(layers))
	for i, l := range layers {
		lower[len(layers)-1-i] = l
	}
	return "lowerdir=" + strings.Join(lower, ":") + ",upperdir=" + upper + ",workdir=" + work
}

// overlayCommand is the mount(8) command that makes a container's rootfs.
func overlayCommand(layers []string, upper, work, merged string) string {
	return launch.MountCommand("overlay", merged, "overlay", 0, overlayData(layers, upper, work))
}

// mountOverlay mounts a container's root filesystem: the image's layers read-only
// under its writable layer.
func mountOverlay(layers []string, upper, work, merged string) error {
	err := unix.Mount("overlay", merged, "overlay", 0, overlayData(layers, upper, work))
	if errors.Is(err, unix.ENODEV) {
		return fmt.Errorf("this kernel has no overlayfs: load it with `modprobe overlay`")
	}
	if err != nil {
		return fmt.Errorf("mount the overlay rootfs on %s: %w", merged, err)
	}
	return nil
}
