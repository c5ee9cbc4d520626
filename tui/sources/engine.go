// Package sources feeds the app's panes from the engine and the kernel: the containers
// (state from the engine, processes, namespaces and cgroups from /proc and the cgroup
// files), one cgroup sampler shared by the panes that show CPU and memory, and the
// containers' network namespaces for the capture pane.
package sources

import (
	"context"
	"sync"
	"time"

	"workbench/cgview"
	"workbench/core"
	"workbench/instance"
	"workbench/tui/captureview"
)

// sampleEvery is the shortest time between two cgroup samples; panes asking sooner
// share the last one.
const sampleEvery = 800 * time.Millisecond

// Engine is the engine of an instance, opened on first use, and its cgroup sampler.
type Engine struct {
	inst instance.Instance

	mu      sync.Mutex
	eng     *core.Engine
	sampler *cgview.Sampler
	sampled time.Time
	listed  []core.Container
}

// New returns the sources of an instance; nothing is opened yet.
func New(inst instance.Instance) *Engine {
	e := &Engine{inst: inst}
	e.sampler = cgview.NewSampler(inst, e.targets, 0)
	return e
}

// open opens the engine once (it reconciles its state with the kernel).
func (e *Engine) open(ctx context.Context) (*core.Engine, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.eng != nil {
		return e.eng, nil
	}
	eng, err := core.Open(ctx, e.inst)
	if err != nil {
		return nil, err
	}
	e.eng = eng
	return eng, nil
}

// list reads every container's state.
func (e *Engine) list(ctx context.Context) ([]core.Container, error) {
	eng, err := e.open(ctx)
	if err != nil {
		return nil, err
	}
	cs, err := eng.List(ctx, true)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	e.listed = cs
	e.mu.Unlock()
	return cs, nil
}

// targets are the running containers' cgroups, for the sampler.
func (e *Engine) targets(ctx context.Context) ([]cgview.Target, error) {
	return running(ctx, e, func(c core.Container) (cgview.Target, bool) {
		return cgview.Target{ID: c.ID, Name: c.Name, CgroupID: c.CgroupID, Created: c.Created}, c.CgroupID != ""
	})
}

// running gives, in the engine's order, what as makes of each running container it
// keeps.
func running[T any](ctx context.Context, e *Engine, as func(core.Container) (T, bool)) ([]T, error) {
	cs, err := e.list(ctx)
	if err != nil {
		return nil, err
	}
	var out []T
	for _, c := range cs {
		if t, keep := as(c); keep && c.State == core.StateRunning {
			out = append(out, t)
		}
	}
	return out, nil
}

// sample reads every cgroup, unless the last sample is recent enough.
func (e *Engine) sample(ctx context.Context) (cgview.Snapshot, error) {
	e.mu.Lock()
	fresh := time.Since(e.sampled) < sampleEvery
	if !fresh {
		e.sampled = time.Now()
	}
	e.mu.Unlock()
	if fresh {
		return e.sampler.Snapshot(), nil
	}
	err := e.sampler.Sample(ctx)
	return e.sampler.Snapshot(), err
}

// Cgroups is the cgroups pane's source.
func (e *Engine) Cgroups() CgroupSource { return CgroupSource{e} }

// CgroupSource samples the containers' cgroups.
type CgroupSource struct{ e *Engine }

// Sample returns the latest sample of every running container.
func (s CgroupSource) Sample(ctx context.Context) (cgview.Snapshot, error) { return s.e.sample(ctx) }

// CaptureNetns lists the running containers' network namespaces for the capture pane.
func (e *Engine) CaptureNetns(ctx context.Context) ([]captureview.Netns, error) {
	return running(ctx, e, func(c core.Container) (captureview.Netns, bool) {
		return captureview.Netns{Where: c.Name, Path: c.NetnsPath}, c.NetnsPath != ""
	})
}
