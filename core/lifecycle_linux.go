package core

import (
	"context"
	"fmt"

	"workbench/core/cgroup"
)

// Create makes a container without starting it (`create`): its state, files and
// writable layer; start runs it.
func (e *Engine) Create(ctx context.Context, spec RunSpec) (Container, error) {
	unlock, err := e.lock(ctx)
	if err != nil {
		return Container{}, err
	}
	defer unlock()
	c, err := e.create(ctx, spec)
	if err != nil {
		return c, err
	}
	c.OwnerPid, c.OwnerStart = 0, 0
	e.event("create", c)
	return c, e.save(c)
}

// Pause freezes every process of a running container (the cgroup freezer: they cannot
// see, catch or undo it); ps shows it as Paused.
func (e *Engine) Pause(ctx context.Context, nameOrID string) (Container, error) {
	return e.setPaused(ctx, nameOrID, true)
}

// Unpause thaws a paused container.
func (e *Engine) Unpause(ctx context.Context, nameOrID string) (Container, error) {
	return e.setPaused(ctx, nameOrID, false)
}

func (e *Engine) setPaused(ctx context.Context, nameOrID string, paused bool) (Container, error) {
	c, unlock, err := e.locked(ctx, nameOrID)
	if err != nil {
		return c, err
	}
	defer unlock()
	switch {
	case c.State != StateRunning:
		return c, fmt.Errorf("container %s is not running: only a running container can be paused or unpaused", c.Name)
	case c.Paused == paused && paused:
		return c, fmt.Errorf("container %s is paused already: unpause it with workbench unpause %s", c.Name, c.Name)
	case c.Paused == paused:
		return c, fmt.Errorf("container %s is not paused", c.Name)
	}
	g, err := cgroup.Open(e.inst, c.CgroupID)
	if err != nil {
		return c, err
	}
	if paused {
		err = g.Freeze()
	} else {
		err = g.Thaw()
	}
	if err != nil {
		return c, err
	}
	c.Paused = paused
	if paused {
		e.event("pause", c)
	} else {
		e.event("unpause", c)
	}
	return c, e.save(c)
}

// thawIfPaused lets a paused container's processes run again, so that a signal that
// ends them (KILL, the stop signal) takes effect. The caller holds the lock.
func (e *Engine) thawIfPaused(c *Container) error {
	if !c.Paused {
		return nil
	}
	g, err := cgroup.Open(e.inst, c.CgroupID)
	if err == nil {
		err = g.Thaw()
	}
	if err != nil {
		return err
	}
	c.Paused = false
	return e.save(*c)
}

// Rename gives a container a new name, in its state and in its peers' /etc/hosts.
func (e *Engine) Rename(ctx context.Context, nameOrID, newName string) (Container, error) {
	if err := CheckName(newName); err != nil {
		return Container{}, err
	}
	c, unlock, err := e.locked(ctx, nameOrID)
	if err != nil {
		return c, err
	}
	defer unlock()
	if other, err := e.Lookup(ctx, newName); err == nil && other.Name == newName {
		return c, fmt.Errorf("container name %q is already in use by %s: pick another", newName, other.ShortID())
	}
	old := c.Name
	c.Name = newName
	if err := e.save(c); err != nil {
		return c, err
	}
	e.event("rename", c, "oldName", old)
	if err := e.net.RenameContainer(ctx, c.ID, newName); err != nil {
		return c, fmt.Errorf("rename %s in its networks' hosts files: %w", old, err)
	}
	return c, nil
}
