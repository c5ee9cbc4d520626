package core

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"time"

	"golang.org/x/sys/unix"

	"workbench/core/cgroup"
)

// signalPid1 sends sig to a container's PID 1 through a pidfd, once it is checked to
// be the same process (not a reused PID).
func signalPid1(c Container, sig unix.Signal) error {
	fd, err := unix.PidfdOpen(c.Pid, 0)
	if err != nil {
		return errNotRunning
	}
	defer unix.Close(fd)
	if !alive(c.Pid, c.PidStart) {
		return errNotRunning
	}
	if err := unix.PidfdSendSignal(fd, sig, nil, 0); err != nil {
		if err == unix.ESRCH {
			return errNotRunning
		}
		return err
	}
	return nil
}

var errNotRunning = errors.New("not running")

// Kill sends a signal to a running container's PID 1, its command (the kernel gives a
// PID 1 only the signals it handles, SIGKILL aside). A SIGKILL or a TERM counts as a
// manual stop: the restart policy does not start it again.
func (e *Engine) Kill(ctx context.Context, c Container, sig unix.Signal) error {
	if c.State != StateRunning || !alive(c.Pid, c.PidStart) {
		return fmt.Errorf("container %s is not running: nothing to signal (see workbench ps -a)", c.Name)
	}
	if sig == unix.SIGKILL || sig == unix.SIGTERM || int(sig) == c.StopSignal {
		if err := e.markStopped(ctx, c.ID); err != nil {
			return err
		}
	}
	e.log.Addf("kill -%s %d", SignalName(sig), c.Pid)
	e.event("kill", c, "signal", strconv.Itoa(int(sig)))
	defer func() {
		if c.Paused && (sig == unix.SIGKILL || int(sig) == c.StopSignal || sig == unix.SIGTERM) {
			// A frozen process gets its signal once thawed.
			_ = e.thawPaused(ctx, c.ID)
		}
	}()
	if err := signalPid1(c, sig); err != nil {
		if err == errNotRunning {
			return fmt.Errorf("container %s is not running: nothing to signal (see workbench ps -a)", c.Name)
		}
		return fmt.Errorf("send %s to container %s: %w", SignalName(sig), c.Name, err)
	}
	return nil
}

// thawPaused takes the lock and thaws a paused container.
func (e *Engine) thawPaused(ctx context.Context, id string) error {
	return e.change(ctx, id, e.thawIfPaused)
}

