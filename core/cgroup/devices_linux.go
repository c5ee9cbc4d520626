package cgroup

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/containerd/cgroups/v3/cgroup2"
	specs "github.com/opencontainers/runtime-spec/specs-go"

	"workbench/cmdlog"
)

// deviceRules are Docker's default device rules, as devices.allow takes them: a
// container may make any node (m) but read and write only the nodes of its /dev: null,
// zero, full, random, urandom, tty, console, ptmx and its terminals (/dev/pts/N).
var deviceRules = []string{
	"c *:* m", "b *:* m",
	"c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm", "c 1:8 rwm", "c 1:9 rwm",
	"c 5:0 rwm", "c 5:1 rwm", "c 5:2 rwm", "c 136:* rwm",
}

// allowDevices puts the group's device allowlist in force before any process joins
// it. On v1 the devices controller gives a new group a copy of its parent's list, so
// the instance's parent group holds it (everything denied, then deviceRules allowed),
// written once, before its first child is made; call it before make. On v2 the same
// rules are a BPF program attached to the group itself, made by containerd's cgroups
// library as runc makes it; call it after make.
func (g *Group) allowDevices() error {
	if g.lo.mode == V2 {
		return attachDeviceFilter(g.lo.dir("", g.path), g.log)
	}
	if !g.lo.present["devices"] {
		return nil
	}
	dir := g.lo.dir("devices", filepath.Dir(g.path))
	if err := g.makeDirs(dir); err != nil {
		return err
	}
	list, err := os.ReadFile(filepath.Join(dir, "devices.list"))
	if err != nil {
		return fmt.Errorf("read the devices of cgroup %s: %w", dir, err)
	}
	if strings.TrimSpace(string(list)) != "a *:* rwm" {
		return nil // the allowlist is in force already
	}
	if err := g.writeFile(filepath.Join(dir, "devices.deny"), "a"); err != nil {
		return fmt.Errorf("deny every device to cgroup %s: %w", dir, err)
	}
	for _, r := range deviceRules {
		if err := g.writeFile(filepath.Join(dir, "devices.allow"), r); err != nil {
			return fmt.Errorf("allow devices %q to cgroup %s: %w", r, dir, err)
		}
	}
	return nil
}

// attachDeviceFilter attaches the BPF program of deviceRules to a cgroup v2
// directory; it stays attached as long as the directory exists.
func attachDeviceFilter(dir string, log *cmdlog.Log) error {
	insts, license, err := cgroup2.DeviceFilter(deviceCgroupRules())
	if err != nil {
		return fmt.Errorf("make the device program of cgroup %s: %w", dir, err)
	}
	f, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("open cgroup %s: %w", dir, err)
	}
	defer f.Close()
	log.Add("# attach a BPF device program to " + dir + ": " + strings.Join(deviceRules, ", "))
	if _, err := cgroup2.LoadAttachCgroupDeviceFilter(insts, license, int(f.Fd())); err != nil {
		return fmt.Errorf("attach the device program to cgroup %s: %w", dir, err)
	}
	return nil
}

// deviceCgroupRules are deviceRules in the runtime spec's form, for the v2 BPF
// program: a deny-all rule first, then the allowed ones.
func deviceCgroupRules() []specs.LinuxDeviceCgroup {
	all := int64(-1)
	out := []specs.LinuxDeviceCgroup{{Allow: false, Type: "a", Major: &all, Minor: &all, Access: "rwm"}}
	for _, r := range deviceRules {
		f := strings.Fields(r)
		major, minor, _ := strings.Cut(f[1], ":")
		out = append(out, specs.LinuxDeviceCgroup{Allow: true, Type: f[0], Major: deviceNumber(major), Minor: deviceNumber(minor), Access: f[2]})
	}
	return out
}

// deviceNumber is a device number of a rule, -1 for "*".
func deviceNumber(s string) *int64 {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		n = -1
	}
	return &n
}
