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
// `ip netns add NAME` does, without moving the calling process: only a locked thread
// enters the new namespace, and it returns before it is released.
func addNamedNetns(name string) (err error) {
	if err := shareNetnsDir(); err != nil {
		return err
	}
	path := filepath.Join(netnsDir, name)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_RDONLY, 0o444)
	if err != nil {
		return fmt.Errorf("make %s: %w", path, err)
	}
	f.Close()
	defer func() {
		if err != nil {
			os.Remove(path)
		}
	}()
	mountErr := make(chan error, 1)
	go func() {
		// The thread is left locked: it ends with the goroutine, in the new namespace,
		// and never runs anything else.
		runtime.LockOSThread()
		if err := unix.Unshare(unix.CLONE_NEWNET); err != nil {
			mountErr <- fmt.Errorf("unshare a network namespace for %s: %w", name, err)
			return
		}
		self := "/proc/self/task/" + strconv.Itoa(unix.Gettid()) + "/ns/net"
		if err := unix.Mount(self, path, "none", unix.MS_BIND, ""); err != nil {
			mountErr <- fmt.Errorf("bind-mount network namespace %s: %w", path, err)
			return
		}
		mountErr <- nil
	}()
	return <-mountErr
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

// deleteNamedNetns removes a named network namespace, as `ip netns delete` does. A
// missing one is not an error.
func deleteNamedNetns(name string) error {
	path := filepath.Join(netnsDir, name)
	if _, err := os.Stat(path); os.IsNotExist(err) {
		return nil
	}
	if err := unix.Unmount(path, unix.MNT_DETACH); err != nil && !errors.Is(err, unix.EINVAL) {
		return fmt.Errorf("unmount network namespace %s: %w", path, err)
	}
	if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
		return err // it names the path
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

// Close releases the handle and the namespace file.
func (h *nsHandle) Close() {
	h.Handle.Close()
	h.ns.Close()
}
