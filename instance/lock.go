package instance

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// Lock takes the instance's state lock, waiting for any other workbench command that
// holds it, and returns the function that releases it. Every command that changes
// state (containers, hosts, networks, images) holds it for the whole change.
func (i Instance) Lock() (unlock func(), err error) {
	if err := os.MkdirAll(i.RunDir, 0o755); err != nil {
		return nil, fmt.Errorf("make state directory %s: %w", i.RunDir, err)
	}
	f, err := os.OpenFile(i.LockPath(), os.O_RDWR|os.O_CREATE|unix.O_CLOEXEC, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open state lock: %w", err)
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("take state lock %s: %w", i.LockPath(), err)
	}
	return func() { f.Close() }, nil
}
