package core

import (
	"context"
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"

	"workbench/core/cgroup"
	"workbench/core/network"
)

// Inspection is what `inspect` shows of a container: its state plus what the kernel
// says about it now.
type Inspection struct {
	Container
	// Dir is the container's directory on the machine; LogPath its output log.
	Dir, LogPath string
	// MountSources are where each of Mounts is on the machine, in the same order.
	MountSources []string `json:",omitempty"`
	// Namespaces pairs each of the container's namespaces with the machine's.
	Namespaces []NamespaceInfo `json:",omitempty"`
	// Cgroup is the container's cgroup and the limits in force, read back.
	Cgroup *CgroupInfo `json:",omitempty"`
	// Capabilities are PID 1's bounding set, by name.
	Capabilities []string `json:",omitempty"`
}

// NamespaceInfo is one kind of namespace of a container next to the machine's.
type NamespaceInfo struct {
	// Type is the namespace kind as /proc/PID/ns names it: mnt, uts, ipc, pid, net,
	// cgroup, user.
	Type string
	// Container and Machine are the namespaces' inode numbers.
	Container, Machine uint64
	// Shared says the container uses the machine's namespace of this kind.
	Shared bool
	// SharedWith names who else is in it: "host NAME" for the lab host whose network
	// namespace it is, and the other running containers in it.
	SharedWith []string `json:",omitempty"`
}

// CgroupInfo is a container's cgroup as the kernel has it.
type CgroupInfo struct {
	// Path is the cgroup path in each hierarchy, e.g. /workbench/<id>.
	Path string
	// Dirs are its directories on the machine.
	Dirs []string
	// Limits are the limits in force.
	Limits cgroup.Limits
}

// Inspect returns a container's state with its namespaces, cgroup and capabilities as
// the kernel reports them (those of a running container only).
func (e *Engine) Inspect(ctx context.Context, c Container) (Inspection, error) {
	in := Inspection{Container: c, Dir: e.Dir(c.ID), LogPath: e.LogPath(c.ID)}
	for _, m := range c.Mounts {
		in.MountSources = append(in.MountSources, e.MountSource(m))
	}
	if c.State != StateRunning || !alive(c.Pid, c.PidStart) {
		return in, nil
	}
	others, _ := e.List(ctx, false)
	for _, t := range []string{"mnt", "uts", "ipc", "pid", "net", "cgroup", "user"} {
		ci, cm := nsInode(strconv.Itoa(c.Pid), t), nsInode("self", t)
		if ci == 0 {
			continue
		}
		ns := NamespaceInfo{Type: t, Container: ci, Machine: cm, Shared: ci == cm}
		if t == "net" && c.Host != "" && ci == fileInode(network.NetnsPath(e.inst, c.Host)) {
			ns.SharedWith = append(ns.SharedWith, "host "+c.Host)
		}
		for _, o := range others {
			if o.ID != c.ID && o.Pid > 0 && nsInode(strconv.Itoa(o.Pid), t) == ci {
				ns.SharedWith = append(ns.SharedWith, o.Name)
			}
		}
		in.Namespaces = append(in.Namespaces, ns)
	}
	if g, err := cgroup.Open(e.inst, c.CgroupID); err == nil {
		info := &CgroupInfo{Path: g.Path(), Dirs: g.Dirs()}
		if l, err := g.Limits(); err == nil {
			info.Limits = l
		}
		in.Cgroup = info
	}
	if b, err := os.ReadFile("/proc/" + strconv.Itoa(c.Pid) + "/status"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(l, "CapBnd:"); ok {
				if m, err := strconv.ParseUint(strings.TrimSpace(v), 16, 64); err == nil {
					in.Capabilities = CapNames(m)
				}
			}
		}
	}
	return in, nil
}

// nsInode is the inode number of a process's namespace of one kind ("self" is this
// process, in the machine's namespaces), 0 if unknown.
func nsInode(pid string, kind string) uint64 {
	link, err := os.Readlink("/proc/" + pid + "/ns/" + kind)
	if err != nil {
		return 0
	}
	i, j := strings.IndexByte(link, '['), strings.IndexByte(link, ']')
	if i < 0 || j < i {
		return 0
	}
	n, _ := strconv.ParseUint(link[i+1:j], 10, 64)
	return n
}

// fileInode is the inode number of a bind-mounted namespace file, 0 if unknown.
func fileInode(path string) uint64 {
	var st unix.Stat_t
	if unix.Stat(path, &st) != nil {
		return 0
	}
	return st.Ino
}
