package cgroup

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// make creates the group's directories, each parent that is missing first, and
// records every directory it makes and every file it writes as it does it: on v1 one
// directory per controller (a new cpuset taking its parent's CPUs and memory nodes,
// which it lacks), on v2 one directory, each controller enabled down the tree where it
// is not yet.
func (g *Group) make() error {
	if g.lo.mode == V2 {
		return g.makeV2()
	}
	for _, c := range controllers {
		if !g.lo.present[c] {
			continue
		}
		if err := g.makeDirs(g.lo.dir(c, g.path)); err != nil {
			return err
		}
	}
	return nil
}

// makeV2 enables the controllers in each parent's cgroup.subtree_control, from the
// root down, where they are not enabled yet, then makes the group's directory.
func (g *Group) makeV2() error {
	var want []string
	for _, c := range []string{"cpu", "cpuset", "memory", "pids"} {
		if g.lo.present[c] {
			want = append(want, c)
		}
	}
	dir := g.lo.dir("", g.path)
	rel, err := filepath.Rel(g.lo.root, filepath.Dir(dir))
	if err != nil {
		return fmt.Errorf("cgroup %s is outside %s", dir, g.lo.root)
	}
	parent := g.lo.root
	for _, part := range append([]string{"."}, strings.Split(rel, "/")...) {
		parent = filepath.Join(parent, part)
		if err := g.makeDirs(parent); err != nil {
			return err
		}
		control := filepath.Join(parent, "cgroup.subtree_control")
		on, _ := os.ReadFile(control)
		var enable []string
		for _, c := range want {
			if !slices.Contains(strings.Fields(string(on)), c) {
				enable = append(enable, "+"+c)
			}
		}
		if len(enable) > 0 {
			if err := g.writeFile(control, strings.Join(enable, " ")); err != nil {
				return fmt.Errorf("enable the controllers of cgroup %s: %w", dir, err)
			}
		}
	}
	return g.makeDirs(dir)
}

// makeDirs makes dir and each parent it lacks, one mkdir recorded for each; a new
// cpuset directory gets its parent's CPUs and memory nodes.
func (g *Group) makeDirs(dir string) error {
	if _, err := os.Stat(dir); err == nil {
		return nil
	}
	if parent := filepath.Dir(dir); parent != dir {
		if err := g.makeDirs(parent); err != nil {
			return err
		}
	}
	if err := os.Mkdir(dir, 0o755); err != nil {
		if errors.Is(err, os.ErrExist) {
			return nil
		}
		return fmt.Errorf("make cgroup %s: %w", dir, err)
	}
	g.log.AddArgs("mkdir", dir)
	if g.lo.mode == V1 && strings.HasPrefix(dir, g.lo.dir("cpuset", "")+"/") {
		for _, f := range []string{"cpuset.cpus", "cpuset.mems"} {
			if err := g.inheritCpuset(dir, f); err != nil {
				return err
			}
		}
	}
	return nil
}

// inheritCpuset writes the parent's value of file (cpuset.cpus or cpuset.mems) into
// dir, where a new cpuset starts empty and could run nothing.
func (g *Group) inheritCpuset(dir, file string) error {
	cur, err := os.ReadFile(filepath.Join(dir, file))
	if err != nil || strings.TrimSpace(string(cur)) != "" {
		return nil // not a cpuset directory, or set already
	}
	parent, err := os.ReadFile(filepath.Join(filepath.Dir(dir), file))
	if err != nil {
		return fmt.Errorf("read the %s of the parent of cgroup %s: %w", file, dir, err)
	}
	return g.writeFile(filepath.Join(dir, file), strings.TrimSpace(string(parent)))
}

// apply writes the limits set in l, each write recorded; cur are the limits in force.
// A limit whose controller or file is missing is skipped and named in Warnings.
func (g *Group) apply(l, cur Limits) error {
	for _, w := range writes(g.lo.mode, l, cur) {
		if !g.lo.present[w.Controller] {
			continue
		}
		path := filepath.Join(g.lo.dir(w.Controller, g.path), w.File)
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			g.warnings = append(g.warnings, fmt.Sprintf("%s is missing on this machine (swap accounting off?): that limit is not applied", path))
			continue
		}
		if err := g.writeFile(path, w.Value); err != nil {
			return fmt.Errorf("set the limits of cgroup %s: %w", g.path, err)
		}
	}
	return nil
}
