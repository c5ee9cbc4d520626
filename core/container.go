// Package core is the container engine: it makes containers out of namespaces, an
// overlay root filesystem, a cgroup and a network namespace hung off a lab host, keeps
// their state on disk, supervises their processes and removes every part again. It never
// prints; the CLI and the app drive it.
package core

import (
	"time"

	"workbench/core/cgroup"
	"workbench/core/network"
)

// The states of a container, as `ps` shows them.
const (
	// StateCreated is a container being made: its parts exist, its process not yet.
	StateCreated = "created"
	// StateRunning is a container whose PID 1 is alive.
	StateRunning = "running"
	// StateExited is a container whose PID 1 has ended; its files and logs remain.
	StateExited = "exited"
	// StateRestarting is a container that ended and that its restart policy starts
	// again after a delay.
	StateRestarting = "restarting"
)

// Container is the state file of one container (state.json in its directory). It is
// plain data, written atomically by whichever workbench process changes it.
type Container struct {
	// ID is 64 hex digits; any unique prefix names the container too.
	ID string
	// Name is the user's name for it, or a random adjective_noun.
	Name string
	// Image is the image reference it was asked by ("busybox").
	Image string
	// ImageID is the image's config digest.
	ImageID string
	// Cmd is the full command line PID 1 runs (entrypoint and arguments).
	Cmd []string
	// State is StateCreated, StateRunning or StateExited.
	State string
	// ExitCode is the command's exit status (128+N when killed by signal N).
	ExitCode int
	// OOMKilled says whether the kernel's OOM killer ended it.
	OOMKilled bool
	// Error says why it could not start or how its supervision ended badly.
	Error string `json:",omitempty"`
	// Pid is the container's PID 1 as the machine sees it: its command itself (or
	// the reaper of --init).
	Pid int
	// PidStart is Pid's start time in clock ticks, to tell it from a reused PID.
	PidStart uint64 `json:",omitempty"`
	// MonitorPid is the instance's monitor that holds Pid as its child, records its
	// output and its end.
	MonitorPid int `json:",omitempty"`
	// MonitorStart is MonitorPid's start time in clock ticks.
	MonitorStart uint64 `json:",omitempty"`
	// OwnerPid is the command making or starting the container, while it does; a
	// container left "created" by an owner that died is reconciled.
	OwnerPid int `json:",omitempty"`
	// OwnerStart is OwnerPid's start time in clock ticks.
	OwnerStart uint64 `json:",omitempty"`
	// Host is the lab host its network hangs off.
	Host string
	// NetMode is "bridge", "none", "host", "container:NAME" or a network name.
	NetMode string
	// NetnsPath is the container's network namespace file.
	NetnsPath string
	// StaticIP and PortSpecs are the address and ports asked for (--ip, -p, -P): every
	// start makes the endpoint and publishes the ports from them again.
	StaticIP  string             `json:",omitempty"`
	PortSpecs []network.PortSpec `json:",omitempty"`
	// Aliases are its other names on user networks (--network-alias).
	Aliases []string `json:",omitempty"`
	// DNS and ExtraHosts are its name servers and added /etc/hosts lines (--dns,
	// --add-host NAME:ADDRESS).
	DNS        []string `json:",omitempty"`
	ExtraHosts []string `json:",omitempty"`
	// ExtraNetworks are networks it was connected to after it was made (network
	// connect), attached again at every start.
	ExtraNetworks []string `json:",omitempty"`
	// Networks are its endpoints while it runs.
	Networks []network.Attachment
	// Ports are its published ports while it runs.
	Ports []network.PortBinding
	// CgroupID is the id passed to cgroup.Create and cgroup.Open.
	CgroupID string
	// Limits are the resource limits asked for at creation.
	Limits cgroup.Limits
	// Rootfs is the overlay's mount point (seen inside the container's mount namespace).
	Rootfs string
	// UpperDir is the container's writable layer.
	UpperDir string
	// Layers are the image's read-only layers, bottom first.
	Layers []string
	// Env is the command's environment.
	Env []string
	// WorkingDir is the command's working directory inside the container.
	WorkingDir string
	// User is the user the command runs as (name or uid[:gid]); "" is root.
	User string `json:",omitempty"`
	// Hostname is the container's host name.
	Hostname string
	// Tty says whether the command runs on a pseudo-terminal.
	Tty bool
	// Interactive says whether its standard input was kept open.
	Interactive bool
	// AutoRemove removes the container when it exits (--rm).
	AutoRemove bool
	// Userns says whether it runs in a user namespace of its own.
	Userns bool
	// Init runs a reaper as PID 1 that starts the command and reaps orphans (--init).
	Init bool `json:",omitempty"`
	// Restart is its restart policy, RestartCount how often it was restarted, and
	// ManuallyStopped says that stop, kill or rm ended it (no restart then).
	Restart         RestartPolicy
	RestartCount    int  `json:",omitempty"`
	ManuallyStopped bool `json:",omitempty"`
	// Paused says its processes are frozen (pause).
	Paused bool `json:",omitempty"`
	// Security is what its processes may do.
	Security Security
	// StorageSize bounds its writable layer, in bytes.
	StorageSize int64
	// Mounts are the file systems mounted into it (-v, --mount, --tmpfs).
	Mounts []Mount `json:",omitempty"`
	// ReadOnly says its root file system is read-only.
	ReadOnly bool `json:",omitempty"`
	// Privileged says it has every capability and device, no seccomp filter and no
	// masked path.
	Privileged bool `json:",omitempty"`
	// ShmSize is the size of its /dev/shm in bytes.
	ShmSize int64 `json:",omitempty"`
	// Ulimits are the resource limits of its command.
	Ulimits []Ulimit `json:",omitempty"`
	// Labels are its labels.
	Labels map[string]string `json:",omitempty"`
	// StopSignal is what stop sends first, StopTimeout the seconds it waits for it.
	StopSignal  int
	StopTimeout int
	// Created, Started and Finished are when it was made, started and ended.
	Created, Started, Finished time.Time
}

// ShortID is the 12-digit ID prefix `ps` shows.
func (c Container) ShortID() string {
	if len(c.ID) > 12 {
		return c.ID[:12]
	}
	return c.ID
}

// Status is the human status `ps` shows: "Up 3 seconds", "Exited (3) 2 minutes ago",
// "Restarting (1) 2 seconds ago".
func (c Container) Status(now time.Time) string {
	switch c.State {
	case StateRunning:
		if c.Paused {
			return "Up " + humanDuration(now.Sub(c.Started)) + " (Paused)"
		}
		return "Up " + humanDuration(now.Sub(c.Started))
	case StateRestarting:
		return "Restarting (" + itoa(c.ExitCode) + ") " + humanDuration(now.Sub(c.Finished)) + " ago"
	case StateExited:
		return "Exited (" + itoa(c.ExitCode) + ") " + humanDuration(now.Sub(c.Finished)) + " ago"
	}
	return "Created"
}

// starting says whether a command is making or starting the container right now.
func (c Container) starting() bool { return alive(c.OwnerPid, c.OwnerStart) }
