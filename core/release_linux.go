package core

import (
	"context"
	"errors"
	"fmt"
	"os"

	"golang.org/x/sys/unix"

	"workbench/core/cgroup"
)

// release removes the kernel objects a container holds while it runs: published ports,
// endpoints, its own network namespace and its cgroup. Its directory, state and log
// stay. It goes on past failures and returns them all.
func (e *Engine) release(ctx context.Context, c *Container) error {
	var errs []error
	if len(c.Ports) > 0 {
		if err := e.net.Unpublish(ctx, c.Ports); err != nil {
			errs = append(errs, err)
		} else {
			c.Ports = nil
		}
	}
	var kept = c.Networks[:0]
	for _, a := range c.Networks {
		if err := e.net.Detach(ctx, a); err != nil {
			errs = append(errs, err)
			kept = append(kept, a)
		}
	}
	c.Networks = kept
	if e.ownsNetns(c) {
		if err := e.removeNetns(c.NetnsPath); err != nil {
			errs = append(errs, err)
		}
	}
	if c.Userns {
		if err := unix.Unmount(c.Rootfs, unix.MNT_DETACH); err == nil {
			e.log.AddArgs("umount", "-l", c.Rootfs)
		} else if err != unix.EINVAL && err != unix.ENOENT {
			errs = append(errs, fmt.Errorf("unmount %s: %w", c.Rootfs, err))
		}
	}
	if g, err := cgroup.Open(e.inst, c.CgroupID); err == nil {
		if oom, err := g.OOMKilled(); err == nil && oom {
			c.OOMKilled = true
		}
		if err := g.Delete(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// destroy releases a container and removes its directory. The caller holds the lock.
func (e *Engine) destroy(ctx context.Context, c *Container) error {
	err := e.release(ctx, c)
	if rmErr := os.RemoveAll(e.Dir(c.ID)); rmErr != nil {
		err = errors.Join(err, fmt.Errorf("remove %s: %w", e.Dir(c.ID), rmErr))
	}
	return err
}
