package cli

import (
	"context"
	"fmt"
	"time"

	"workbench/core"
	"workbench/core/cgroup"
	"workbench/instance"
	"workbench/script"
)

// scriptLab finds the hosts and containers a script names, reading the engine's state
// and the kernel afresh for every check: the script's own commands change both.
type scriptLab struct {
	inst instance.Instance
}

func newScriptLab(inst instance.Instance) *scriptLab { return &scriptLab{inst: inst} }

func (l *scriptLab) container(ctx context.Context, name string) (core.Container, error) {
	e, err := core.Open(ctx, l.inst)
	if err != nil {
		return core.Container{}, err
	}
	return e.Lookup(ctx, name)
}

// NetnsPath is the namespace file of a lab host (@NAME) or of a running container. A
// probe of a host makes the lab first when it is missing, as `host exec` does.
func (l *scriptLab) NetnsPath(ctx context.Context, p script.Place) (string, error) {
	if p.Host {
		return hostPath(ctx, p.Name)
	}
	c, err := l.container(ctx, p.Name)
	if err != nil {
		return "", err
	}
	if c.State != core.StateRunning || c.NetnsPath == "" {
		return "", fmt.Errorf("container %s is %s: a probe needs it running", p.Name, c.State)
	}
	return c.NetnsPath, nil
}

// CPUClock reads the CPU time charged to a container's cgroup.
func (l *scriptLab) CPUClock(ctx context.Context, name string) (func() (time.Duration, error), error) {
	c, err := l.container(ctx, name)
	if err != nil {
		return nil, err
	}
	g, err := cgroup.Open(l.inst, c.CgroupID)
	if err != nil {
		return nil, err
	}
	return func() (time.Duration, error) {
		s, err := g.Stats()
		return time.Duration(s.CPUUsageNs), err
	}, nil
}
