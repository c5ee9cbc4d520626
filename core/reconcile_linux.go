package core

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"workbench/core/cgroup"
)

// reconcile brings the state in line with the kernel; the caller holds the lock, so no
// other command is half-way through a change, except one that died:
//   - a directory without a valid state is the remains of a crashed command: whatever
//     it holds (processes, mounts, namespace, endpoints, cgroup) is removed with it;
//   - a container whose maker or starter died is finished when the monitor holds its
//     PID 1 (the start got that far), else undone;
//   - a running container whose PID 1 and monitor are both gone is marked exited
//     (removed with --rm); one whose monitor died alone runs on, and is reported;
//   - a container waiting to be restarted with no monitor left is marked exited;
//   - a container a commit froze and did not thaw (the command died) is thawed.
//
// What it could not repair is returned as warnings: a command never fails because a
// cleanup did.
func (e *Engine) reconcile(ctx context.Context) []string {
	ids, err := e.ids()
	if err != nil {
		return []string{err.Error()}
	}
	var warnings []string
	var held map[string]int
	asked := false
	heldNow := func() map[string]int {
		if !asked {
			held, asked = e.heldByMonitor(), true
		}
		return held
	}
	var unwatched []string
	for _, id := range ids {
		c, err := e.load(id)
		if errors.Is(err, errNoState) {
			err = e.removeRemains(ctx, id)
		} else {
			switch {
			case c.starting():
			case c.OwnerPid != 0:
				err = e.finishStart(ctx, &c, heldNow())
			case c.State == StateRunning:
				if err = e.checkRunning(ctx, &c); err == nil && !alive(c.MonitorPid, c.MonitorStart) && c.State == StateRunning {
					unwatched = append(unwatched, c.Name)
				}
			case c.State == StateRestarting && !alive(c.MonitorPid, c.MonitorStart):
				c.State, c.Error = StateExited, "its monitor ended before restarting it"
				err = e.save(c)
			}
		}
		if err == nil {
			if _, serr := os.Stat(filepath.Join(e.Dir(id), pausedFile)); serr == nil {
				err = e.resume(c)
			}
		}
		if err != nil {
			warnings = append(warnings, firstLine(err))
		}
	}
	if len(unwatched) > 0 {
		sort.Strings(unwatched)
		warnings = append(warnings, fmt.Sprintf("the lab's monitor ended (killed?): %s run on without it: their output is no longer logged and their exit status will not be known", strings.Join(unwatched, ", ")))
	}
	return warnings
}

// finishStart repairs a container whose maker or starter died: the monitor holds its
// PID 1, so the start is recorded; or it does not, and what was made is undone (a
// container that never ran is removed).
func (e *Engine) finishStart(ctx context.Context, c *Container, held map[string]int) error {
	c.OwnerPid, c.OwnerStart = 0, 0
	if pid, ok := held[c.ID]; ok {
		m, _ := e.currentMonitor()
		c.Pid, c.PidStart, c.MonitorPid, c.MonitorStart = pid, procStart(pid), m.Pid, m.Start
		c.State, c.Started = StateRunning, time.Now()
		return e.save(*c)
	}
	if c.State == StateCreated {
		return e.destroy(ctx, c, true)
	}
	c.Error = "the command starting it ended before it ran"
	return errors.Join(e.release(ctx, c), e.save(*c))
}

// checkRunning repairs a running container whose PID 1 and monitor are both gone.
func (e *Engine) checkRunning(ctx context.Context, c *Container) error {
	if alive(c.Pid, c.PidStart) || alive(c.MonitorPid, c.MonitorStart) {
		return nil // it runs, or its monitor records its end
	}
	c.State, c.Finished = StateExited, time.Now()
	c.ExitCode, c.Error = -1, "its monitor ended before it did: the exit status is unknown"
	if c.AutoRemove {
		return e.destroy(ctx, c, false)
	}
	return errors.Join(e.release(ctx, c), e.save(*c))
}

// removeRemains removes a container directory that has no valid state, with what a
// dead command may have made for it: processes, endpoints, mounts, namespace, cgroup.
func (e *Engine) removeRemains(ctx context.Context, id string) error {
	var errs []error
	if g, err := cgroup.Open(e.inst, id); err == nil {
		errs = append(errs, g.Delete())
	}
	errs = append(errs, e.net.ReleaseContainer(ctx, id))
	errs = append(errs, e.removeNetns(filepath.Join(e.Dir(id), netnsFile)))
	errs = append(errs, e.unmount(filepath.Join(e.Dir(id), mergedDir)), e.unmount(e.layerDir(id)))
	e.log.AddArgs("rm", "-rf", e.Dir(id))
	errs = append(errs, os.RemoveAll(e.Dir(id)))
	return errors.Join(errs...)
}
