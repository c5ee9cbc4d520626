package cgroup

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	cgroups "github.com/containerd/cgroups/v3"
)

// Mode is the cgroup layout the machine runs.
type Mode string

const (
	// V1 is a legacy or hybrid layout: each controller on a cgroup v1 mount of its own
	// (or a few co-mounted), possibly beside an empty cgroup2 tree.
	V1 Mode = "v1"
	// V2 is the unified layout: one cgroup2 tree holds every controller.
	V2 Mode = "v2"
)

// controllers are the controllers the workbench drives, in the order they are made.
var controllers = []string{"cpu", "cpuacct", "cpuset", "memory", "pids", "devices", "freezer"}

// layout says where each controller lives on this machine.
type layout struct {
	mode Mode
	// root is /sys/fs/cgroup: the parent of the v1 mounts, or the v2 mount itself.
	root string
	// present holds the controllers that can be used.
	present map[string]bool
}

// dir is the directory of cgroup path p (e.g. /workbench/ID) for one controller.
func (lo layout) dir(controller, p string) string {
	if lo.mode == V2 {
		return filepath.Join(lo.root, p)
	}
	return filepath.Join(lo.root, controller, p)
}

// hierarchies lists every directory that holds cgroup path p, one per mount.
func (lo layout) hierarchies(p string) []string {
	if lo.mode == V2 {
		return []string{filepath.Join(lo.root, p)}
	}
	var out []string
	for _, c := range controllers {
		if lo.present[c] {
			out = append(out, lo.dir(c, p))
		}
	}
	return out
}

var (
	detected    layout
	detectedErr error
	detectOnce  sync.Once
)

// machineLayout detects the machine's cgroup layout once.
func machineLayout() (layout, error) {
	detectOnce.Do(func() { detected, detectedErr = detectLayout() })
	return detected, detectedErr
}

func detectLayout() (layout, error) {
	const root = "/sys/fs/cgroup"
	switch cgroups.Mode() {
	case cgroups.Unified:
		lo := layout{mode: V2, root: root, present: map[string]bool{}}
		b, err := os.ReadFile(filepath.Join(root, "cgroup.controllers"))
		if err != nil {
			return lo, fmt.Errorf("read the cgroup v2 controllers: %w", err)
		}
		for _, c := range strings.Fields(string(b)) {
			lo.present[c] = true
		}
		// cpuacct is part of cpu on v2 (cpu.stat is always there), and the freezer is
		// part of every cgroup (cgroup.freeze).
		lo.present["cpuacct"] = true
		lo.present["devices"] = true // a BPF program of the cgroup, not a controller
		lo.present["freezer"] = true
		return lo, nil
	case cgroups.Legacy, cgroups.Hybrid:
		lo := layout{mode: V1, root: root, present: map[string]bool{}}
		mounted, err := v1Controllers()
		if err != nil {
			return lo, err
		}
		for _, c := range controllers {
			if mounted[c] {
				if _, err := os.Stat(filepath.Join(root, c)); err == nil {
					lo.present[c] = true
				}
			}
		}
		return lo, nil
	}
	return layout{}, fmt.Errorf("no cgroup file system is mounted at /sys/fs/cgroup: mount cgroup2 there (mount -t cgroup2 none /sys/fs/cgroup) to use limits")
}

// v1Controllers reads /proc/self/mountinfo for the controllers of cgroup v1 mounts.
func v1Controllers() (map[string]bool, error) {
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return nil, fmt.Errorf("read mounts: %w", err)
	}
	defer f.Close()
	out := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		_, after, ok := strings.Cut(sc.Text(), " - ")
		fields := strings.Fields(after)
		if !ok || len(fields) < 3 || fields[0] != "cgroup" {
			continue
		}
		for _, opt := range strings.Split(fields[2], ",") {
			out[opt] = true
		}
	}
	return out, sc.Err()
}

// missingWarnings says, for each controller the machine lacks, what does not work.
func missingWarnings(present map[string]bool) []string {
	what := map[string]string{
		"cpu":     "--cpus, --cpu-period, --cpu-quota and --cpu-shares are not applied and throttling figures are missing",
		"cpuacct": "CPU usage figures are missing",
		"cpuset":  "--cpuset-cpus is not applied",
		"memory":  "--memory and --memory-swap are not applied; memory figures and OOM detection are missing",
		"pids":    "--pids-limit is not applied and PID counts are missing",
		"devices": "containers may open any device node they can make: there is no device allowlist",
		"freezer": "commit cannot pause a running container (commit --pause=false reads its layer while it runs)",
	}
	var out []string
	for _, c := range controllers {
		if !present[c] {
			out = append(out, fmt.Sprintf("the %s cgroup controller is not available on this machine: %s", c, what[c]))
		}
	}
	return out
}

// MachineWarnings names each controller this machine lacks and what does not work
// without it; empty when every controller the workbench uses is there.
func MachineWarnings() ([]string, error) {
	lo, err := machineLayout()
	if err != nil {
		return nil, err
	}
	return missingWarnings(lo.present), nil
}
