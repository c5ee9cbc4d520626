package core

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"workbench/core/cgroup"
	"workbench/core/launch"
)

// started is a container's PID 1 as its monitor reports it.
type started struct {
	pid, monitor           int
	pidStart, monitorStart uint64
	// attached is set when the start was asked with streams.
	attached *Attached
	// commands are what the PID 1's set-up did, as shell commands.
	commands []string
}

// spawner starts the PID 1 of a container whose parts are made: the instance's
// monitor, asked over its socket, or (in the monitor) the monitor itself.
type spawner interface {
	spawn(ctx context.Context, c *Container, stdio *Stdio) (started, error)
}

// start makes the running parts of a created or exited container and starts its PID 1
// with the monitor: the overlay rootfs, the network namespace with its endpoints and
// published ports, the cgroup with its limits and device rules. With stdio the
// container is attached to those streams (see Attached). The caller holds the lock.
// Intent comes first: the state names this process as the one starting it, so that a
// command killed half-way is reconciled. On failure everything start made is released
// and the container keeps its state with the reason in Error.
func (e *Engine) start(ctx context.Context, c *Container, stdio *Stdio) (*Attached, error) {
	c.OwnerPid, c.OwnerStart, c.Error = os.Getpid(), procStart(os.Getpid()), ""
	c.ManuallyStopped = false
	if err := e.save(*c); err != nil {
		return nil, err
	}
	err := e.provision(ctx, c)
	var s started
	if err == nil {
		s, err = e.spawner.spawn(ctx, c, stdio)
	}
	if err != nil {
		err = errors.Join(err, e.release(ctx, c))
		c.OwnerPid, c.OwnerStart, c.Error = 0, 0, firstLine(err)
		return nil, errors.Join(err, e.save(*c))
	}
	e.log.AddLines(s.commands...)
	c.Pid, c.PidStart, c.MonitorPid, c.MonitorStart = s.pid, s.pidStart, s.monitor, s.monitorStart
	c.State, c.Started, c.OwnerPid, c.OwnerStart = StateRunning, time.Now(), 0, 0
	if err := e.save(*c); err != nil {
		return nil, err
	}
	e.event("start", *c)
	if s.attached != nil {
		s.attached.c = *c
	}
	return s.attached, nil
}

// provision makes the rootfs, the network and the cgroup of a container, the network
// beside the other two.
func (e *Engine) provision(ctx context.Context, c *Container) error {
	netErr := make(chan error, 1)
	go func() { netErr <- e.makeNetwork(ctx, c) }()
	err := e.mountRootfs(c)
	if err == nil {
		err = e.prepareVolumes(c)
	}
	if err == nil {
		_, err = cgroup.Create(e.inst, c.CgroupID, c.Limits, e.log)
	}
	return errors.Join(<-netErr, err)
}

// Start starts a created or exited container again with its spec, its writable layer
// as it was left, as `docker start` does; with stdio it is attached to those streams.
func (e *Engine) Start(ctx context.Context, nameOrID string, stdio *Stdio) (Container, *Attached, error) {
	c, unlock, err := e.locked(ctx, nameOrID)
	if err != nil {
		return c, nil, err
	}
	defer unlock()
	switch {
	case c.State == StateRunning:
		return c, nil, nil
	case c.starting():
		return c, nil, fmt.Errorf("container %s is being started by another command (pid %d): wait for it", c.Name, c.OwnerPid)
	}
	a, err := e.start(ctx, &c, stdio)
	if err != nil {
		return c, nil, startError(&c, err)
	}
	return c, a, nil
}

// Restart stops a running container (TERM, then KILL after timeout) and starts it
// again.
func (e *Engine) Restart(ctx context.Context, c Container, timeout time.Duration) (Container, error) {
	if c.State == StateRunning || c.State == StateRestarting {
		var err error
		if c, err = e.Stop(ctx, c, timeout); err != nil {
			return c, err
		}
	}
	c, _, err := e.Start(ctx, c.ID, nil)
	return c, err
}

// StartError says why a container's command could not start, with the status Docker
// exits with in that case: 127 for a command that is not there, 126 for one that
// cannot be run, 125 otherwise.
type StartError struct {
	// Msg is the one-line reason.
	Msg string
	// Code is the exit status.
	Code int
}

// Error is the one-line reason.
func (e *StartError) Error() string { return e.Msg }

// startError words a failed start for the user, with Docker's exit status.
func startError(c *Container, err error) error {
	code := 125
	var le *launch.Error
	var se *StartError
	switch {
	case errors.As(err, &le):
		code = le.Code()
	case errors.As(err, &se):
		code = se.Code
	}
	return &StartError{Msg: fmt.Sprintf("container %s cannot start: %s", c.Name, firstLine(err)), Code: code}
}

// firstLine is an error's text up to its first newline (errors.Join puts each on a
// line of its own).
func firstLine(err error) string {
	s := err.Error()
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			return s[:i]
		}
	}
	return s
}
