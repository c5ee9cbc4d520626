package cgroup

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"workbench/cmdlog"
	"workbench/instance"
)

// ResetAll kills every process in the instance's cgroups and removes them all, parent
// included, from every hierarchy (each v1 mount and the cgroup2 tree). Cgroups of
// other instances are not touched.
func ResetAll(inst instance.Instance) error {
	lo, err := machineLayout()
	if err != nil {
		return err
	}
	log := cmdlog.Open(inst.CommandLogPath())
	var errs []error
	for _, top := range lo.hierarchies(inst.CgroupParent()) {
		if err := resetTree(top, log); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// resetTree empties and removes one directory tree of cgroups, deepest first.
func resetTree(top string, log *cmdlog.Log) error {
	var dirs []string
	err := filepath.WalkDir(top, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.IsDir() {
			dirs = append(dirs, p)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("list cgroups under %s: %w", top, err)
	}
	sort.Slice(dirs, func(i, j int) bool { return len(dirs[i]) > len(dirs[j]) })
	var errs []error
	for _, dir := range dirs {
		if err := killDir(dir, log); err != nil {
			errs = append(errs, err)
			continue
		}
		if err := removeDir(dir, log); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// killDir kills the processes listed in one cgroup directory until it is empty.
func killDir(dir string, log *cmdlog.Log) error {
	deadline := time.Now().Add(5 * time.Second)
	for {
		b, err := os.ReadFile(filepath.Join(dir, "cgroup.procs"))
		if err != nil || len(strings.TrimSpace(string(b))) == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("cgroup %s still holds processes after SIGKILL: %s", dir, strings.Join(strings.Fields(string(b)), " "))
		}
		for _, f := range strings.Fields(string(b)) {
			if pid, err := strconv.Atoi(f); err == nil && pid > 0 {
				log.Addf("kill -9 %d", pid)
				_ = syscall.Kill(pid, syscall.SIGKILL)
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
}
