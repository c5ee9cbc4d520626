// Package containers is the app's containers pane: every container of the instance with
// its state, host, addresses, ports, CPU and memory, and the detail of the selected one
// (PIDs, namespaces, cgroup, rootfs layers, veth pairs).
package containers

import (
	"context"
	"time"

	"workbench/tui/containerlogs"
)

// Container is one row of the pane, as read from the engine and the kernel.
type Container struct {
	ID, Name, Image, State, Host string
	// Paused says its processes are frozen; ExitCode is how it ended when exited.
	Paused   bool
	ExitCode int
	// Created is when it was made.
	Created time.Time
	// Networks are what it is attached to now, as "NETWORK ADDRESS" pairs (e.g.
	// "bridge 172.18.0.2/16") or its network mode (host, none, container:NAME); none
	// while it does not run.
	Networks []string
	// Ports are published ports, e.g. "8080->80/tcp".
	Ports []string
	// CPUPercent is the CPU use since the last sample (100 = one core); negative when
	// not known.
	CPUPercent float64
	// Memory is the memory in use in bytes; MemoryLimit is 0 when there is none.
	Memory, MemoryLimit int64
	// Detail is what the detail box shows for this container.
	Detail Detail
}

// Detail is the inside of one container.
type Detail struct {
	// Pid is PID 1 of the container as seen from the machine; Cmd its command line.
	Pid int
	Cmd []string
	// PidsInside lists the container's processes as "machine-pid:inside-pid command".
	PidsInside []string
	// Namespaces of PID 1.
	Namespaces []Namespace
	// CgroupPath is the container's cgroup; Limits the limits in force ("cpu 0.5").
	CgroupPath string
	Limits     []string
	// Layers are the rootfs layers, bottom first, then the upper directory.
	Layers []string
	// Veths are the container's links: "eth0 (in container) = vethXXXX on br0 of host1".
	Veths []string
	// ExitCode, OOMKilled and Error say how an exited container ended.
	ExitCode  int
	OOMKilled bool
	Error     string
}

// Namespace is one namespace of a process.
type Namespace struct {
	// Kind is the namespace type: net, mnt, pid, uts, ipc, cgroup, user.
	Kind string
	// Inode identifies the namespace.
	Inode uint64
	// SharedWith names who else is in it ("machine", "host1", another container), or "".
	SharedWith string
}

// Snapshot is everything the pane shows, read at one moment.
type Snapshot struct {
	Containers []Container
}

// Source reads snapshots: the engine and the kernel in the app, fixed data in tests.
type Source interface {
	// Load reads every container, and the Detail of the one named detailOf ("" = the
	// first); the others' Detail may stay empty.
	Load(ctx context.Context, detailOf string) (Snapshot, error)
	// Logs opens the log of the container named name, from its first entry.
	Logs(ctx context.Context, name string) (containerlogs.Reader, error)
}
