// Package instance names one workbench installation: the prefix of every kernel object
// it makes, its state directories and its cgroup parent. Two instances never touch each
// other's objects, which is what lets tests run beside a live lab.
package instance

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
)

// EnvName is the environment variable that selects the instance; empty means Default.
const EnvName = "WORKBENCH_INSTANCE"

// Default is the name of the instance a person uses.
const Default = "wb"

var validName = regexp.MustCompile(`^[a-z][a-z0-9]{0,7}$`)

// Instance is one workbench installation. Every path and name the engine uses for a
// kernel object or a file is derived from it.
type Instance struct {
	// Name is a short prefix (1 to 8 lower-case letters and digits) carried by every
	// object of the instance.
	Name string
	// RunDir holds state that dies with the machine: container state, mount points,
	// bind-mounted namespaces, the command log, the lock.
	RunDir string
	// DataDir holds what survives a reboot: the image store.
	DataDir string
}

// FromEnv returns the instance named by $WORKBENCH_INSTANCE, or the default one.
func FromEnv() (Instance, error) {
	name := os.Getenv(EnvName)
	if name == "" {
		name = Default
	}
	return New(name)
}

// New returns the instance with the given name, or an error saying what a valid name is.
func New(name string) (Instance, error) {
	if !validName.MatchString(name) {
		return Instance{}, fmt.Errorf("instance name %q is invalid: use 1 to 8 lower-case letters and digits, starting with a letter", name)
	}
	base := "workbench"
	if name != Default {
		base = "workbench-" + name
	}
	return Instance{
		Name:    name,
		RunDir:  filepath.Join("/run", base),
		DataDir: filepath.Join("/var/lib", base),
	}, nil
}

// HostNetnsName is the iproute2 name (in /run/netns) of a lab host's network namespace.
func (i Instance) HostNetnsName(host string) string { return i.Name + "-" + host }

// HostNetnsPath is the bind-mounted namespace file of a lab host.
func (i Instance) HostNetnsPath(host string) string {
	return filepath.Join("/run/netns", i.HostNetnsName(host))
}

// CgroupParent is the cgroup (relative to each hierarchy's root) under which every
// container cgroup of the instance lives.
func (i Instance) CgroupParent() string {
	if i.Name == Default {
		return "/workbench"
	}
	return "/workbench-" + i.Name
}

// CommandLogPath is the file that records every kernel operation as a shell command.
func (i Instance) CommandLogPath() string { return filepath.Join(i.RunDir, "commands.log") }

// ContainersDir holds one directory per container.
func (i Instance) ContainersDir() string { return filepath.Join(i.RunDir, "containers") }

// ImagesDir is the root of the image store.
func (i Instance) ImagesDir() string { return filepath.Join(i.DataDir, "images") }

// LockPath is the file locked by every command that changes state.
func (i Instance) LockPath() string { return filepath.Join(i.RunDir, "lock") }

// EventsPath is the file of the instance's events (workbench events).
func (i Instance) EventsPath() string { return filepath.Join(i.RunDir, "events.log") }

// MonitorSocket is where the instance's monitor listens.
func (i Instance) MonitorSocket() string { return filepath.Join(i.RunDir, "monitor.sock") }

// DemoProgressPath is the file that keeps how far each bundled lab was played in a demo.
// It lives beside the image store, so `reset --keep-images` (which a demo runs to
// replay a lab) keeps it and `reset` forgets it.
func (i Instance) DemoProgressPath() string { return filepath.Join(i.DataDir, "demo-progress.json") }
