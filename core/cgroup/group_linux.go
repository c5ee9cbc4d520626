package cgroup

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"

	"github.com/docker/go-units"

	"workbench/cmdlog"
	"workbench/instance"
)

// Group is the cgroup of one container: the same path in every controller's hierarchy
// (v1) or one directory of the unified tree (v2).
type Group struct {
	lo       layout
	path     string
	log      *cmdlog.Log
	files    statFiles
	warnings []string
}

// groupPath is the cgroup path of a container of the instance.
func groupPath(inst instance.Instance, id string) (string, error) {
	if id == "" || strings.ContainsAny(id, "/\x00") || id == "." || id == ".." {
		return "", fmt.Errorf("cgroup id %q is invalid: use the container's id", id)
	}
	return inst.CgroupParent() + "/" + id, nil
}

// Create makes the container's cgroup under the instance's parent in every controller,
// applies the limits and records each step. The limits are checked first; on a failure
// nothing is left behind. A controller the machine lacks is skipped and named in
// Warnings.
func Create(inst instance.Instance, id string, l Limits, log *cmdlog.Log) (*Group, error) {
	if err := l.Validate(); err != nil {
		return nil, err
	}
	lo, err := machineLayout()
	if err != nil {
		return nil, err
	}
	return createIn(lo, inst, id, l, log)
}

// createIn is Create on a given layout.
func createIn(lo layout, inst instance.Instance, id string, l Limits, log *cmdlog.Log) (*Group, error) {
	p, err := groupPath(inst, id)
	if err != nil {
		return nil, err
	}
	g := &Group{lo: lo, path: p, log: log, files: newStatFiles(lo, p), warnings: missingWarnings(lo.present)}
	for _, dir := range lo.hierarchies(p) {
		if _, err := os.Stat(dir); err == nil {
			return nil, fmt.Errorf("cgroup %s already exists: remove the container that owns it, or run reset", dir)
		}
	}
	if err := g.make(); err != nil {
		g.removeDirs()
		return nil, err
	}
	if err := g.allowDevices(l.AllDevices); err != nil {
		g.removeDirs()
		return nil, err
	}
	if err := g.apply(l, Limits{}); err != nil {
		g.removeDirs()
		return nil, err
	}
	return g, nil
}

// Open finds the existing cgroup of a container.
func Open(inst instance.Instance, id string) (*Group, error) {
	lo, err := machineLayout()
	if err != nil {
		return nil, err
	}
	return openIn(lo, inst, id)
}

// openIn is Open on a given layout.
func openIn(lo layout, inst instance.Instance, id string) (*Group, error) {
	p, err := groupPath(inst, id)
	if err != nil {
		return nil, err
	}
	g := &Group{lo: lo, path: p, files: newStatFiles(lo, p), warnings: missingWarnings(lo.present), log: cmdlog.Open(inst.CommandLogPath())}
	if !g.exists() {
		return nil, fmt.Errorf("cgroup %s does not exist: the container was removed or never started", p)
	}
	return g, nil
}

// exists reports whether the group has a directory in any hierarchy.
func (g *Group) exists() bool {
	for _, dir := range g.Dirs() {
		if _, err := os.Stat(dir); err == nil {
			return true
		}
	}
	return false
}

// Path is the cgroup path relative to each hierarchy's root, e.g. /workbench/<id>.
func (g *Group) Path() string { return g.path }

// Mode is the cgroup layout the group lives in.
func (g *Group) Mode() Mode { return g.lo.mode }

// Dirs lists the group's directories on the machine, one per hierarchy.
func (g *Group) Dirs() []string { return g.lo.hierarchies(g.path) }

// Warnings names each controller the machine lacks and what does not work without it.
func (g *Group) Warnings() []string { return append([]string(nil), g.warnings...) }

// AddProcess moves a process (all its threads) into the group in every hierarchy. Call
// it before the process runs user code, so nothing escapes the limits.
func (g *Group) AddProcess(pid int) error {
	if pid <= 0 {
		return fmt.Errorf("add process %d to cgroup %s: not a process id", pid, g.path)
	}
	for _, dir := range g.Dirs() {
		if err := g.writeFile(filepath.Join(dir, "cgroup.procs"), strconv.Itoa(pid)); err != nil {
			return fmt.Errorf("add process %d to cgroup %s: %w", pid, g.path, err)
		}
	}
	return nil
}

