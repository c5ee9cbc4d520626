package core

import (
	"context"
	"fmt"

	"workbench/core/cgroup"
)

// Update changes the limits of a running container (those set in l; the others stay)
// and records the limits in force, which later starts keep. It returns the warnings of
// limits the machine cannot apply.
func (e *Engine) Update(ctx context.Context, nameOrID string, l cgroup.Limits) (Container, []string, error) {
	c, unlock, err := e.locked(ctx, nameOrID)
	if err != nil {
		return c, nil, err
	}
	defer unlock()
	if c.State != StateRunning {
		return c, nil, fmt.Errorf("container %s is %s: only a running container's limits can change (start it, or give the limits to run)", c.Name, c.State)
	}
	g, err := cgroup.Open(e.inst, c.CgroupID)
	if err != nil {
		return c, nil, fmt.Errorf("update %s: %w", c.Name, err)
	}
	if err := g.Update(l); err != nil {
		return c, nil, fmt.Errorf("update %s: %w", c.Name, err)
	}
	if now, err := g.Limits(); err == nil {
		c.Limits = now
	}
	return c, g.Warnings(), e.save(c)
}
