package core

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"golang.org/x/sys/unix"

	"workbench/core/cgroup"
)

// Kill sends a signal to a running container's PID 1, which passes it on to the
// command (SIGKILL ends the init, and with it every process of the container).
func (e *Engine) Kill(ctx context.Context, c Container, sig unix.Signal) error {
	if c.State != StateRunning || !alive(c.Pid, c.PidStart) {
		return fmt.Errorf("container %s is not running: nothing to signal (see workbench ps -a)", c.Name)
	}
	e.log.Addf("kill -%s %d", SignalName(sig), c.Pid)
	if err := unix.Kill(c.Pid, sig); err != nil {
		return fmt.Errorf("send %s to container %s: %w", SignalName(sig), c.Name, err)
	}
	return nil
}

// Stop sends SIGTERM, waits up to timeout for the container to end, then SIGKILL, and
// returns once its end is recorded.
func (e *Engine) Stop(ctx context.Context, c Container, timeout time.Duration) (Container, error) {
	if c.State != StateRunning {
		return c, nil
	}
	if err := e.Kill(ctx, c, unix.SIGTERM); err == nil && !waitGone(c.Pid, c.PidStart, timeout) {
		_ = e.Kill(ctx, c, unix.SIGKILL)
	}
	return e.WaitExit(ctx, c)
}

// WaitExit waits until a container's end is recorded and returns its final state; a
// container removed meanwhile (--rm) is returned as last seen, marked exited.
func (e *Engine) WaitExit(ctx context.Context, c Container) (Container, error) {
	for {
		waitGone(c.Pid, c.PidStart, time.Second)
		cur, err := e.load(c.ID)
		if err != nil {
			c.State = StateExited
			return c, nil
		}
		if cur.State == StateExited {
			return cur, nil
		}
		if !alive(cur.SupervisorPid, cur.SupervisorStart) {
			// The supervisor died: reconcile records what can be known.
			if err := e.reconcileOne(ctx, cur.ID); err != nil {
				return cur, err
			}
			continue
		}
		select {
		case <-ctx.Done():
			return cur, ctx.Err()
		case <-time.After(5 * time.Millisecond):
		}
	}
}

// reconcileOne takes the lock and repairs one container.
func (e *Engine) reconcileOne(ctx context.Context, id string) error {
	unlock, err := e.inst.Lock()
	if err != nil {
		return err
	}
	defer unlock()
	c, err := e.load(id)
	if err != nil || c.State != StateRunning {
		return nil
	}
	return e.checkRunning(ctx, &c)
}

// Remove removes a container: its kernel objects, state, log and writable layer. A
// running one is refused unless force, which kills it first.
func (e *Engine) Remove(ctx context.Context, c Container, force bool) error {
	if c.State == StateRunning {
		if !force {
			return fmt.Errorf("container %s is running: stop it first (workbench stop %s) or use rm -f", c.Name, c.Name)
		}
		_ = e.Kill(ctx, c, unix.SIGKILL)
		if _, err := e.WaitExit(ctx, c); err != nil {
			return err
		}
	}
	unlock, err := e.inst.Lock()
	if err != nil {
		return err
	}
	defer unlock()
	cur, err := e.load(c.ID)
	if err != nil {
		return nil // removed meanwhile (--rm)
	}
	return e.destroy(ctx, &cur)
}

// Reset removes everything of the instance: every container and its processes,
// mounts, namespace files and cgroups, every network object, the state directory and
// the image store. Nothing outside the instance is touched.
func (e *Engine) Reset(ctx context.Context) error { return e.reset(ctx, false) }

// ResetKeepImages is Reset that keeps the image store.
func (e *Engine) ResetKeepImages(ctx context.Context) error { return e.reset(ctx, true) }

func (e *Engine) reset(ctx context.Context, keepImages bool) error {
	unlock, err := e.inst.Lock()
	if err != nil {
		return err
	}
	defer unlock()
	ids, err := e.ids()
	if err != nil {
		return err
	}
	var errs []error
	for _, id := range ids {
		c, err := e.load(id)
		if err != nil {
			errs = append(errs, e.removeRemains(id))
			continue
		}
		for _, p := range []struct {
			pid   int
			start uint64
		}{{c.SupervisorPid, c.SupervisorStart}, {c.Pid, c.PidStart}} {
			if p.pid != os.Getpid() && alive(p.pid, p.start) {
				e.log.Addf("kill -9 %d", p.pid)
				_ = unix.Kill(p.pid, unix.SIGKILL)
				waitGone(p.pid, p.start, 5*time.Second)
			}
		}
		errs = append(errs, e.destroy(ctx, &c))
	}
	errs = append(errs, e.removeStateFs(), cgroup.ResetAll(e.inst))
	errs = append(errs, e.net.Reset(ctx))
	dirs := []string{e.inst.RunDir}
	if !keepImages {
		dirs = append(dirs, e.inst.DataDir)
	}
	for _, d := range dirs {
		if err := os.RemoveAll(d); err != nil {
			errs = append(errs, fmt.Errorf("remove %s: %w", d, err))
		}
	}
	return errors.Join(errs...)
}