// Update changes the limits that are set in l while the group runs; the others stay.
func (g *Group) Update(l Limits) error {
	if err := l.Validate(); err != nil {
		return err
	}
	cur, err := g.Limits()
	if err != nil {
		return err
	}
	if l.MemorySwap == 0 && l.Memory > 0 && cur.Memory > 0 && cur.MemorySwap == -1 {
		// memory+swap was left unlimited on purpose: keep it so.
		l.MemorySwap = -1
	}
	if l.MemorySwap > 0 && l.Memory == 0 && cur.Memory > 0 && l.MemorySwap < cur.Memory {
		return fmt.Errorf("--memory-swap %s is below the memory limit in force (%s): raise --memory too", units.BytesSize(float64(l.MemorySwap)), units.BytesSize(float64(cur.Memory)))
	}
	if err := g.apply(l, cur); err != nil {
		// Put back what was already written, so a failed update changes nothing.
		_ = g.apply(restoring(cur, l), l)
		return err
	}
	return nil
}

// restoring is the part of the limits in force cur that an update l touches, in a form
// apply writes back (-1 where cur had no limit).
func restoring(cur, l Limits) Limits {
	var r Limits
	if l.CPUs > 0 || l.CPUQuota != 0 || l.CPUPeriod != 0 {
		r.CPUQuota, r.CPUPeriod = cur.CPUQuota, cur.CPUPeriod
	}
	if l.CPUShares != 0 {
		r.CPUShares = cur.CPUShares
	}
	if l.CpusetCpus != "" {
		r.CpusetCpus = cur.CpusetCpus
	}
	if l.Memory != 0 || l.MemorySwap != 0 {
		r.Memory, r.MemorySwap = cur.Memory, cur.MemorySwap
		if r.Memory == 0 {
			r.Memory = -1
		}
	}
	if l.PidsLimit != 0 {
		r.PidsLimit = cur.PidsLimit
	}
	return r
}

// Pids lists the processes in the group.
func (g *Group) Pids() ([]int, error) {
	seen := map[int]bool{}
	found := false
	for _, dir := range g.Dirs() {
		b, err := os.ReadFile(filepath.Join(dir, "cgroup.procs"))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("list the processes of cgroup %s: %w", g.path, err)
		}
		found = true
		for _, f := range strings.Fields(string(b)) {
			if pid, err := strconv.Atoi(f); err == nil {
				seen[pid] = true
			}
		}
	}
	if !found {
		return nil, fmt.Errorf("cgroup %s does not exist: the container was removed", g.path)
	}
	out := make([]int, 0, len(seen))
	for pid := range seen {
		out = append(out, pid)
	}
	sort.Ints(out)
	return out, nil
}

// Stats reads the group's figures straight from the kernel.
func (g *Group) Stats() (Stats, error) {
	s, err := g.files.read(&oneShot{buf: make([]byte, 4096)})
	if err != nil {
		return s, fmt.Errorf("read the statistics of cgroup %s: %w", g.path, err)
	}
	return s, nil
}

// OOMKilled reports whether the kernel's OOM killer ended a task of the group.
func (g *Group) OOMKilled() (bool, error) {
	if !g.lo.present["memory"] {
		return false, nil
	}
	s, err := g.Stats()
	if err != nil {
		return false, err
	}
	return s.OOMKills > 0, nil
}

// writeFile writes one cgroup file and records the write.
func (g *Group) writeFile(path, value string) error {
	g.log.Add("echo " + cmdlog.Quote(value) + " > " + cmdlog.Quote(path))
	if err := os.WriteFile(path, []byte(value), 0o644); err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		hint := ""
		if errors.Is(err, syscall.EBUSY) && strings.Contains(path, "memory") {
			hint = " (the group uses more memory than that now: pick a larger limit)"
		}
		return fmt.Errorf("write %q to %s: %w%s", value, path, err, hint)
	}
	return nil
}
