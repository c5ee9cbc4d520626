package core

import (
	"workbench/core/cgroup"
	"workbench/core/network"
	"workbench/images"
)

// RunSpec is everything `run` asks for.
type RunSpec struct {
	// Image is the image reference, e.g. "busybox".
	Image string
	// Name is the container's name; "" picks a random one.
	Name string
	// Args follow the image on the command line; they replace the image's Cmd.
	Args []string
	// Env holds KEY=VALUE pairs that override the image's.
	Env []string
	// WorkingDir overrides the image's working directory.
	WorkingDir string
	// Hostname is the container's host name; "" is the first 12 digits of its ID.
	Hostname string
	// User overrides the image's user.
	User string
	// Tty runs the command on a pseudo-terminal.
	Tty bool
	// Interactive keeps standard input open.
	Interactive bool
	// AutoRemove removes the container when it exits.
	AutoRemove bool
	// Userns runs the container in a user namespace of its own, its root mapped to an
	// unprivileged range of the machine.
	Userns bool
	// Init runs a reaper as PID 1 that starts the command, passes signals on to it and
	// reaps orphans (--init).
	Init bool
	// Restart is the restart policy (--restart).
	Restart RestartPolicy
	// Seccomp is SeccompDefault (also ""), SeccompUnconfined or SeccompCustom with the
	// profile in SeccompProfile (Docker's JSON format).
	Seccomp        string
	SeccompProfile []byte
	// StorageSize bounds the writable layer in bytes; 0 is DefaultStorageSize.
	StorageSize int64
	// Mounts are file systems mounted into the container (-v, --mount, --tmpfs).
	Mounts []Mount
	// ReadOnly mounts the container's root file system read-only (--read-only).
	ReadOnly bool
	// Entrypoint replaces the image's entrypoint when set (--entrypoint; an empty
	// list clears it).
	Entrypoint *[]string
	// Labels are the container's labels (-l KEY=VALUE).
	Labels map[string]string
	// CapAdd and CapDrop change Docker's default capabilities ("ALL" is every one).
	CapAdd, CapDrop []string
	// Privileged gives every capability and device and no seccomp filter or masked
	// path, as Docker's --privileged does.
	Privileged bool
	// ShmSize is the size of /dev/shm in bytes; 0 is 64m.
	ShmSize int64
	// Ulimits are resource limits set on the command (--ulimit NAME=SOFT[:HARD]).
	Ulimits []Ulimit
	// StopSignal is the signal stop sends first (--stop-signal; 0 is SIGTERM), and
	// StopTimeout the seconds it waits before SIGKILL when stop names none (-1: 10).
	StopSignal  int
	StopTimeout int
	// Net says how the container's network is made.
	Net NetSpec
	// Limits are its cgroup limits.
	Limits cgroup.Limits
}

// DefaultStorageSize bounds a container's writable layer unless --storage-opt size=
// says otherwise.
const DefaultStorageSize = 512 << 20

// NetSpec is the network part of a RunSpec.
type NetSpec struct {
	// Mode is "bridge", "none", "host", "container:NAME" or a network name.
	Mode string
	// Host is the lab host ("" = host1, "real" = the machine's own namespace).
	Host string
	// IP is a static address; "" takes one from the pool.
	IP string
	// Ports are the ports to publish.
	Ports []network.PortSpec
	// PublishAll publishes every port the image exposes on a free host port (-P).
	PublishAll bool
	// Aliases are more names the container has on a user network (--network-alias).
	Aliases []string
	// DNS are name servers for its /etc/resolv.conf (--dns).
	DNS []string
	// ExtraHosts are lines "NAME:ADDRESS" for its /etc/hosts (--add-host).
	ExtraHosts []string
}

// Userns mapping: container root is this machine uid/gid, for this many ids.
const (
	usernsBase = 100000
	usernsSize = 65536
)

// commandLine joins an image's entrypoint and command with the user's arguments as
// Docker does: arguments replace Cmd; --entrypoint replaces the Entrypoint and drops
// the image's Cmd.
func commandLine(cfg images.Config, entrypoint *[]string, args []string) []string {
	ep, cmd := cfg.Entrypoint, cfg.Cmd
	if entrypoint != nil {
		ep, cmd = *entrypoint, nil
	}
	if len(args) > 0 {
		cmd = args
	}
	return append(append([]string(nil), ep...), cmd...)
}

// containerEnv is the environment of a container's command: the image's, a default
// PATH, HOSTNAME, HOME, TERM with a terminal, then the user's -e values.
func containerEnv(cfg images.Config, hostname string, tty bool, user []string) []string {
	env := []string{"PATH=" + defaultPath, "HOSTNAME=" + hostname}
	env = MergeEnv(env, cfg.Env)
	if tty {
		env = MergeEnv(env, []string{"TERM=xterm"})
	}
	env = MergeEnv(env, user)
	if envValue(env, "HOME") == "" {
		env = append(env, "HOME=/root")
	}
	return env
}
