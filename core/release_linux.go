package core

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"workbench/core/cgroup"
)

// release removes the kernel objects a container holds while it runs: published ports,
// endpoints, its own network namespace, the overlay and its cgroup (every process left
// in it killed first). Its directory, state, log and writable layer stay. It goes on
// past failures and returns them all. The namespace goes first: with no process left
// in it the kernel frees it, with its end of the veth pair, in the background; the
// cgroup goes meanwhile.
func (e *Engine) release(ctx context.Context, c *Container) error {
	cgErr := make(chan error, 1)
	go func() { cgErr <- e.releaseCgroup(c) }()
	var errs []error
	if e.ownsNetns(c) {
		errs = append(errs, e.removeNetns(c.NetnsPath))
	}
	if len(c.Ports) > 0 {
		if err := e.net.Unpublish(ctx, c.Ports); err != nil {
			errs = append(errs, err)
		} else {
			c.Ports = nil
		}
	}
	var kept = c.Networks[:0]
	for _, a := range c.Networks {
		if err := e.net.Release(ctx, a); err != nil {
			errs = append(errs, err)
			kept = append(kept, a)
		}
	}
	c.Networks = kept
	errs = append(errs, <-cgErr)
	// The overlay goes once no process of the container is left to use it.
	errs = append(errs, e.unmount(c.Rootfs))
	return errors.Join(errs...)
}

// releaseCgroup notes whether the OOM killer struck, then kills what is left in the
// cgroup and removes it.
func (e *Engine) releaseCgroup(c *Container) error {
	g, err := cgroup.Open(e.inst, c.CgroupID)
	if err != nil {
		return nil // never made, or removed already
	}
	if oom, err := g.OOMKilled(); err == nil && oom && !c.OOMKilled {
		c.OOMKilled = true
		e.event("oom", *c)
	}
	return g.Delete()
}

// destroy releases a container, unmounts its writable layer and removes its
// directory; its anonymous volumes go too with --rm or when volumes is set (rm -v, a
// creation rolled back), as with Docker. The caller holds the lock.
func (e *Engine) destroy(ctx context.Context, c *Container, volumes bool) error {
	err := errors.Join(e.release(ctx, c), e.unmount(e.layerDir(c.ID)))
	e.event("destroy", *c)
	if rmErr := os.RemoveAll(e.Dir(c.ID)); rmErr != nil {
		err = errors.Join(err, fmt.Errorf("remove %s: %w", e.Dir(c.ID), rmErr))
	}
	if c.AutoRemove || volumes {
		for _, m := range c.Mounts {
			if m.Type == MountVolume && m.Anonymous && isDir(filepath.Join(e.volumesDir(), m.Source)) {
				err = errors.Join(err, e.removeVolume(m.Source, true))
			}
		}
	}
	return err
}
