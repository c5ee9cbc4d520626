package cgroup

import (
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"

	"workbench/cmdlog"
)

// Delete kills every process left in the group, then removes it from every hierarchy.
func (g *Group) Delete() error {
	if err := g.killAll(); err != nil {
		return err
	}
	return g.removeDirs()
}

// killAll sends SIGKILL to every process of the group until none is left. With a
// freezer the group is frozen first, so that no process forks between the read and
// the kill, then thawed (a frozen process does not die; this also thaws a group a
// dead command left frozen); without one, the loop catches what forked.
func (g *Group) killAll() error {
	if pids, err := g.Pids(); err != nil || len(pids) == 0 {
		return nil
	}
	if _, _, err := g.freezer(true); err == nil {
		if g.Freeze() == nil {
			g.signalAll()
		}
		_ = g.Thaw()
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		pids, err := g.Pids()
		if err != nil || len(pids) == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("cgroup %s still holds processes %v after SIGKILL: look for a process stuck in the kernel (ps -o pid,stat,wchan -p %d)", g.path, pids, pids[0])
		}
		g.signalAll()
		time.Sleep(10 * time.Millisecond)
	}
}

// signalAll sends SIGKILL to every process the group holds now.
func (g *Group) signalAll() {
	pids, _ := g.Pids()
	for _, pid := range pids {
		g.log.Addf("kill -9 %d", pid)
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
}

// removeDirs removes the group's directory in every hierarchy, retrying while the
// kernel still counts exiting tasks.
func (g *Group) removeDirs() error {
	var errs []error
	for _, dir := range g.Dirs() {
		if err := removeDir(dir, g.log); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// removeDir removes one cgroup directory (rmdir, the only way a cgroup goes).
func removeDir(dir string, log *cmdlog.Log) error {
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	log.AddArgs("rmdir", dir)
	var err error
	for i := 0; i < 100; i++ {
		err = syscall.Rmdir(dir)
		if err == nil || errors.Is(err, syscall.ENOENT) {
			return nil
		}
		if !errors.Is(err, syscall.EBUSY) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("remove cgroup %s: %w", dir, err)
}
