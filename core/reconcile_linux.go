package core

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"workbench/core/cgroup"
)

// reconcile brings the state in line with the kernel; the caller holds the lock, so no
// other command is half-way through a change:
//   - a directory without a valid state is the remains of a crashed command: whatever
//     it holds (namespace mount, cgroup) is removed with it;
//   - a container still "created" was being made by a command that died: removed;
//   - a running container whose PID 1 died with its supervisor is marked exited (and
//     removed with --rm); one whose supervisor died alone loses its PID 1 too;
//   - a container a commit froze and did not thaw (the command died) is thawed.
func (e *Engine) reconcile(ctx context.Context) error {
	ids, err := e.ids()
	if err != nil {
		return err
	}
	var errs []error
	for _, id := range ids {
		c, err := e.load(id)
		if errors.Is(err, errNoState) {
			errs = append(errs, e.removeRemains(id))
			continue
		}
		if _, err := os.Stat(filepath.Join(e.Dir(id), pausedFile)); err == nil {
			errs = append(errs, e.resume(c))
		}
		switch c.State {
		case StateCreated:
			errs = append(errs, e.destroy(ctx, &c))
		case StateRunning:
			errs = append(errs, e.checkRunning(ctx, &c))
		}
	}
	return errors.Join(errs...)
}

// checkRunning repairs a running container whose supervisor is gone.
func (e *Engine) checkRunning(ctx context.Context, c *Container) error {
	if alive(c.SupervisorPid, c.SupervisorStart) {
		return nil // it records the end itself
	}
	if alive(c.Pid, c.PidStart) {
		_ = syscall.Kill(c.Pid, syscall.SIGKILL)
		e.log.Addf("kill -9 %d", c.Pid)
		waitGone(c.Pid, c.PidStart, 5*time.Second)
	}
	c.State, c.Finished = StateExited, time.Now()
	c.ExitCode, c.Error = 137, "its supervisor ended before it did; the exit status is unknown"
	if c.AutoRemove {
		return e.destroy(ctx, c)
	}
	return errors.Join(e.release(ctx, c), e.save(*c))
}

// removeRemains removes a container directory that has no valid state, with its
// namespace mount and its cgroup.
func (e *Engine) removeRemains(id string) error {
	var errs []error
	errs = append(errs, e.removeNetns(filepath.Join(e.Dir(id), netnsFile)))
	if g, err := cgroup.Open(e.inst, id); err == nil {
		errs = append(errs, g.Delete())
	}
	e.log.AddArgs("rm", "-rf", e.Dir(id))
	errs = append(errs, os.RemoveAll(e.Dir(id)))
	return errors.Join(errs...)
}
