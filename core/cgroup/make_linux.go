package cgroup

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/containerd/cgroups/v3/cgroup1"
	"github.com/containerd/cgroups/v3/cgroup2"
	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// make creates the group's directories through the cgroups library: on v1 one per
// controller (cpuset inheriting its parent's CPUs and memory nodes, which a new cpuset
// lacks), on v2 one directory with the controllers enabled down the tree.
func (g *Group) make() error {
	if g.lo.mode == V2 {
		return g.makeV2()
	}
	return g.makeV1()
}

// v1Subsystems are the library's controllers for the ones this machine has.
func (lo layout) v1Subsystems() []cgroup1.Subsystem {
	var out []cgroup1.Subsystem
	for _, c := range controllers {
		if !lo.present[c] {
			continue
		}
		switch c {
		case "cpu":
			out = append(out, cgroup1.NewCpu(lo.root))
		case "cpuacct":
			out = append(out, cgroup1.NewCpuacct(lo.root))
		case "cpuset":
			out = append(out, cgroup1.NewCpuset(lo.root))
		case "memory":
			out = append(out, cgroup1.NewMemory(lo.root))
		case "pids":
			out = append(out, cgroup1.NewPids(lo.root))
		case "devices":
			out = append(out, cgroup1.NewDevices(lo.root))
		case "freezer":
			out = append(out, cgroup1.NewFreezer(lo.root))
		}
	}
	return out
}

func (g *Group) makeV1() error {
	for _, c := range controllers {
		if !g.lo.present[c] {
			continue
		}
		g.log.AddArgs("mkdir", "-p", g.lo.dir(c, g.path))
		if c == "cpuset" {
			// A new cpuset is empty: it takes its parent's CPUs and memory nodes.
			for _, dir := range []string{g.lo.dir(c, filepath.Dir(g.path)), g.lo.dir(c, g.path)} {
				parent := filepath.Dir(dir)
				for _, f := range []string{"cpuset.cpus", "cpuset.mems"} {
					g.log.Add("cat " + filepath.Join(parent, f) + " > " + filepath.Join(dir, f))
				}
			}
		}
	}
	hierarchy := func() ([]cgroup1.Subsystem, error) { return g.lo.v1Subsystems(), nil }
	_, err := cgroup1.New(cgroup1.StaticPath(g.path), &specs.LinuxResources{}, cgroup1.WithHierarchy(hierarchy))
	if err != nil {
		return fmt.Errorf("create cgroup %s: %w", g.path, err)
	}
	return nil
}

func (g *Group) makeV2() error {
	res := &cgroup2.Resources{}
	var enable []string
	if g.lo.present["cpu"] {
		res.CPU = &cgroup2.CPU{}
		enable = append(enable, "+cpu")
	}
	if g.lo.present["cpuset"] {
		// Mems only switches the cpuset controller on; it is what the parent has.
		if res.CPU == nil {
			res.CPU = &cgroup2.CPU{}
		}
		mems, _ := os.ReadFile(filepath.Join(g.lo.root, "cpuset.mems.effective"))
		res.CPU.Mems = strings.TrimSpace(string(mems))
		enable = append(enable, "+cpuset")
	}
	if g.lo.present["memory"] {
		res.Memory = &cgroup2.Memory{}
		enable = append(enable, "+memory")
	}
	if g.lo.present["pids"] {
		res.Pids = &cgroup2.Pids{}
		enable = append(enable, "+pids")
	}
	dir := g.lo.dir("", g.path)
	var parents []string
	for p := filepath.Dir(dir); strings.HasPrefix(p, g.lo.root); p = filepath.Dir(p) {
		parents = append([]string{p}, parents...)
		if p == g.lo.root {
			break
		}
	}
	for _, p := range parents {
		g.log.Add("echo '" + strings.Join(enable, " ") + "' > " + filepath.Join(p, "cgroup.subtree_control"))
	}
	g.log.AddArgs("mkdir", "-p", dir)
	if res.CPU != nil && res.CPU.Mems != "" {
		g.log.Add("echo " + res.CPU.Mems + " > " + filepath.Join(dir, "cpuset.mems"))
	}
	if _, err := cgroup2.NewManager(g.lo.root, g.path, res); err != nil {
		return fmt.Errorf("create cgroup %s: %w", g.path, err)
	}
	return nil
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