// change takes the lock and applies fn to a container's current state; a container
// removed meanwhile is left alone.
func (e *Engine) change(ctx context.Context, id string, fn func(*Container) error) error {
	unlock, err := e.lock(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	c, err := e.load(id)
	if err != nil {
		return nil
	}
	return fn(&c)
}

// markStopped records that the user stopped a container, so that its restart policy
// leaves it stopped; a container waiting to be restarted is exited at once.
func (e *Engine) markStopped(ctx context.Context, id string) error {
	return e.change(ctx, id, func(c *Container) error {
		c.ManuallyStopped = true
		if c.State == StateRestarting {
			c.State = StateExited
		}
		return e.save(*c)
	})
}

// Stop sends the container's stop signal (SIGTERM unless --stop-signal said), waits up
// to timeout for the container to end (its --stop-timeout when timeout is negative),
// then SIGKILL, and returns once its end is recorded. A PID 1 that has no handler for
// TERM ignores it, as the kernel has it: it ends by the KILL, Exited (137).
func (e *Engine) Stop(ctx context.Context, c Container, timeout time.Duration) (Container, error) {
	if timeout < 0 {
		timeout = time.Duration(c.StopTimeout) * time.Second
	}
	sig := unix.Signal(c.StopSignal)
	if sig == 0 {
		sig = unix.SIGTERM
	}
	switch c.State {
	case StateRestarting:
		if err := e.markStopped(ctx, c.ID); err != nil {
			return c, err
		}
		return e.load(c.ID)
	case StateRunning:
	default:
		return c, nil
	}
	if err := e.Kill(ctx, c, sig); err == nil && !waitGone(c.Pid, c.PidStart, timeout) {
		_ = e.Kill(ctx, c, unix.SIGKILL)
	}
	final, err := e.WaitExit(ctx, c)
	e.event("stop", final)
	return final, err
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
		if cur.State != StateRunning {
			return cur, nil
		}
		if !alive(cur.Pid, cur.PidStart) && !alive(cur.MonitorPid, cur.MonitorStart) {
			// Nobody is left to record the end: reconcile records what can be known.
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
	return e.change(ctx, id, func(c *Container) error {
		if c.State != StateRunning {
			return nil
		}
		return e.checkRunning(ctx, c)
	})
}

// RemoveOptions are the flags of rm.
type RemoveOptions struct {
	// Force kills a running container first (rm -f).
	Force bool
	// Volumes removes its anonymous volumes too (rm -v); named ones stay.
	Volumes bool
}

// Remove removes a container: its kernel objects, state, log and writable layer. A
// running one is refused unless opts.Force, which kills it first.
func (e *Engine) Remove(ctx context.Context, c Container, opts RemoveOptions) error {
	if c.State == StateRunning || c.State == StateRestarting {
		if !opts.Force {
			return fmt.Errorf("container %s is %s: stop it first (workbench stop %s) or use rm -f", c.Name, c.State, c.Name)
		}
		if err := e.markStopped(ctx, c.ID); err != nil {
			return err
		}
		_ = signalPid1(c, unix.SIGKILL)
		_ = e.thawPaused(ctx, c.ID)
		if _, err := e.WaitExit(ctx, c); err != nil {
			return err
		}
	}
	// One removed meanwhile (--rm) is left alone.
	return e.change(ctx, c.ID, func(cur *Container) error {
		if cur.starting() {
			return fmt.Errorf("container %s is being started by another command (pid %d): try again when it is done", c.Name, cur.OwnerPid)
		}
		return e.destroy(ctx, cur, opts.Volumes)
	})
}

// finish records the end of a container's PID 1 pid (the monitor calls it): exited,
// or restarting when its policy says so; recorded is called once that is saved (an
// attached client may go: whatever it does next waits for the lock, held until the
// end); then the container's running parts are released, and it is removed with --rm.
// It returns the final state and whether to start it again.
func (e *Engine) finish(ctx context.Context, id string, pid, code int, why string, recorded func()) (Container, bool, error) {
	unlock, err := e.inst.LockContext(ctx)
	if err != nil {
		return Container{}, false, err
	}
	defer unlock()
	c, err := e.load(id)
	if err != nil || (c.Pid != pid && c.State == StateRunning) {
		// Removed meanwhile (rm -f, reset), or already running again.
		recorded()
		return Container{ID: id, State: StateExited, ExitCode: code}, false, nil
	}
	c.ExitCode, c.Finished, c.Error = code, time.Now(), why
	restart := c.restarts(code)
	c.State = StateExited
	if restart {
		c.State = StateRestarting
	}
	if err := e.save(c); err != nil {
		return c, false, err
	}
	e.event("die", c, "exitCode", strconv.Itoa(code))
	recorded()
	if c.AutoRemove && !restart {
		return c, false, e.destroy(ctx, &c, false)
	}
	err = e.release(ctx, &c)
	return c, restart, errors.Join(err, e.save(c))
}

// restartNow starts a container that is waiting to be restarted, unless it was stopped
// or removed meanwhile.
func (e *Engine) restartNow(ctx context.Context, id string) error {
	unlock, err := e.inst.LockContext(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	c, err := e.load(id)
	if err != nil || c.State != StateRestarting || c.ManuallyStopped {
		return nil
	}
	c.RestartCount++
	e.event("restart", c)
	if _, err := e.start(ctx, &c, nil); err != nil {
		c.State = StateExited
		return errors.Join(err, e.save(c))
	}
	return nil
}

// Reset removes everything of the instance: its monitor, every container and its
// processes, mounts, namespace files and cgroups, every network object, the state
// directory and the image store. Nothing outside the instance is touched.
func (e *Engine) Reset(ctx context.Context) error { return e.reset(ctx, false) }

// ResetKeepImages is Reset that keeps the image store.
func (e *Engine) ResetKeepImages(ctx context.Context) error { return e.reset(ctx, true) }

func (e *Engine) reset(ctx context.Context, keepImages bool) error {
	unlock, err := e.lock(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	if m, ok := e.currentMonitor(); ok {
		e.log.Addf("kill -9 %d", m.Pid)
		_ = unix.Kill(m.Pid, unix.SIGKILL)
		waitGone(m.Pid, m.Start, 5*time.Second)
	}
	ids, err := e.ids()
	if err != nil {
		return err
	}
	var errs []error
	for _, id := range ids {
		c, err := e.load(id)
		if err != nil {
			errs = append(errs, e.removeRemains(ctx, id))
			continue
		}
		errs = append(errs, e.destroy(ctx, &c, true))
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
	e.log.Close()
	return errors.Join(errs...)
}
