package cgroup

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// ExemptThreads takes every thread of process pid but its main one out of the group's
// pids limit, into the parent's pids cgroup, on cgroup v1 (where membership is per
// thread). The container's init is a Go program: its runtime threads would count
// against --pids-limit, and a process that fills the limit would leave the runtime
// unable to make a thread, which ends the init. The main thread forks the command and
// every exec'd process, so they still land in the limited group, and threads the
// runtime makes later come from the exempt ones. On cgroup v2, or without the pids
// controller, it does nothing.
func (g *Group) ExemptThreads(pid int) error {
	if g.lo.mode == V2 || !g.lo.present["pids"] {
		return nil
	}
	tasks, err := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
	if err != nil {
		return fmt.Errorf("list the threads of process %d: %w", pid, err)
	}
	parent := filepath.Join(filepath.Dir(g.lo.dir("pids", g.path)), "tasks")
	for _, t := range tasks {
		if t.Name() == strconv.Itoa(pid) {
			continue
		}
		if err := g.writeFile(parent, t.Name()); err != nil {
			if _, gone := os.Stat(filepath.Join("/proc", strconv.Itoa(pid), "task", t.Name())); gone != nil {
				continue // the thread ended meanwhile
			}
			return fmt.Errorf("take thread %s of process %d out of the pids limit: %w", t.Name(), pid, err)
		}
	}
	return nil
}
