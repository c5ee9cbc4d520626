package network

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"
)

// netnsDir is where iproute2 keeps named network namespaces.
const netnsDir = "/run/netns"

// addNamedNetns makes a network namespace bind-mounted at /run/netns/NAME, as
// `ip netns add NAME` does (see BindNewNetns).
func addNamedNetns(name string) error {
	if err := shareNetnsDir(); err != nil {
		return err
	}
	return BindNewNetns(filepath.Join(netnsDir, name))
}

// BindNewNetns makes a new network namespace kept alive by a bind mount on the file at
// path, which it makes, without moving the calling process: only a locked thread
// enters the new namespace, and it never runs anything else. On failure the file goes.
func BindNewNetns(path string) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_RDONLY, 0o444)
	if err != nil {
		return fmt.Errorf("make network namespace file %s: %w", path, err)
	}
	f.Close()
	mountErr := make(chan error, 1)
	go func() {
		// The thread is left locked: it ends with the goroutine, in the new namespace.
		runtime.LockOSThread()
		if err := unix.Unshare(unix.CLONE_NEWNET); err != nil {
			mountErr <- fmt.Errorf("unshare a network namespace for %s: %w", path, err)
			return
		}
		self := "/proc/self/task/" + strconv.Itoa(unix.Gettid()) + "/ns/net"
		if err := unix.Mount(self, path, "none", unix.MS_BIND, ""); err != nil {
			mountErr <- fmt.Errorf("bind-mount network namespace %s: %w", path, err)
			return
		}
		mountErr <- nil
	}()
	if err := <-mountErr; err != nil {
		os.Remove(path)
		return err
	}
	return nil
}

// shareNetnsDir makes /run/netns a shared mount point, as iproute2 does, so that a
// namespace removed later is unmounted in every mount namespace that copied it.
func shareNetnsDir() error {
	if err := os.MkdirAll(netnsDir, 0o755); err != nil {
		return fmt.Errorf("make %s: %w", netnsDir, err)
	}
	err := unix.Mount("", netnsDir, "none", unix.MS_SHARED|unix.MS_REC, "")
	if errors.Is(err, unix.EINVAL) {
		if err = unix.Mount(netnsDir, netnsDir, "none", unix.MS_BIND|unix.MS_REC, ""); err == nil {
			err = unix.Mount("", netnsDir, "none", unix.MS_SHARED|unix.MS_REC, "")
		}
	}
	if err != nil {
		return fmt.Errorf("make %s a shared mount: %w", netnsDir, err)
	}
	return nil
}

// deleteNamedNetns removes a named network namespace, as `ip netns delete` does (see
// UnbindNetns).
func deleteNamedNetns(name string) error { return UnbindNetns(filepath.Join(netnsDir, name)) }

// UnbindNetns unmounts a network namespace bound on the file at path and removes the
// file; the namespace goes once nothing else holds it. A missing file is not an error.
func UnbindNetns(path string) error {
	if _, err := os.Lstat(path); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err := unix.Unmount(path, unix.MNT_DETACH); err != nil && !errors.Is(err, unix.EINVAL) && !errors.Is(err, unix.ENOENT) {
		return fmt.Errorf("unmount network namespace %s: %w", path, err)
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("remove %s: %w", path, err)
	}
	return nil
}

// nsHandle is a netlink handle bound to one network namespace, with the namespace's
// file kept open for moving links into it.
type nsHandle struct {
	*netlink.Handle
	ns netns.NsHandle
}

// openNs opens a netlink handle in the network namespace at path.
func openNs(path string) (*nsHandle, error) {
	ns, err := netns.GetFromPath(path)
	if err != nil {
		return nil, fmt.Errorf("open network namespace %s: %w", path, err)
	}
	h, err := netlink.NewHandleAt(ns)
	if err != nil {
		ns.Close()
		return nil, fmt.Errorf("netlink in network namespace %s: %w", path, err)
	}
	return &nsHandle{Handle: h, ns: ns}, nil
}

// openPair opens netlink handles in the network namespaces at pathA and pathB, such
// as the two ends of a veth pair; release closes both.
func openPair(pathA, pathB string) (a, b *nsHandle, release func(), err error) {
	if a, err = openNs(pathA); err != nil {
		return nil, nil, nil, err
	}
	if b, err = openNs(pathB); err != nil {
		a.Close()
		return nil, nil, nil, err
	}
	return a, b, func() { a.Close(); b.Close() }, nil
}

// withNsAt runs fn with a netlink handle in the network namespace at path.
func withNsAt(path string, fn func(*nsHandle) error) error {
	h, err := openNs(path)
	if err != nil {
		return err
	}
	defer h.Close()
	return fn(h)
}

// Close releases the handle and the namespace file.
func (h *nsHandle) Close() {
	h.Handle.Close()
	h.ns.Close()
}
