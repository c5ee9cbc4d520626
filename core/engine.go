package core

import (
	"context"
	"fmt"
	"strings"

	"workbench/cmdlog"
	"workbench/core/network"
	"workbench/errkind"
	"workbench/instance"
)

// Engine makes, runs and removes the containers of one instance.
type Engine struct {
	inst instance.Instance
	log  *cmdlog.Log
	net  *network.Manager
	// spawner starts containers' PID 1: the instance's monitor.
	spawner spawner
	// warnings are what Open could not repair.
	warnings []string
}

// lock takes the instance's state lock (see instance.Lock).
func (e *Engine) lock(ctx context.Context) (func(), error) { return e.inst.Lock(ctx) }

// Open returns the engine of an instance after reconciling its state with the kernel:
// containers whose processes died are marked exited and anything half-made by a
// crashed command is finished or removed. Only a lock that cannot be taken fails it;
// what reconciling could not repair is in Warnings.
func Open(ctx context.Context, inst instance.Instance) (*Engine, error) {
	e := newEngine(inst)
	unlock, err := e.lock(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	e.warnings = e.reconcile(ctx)
	return e, nil
}

// Warnings are what Open could not repair, one line each, for the caller to show.
func (e *Engine) Warnings() []string { return e.warnings }

// newEngine returns an engine without touching the kernel or the state.
func newEngine(inst instance.Instance) *Engine {
	log := cmdlog.Open(inst.CommandLogPath())
	e := &Engine{inst: inst, log: log, net: network.New(inst, log)}
	e.spawner = monitorClient{e: e}
	return e
}

// locked takes the lock and finds a container; the caller releases the lock.
func (e *Engine) locked(ctx context.Context, nameOrID string) (Container, func(), error) {
	unlock, err := e.lock(ctx)
	if err != nil {
		return Container{}, nil, err
	}
	c, err := e.Lookup(ctx, nameOrID)
	if err != nil {
		unlock()
		return c, nil, err
	}
	return c, unlock, nil
}

// Log is the command log every kernel operation of the engine is recorded in.
func (e *Engine) Log() *cmdlog.Log { return e.log }

// Instance is the instance the engine works on.
func (e *Engine) Instance() instance.Instance { return e.inst }

// List returns the running containers, or every container with all, newest first.
func (e *Engine) List(ctx context.Context, all bool) ([]Container, error) {
	cs, err := e.loadAll()
	if err != nil {
		return nil, err
	}
	if all {
		return cs, nil
	}
	var out []Container
	for _, c := range cs {
		if c.State == StateRunning {
			out = append(out, c)
		}
	}
	return out, nil
}

// Lookup finds a container by name, full ID or unique ID prefix.
func (e *Engine) Lookup(ctx context.Context, nameOrID string) (Container, error) {
	cs, err := e.loadAll()
	if err != nil {
		return Container{}, err
	}
	return lookupIn(cs, nameOrID)
}

func lookupIn(cs []Container, nameOrID string) (Container, error) {
	if nameOrID == "" {
		return Container{}, fmt.Errorf("no container named: give a container name or ID (see workbench ps -a)")
	}
	for _, c := range cs {
		if c.Name == nameOrID || c.ID == nameOrID {
			return c, nil
		}
	}
	var found []Container
	for _, c := range cs {
		if strings.HasPrefix(c.ID, nameOrID) {
			found = append(found, c)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return Container{}, errkind.New(errkind.NotFound, "container", nameOrID, "no such container: %s", nameOrID)
	}
	return Container{}, fmt.Errorf("%q matches %d container IDs: give more of the ID or the name", nameOrID, len(found))
}
