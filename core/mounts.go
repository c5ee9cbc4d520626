package core

import (
	"fmt"
	"os"
	"path"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"

	"workbench/core/cgroup"
)

// The kinds of Mount.
const (
	MountBind   = "bind"
	MountVolume = "volume"
	MountTmpfs  = "tmpfs"
)

// Mount is a file system mounted into a container: a directory or file of the machine
// (bind), a named volume of the instance (volume), or a tmpfs.
type Mount struct {
	// Type is MountBind, MountVolume or MountTmpfs.
	Type string
	// Source is the machine's path (bind) or the volume's name (volume).
	Source string `json:",omitempty"`
	// Target is the path inside the container.
	Target string
	// ReadOnly mounts it read-only.
	ReadOnly bool `json:",omitempty"`
	// NoCopy leaves a new volume empty instead of copying the image's files at Target
	// into it.
	NoCopy bool `json:",omitempty"`
	// Size and Mode are a tmpfs's size in bytes (0: half the memory) and mode.
	Size int64       `json:",omitempty"`
	Mode os.FileMode `json:",omitempty"`
	// Anonymous marks a volume made for this container alone (-v /path), removed with
	// it under --rm.
	Anonymous bool `json:",omitempty"`
	// CreateSource makes a missing bind source directory, as -v does (--mount
	// refuses it).
	CreateSource bool `json:"-"`
}

// ParseVolume reads a -v option as Docker does: HOST-PATH:CONTAINER-PATH[:ro|rw] binds a
// path of the machine, NAME:CONTAINER-PATH[:ro|rw|nocopy] mounts a named volume (made
// when missing), CONTAINER-PATH alone an anonymous volume.
func ParseVolume(s string) (Mount, error) {
	parts := strings.Split(s, ":")
	var m Mount
	var opts string
	switch len(parts) {
	case 1:
		m = Mount{Type: MountVolume, Target: parts[0], Anonymous: true}
	case 2, 3:
		m = Mount{Type: MountVolume, Source: parts[0], Target: parts[1]}
		if len(parts) == 3 {
			opts = parts[2]
		}
	default:
		return m, fmt.Errorf("-v %q is not [SOURCE:]TARGET[:OPTIONS]: e.g. -v /srv/data:/data:ro or -v data:/data", s)
	}
	if strings.HasPrefix(m.Source, "/") || strings.HasPrefix(m.Source, ".") {
		m.Type, m.CreateSource = MountBind, true
		if !strings.HasPrefix(m.Source, "/") {
			return m, fmt.Errorf("-v %q: the machine's path %q is relative: give it from /, e.g. -v $PWD/data:/data", s, m.Source)
		}
	}
	for _, o := range splitOptions(opts) {
		switch {
		case o == "ro":
			m.ReadOnly = true
		case o == "rw":
			m.ReadOnly = false
		case o == "nocopy" && m.Type == MountVolume:
			m.NoCopy = true
		default:
			return m, fmt.Errorf("-v %q: option %q is not supported: use ro or rw (and nocopy for a volume)", s, o)
		}
	}
	return m, m.check("-v " + s)
}

// ParseMount reads a --mount option as Docker does: comma-separated KEY=VALUE pairs
// with type=bind|volume|tmpfs, source (src), target (destination, dst), readonly
// (ro), volume-nocopy, tmpfs-size and tmpfs-mode.
func ParseMount(s string) (Mount, error) {
	m := Mount{Type: MountVolume}
	bad := func(why string) (Mount, error) { return Mount{}, fmt.Errorf("--mount %q: %s", s, why) }
	for _, kv := range splitOptions(s) {
		k, v, hasValue := strings.Cut(kv, "=")
		switch k {
		case "type":
			if v != MountBind && v != MountVolume && v != MountTmpfs {
				return bad(fmt.Sprintf("type %q is not supported: use bind, volume or tmpfs", v))
			}
			m.Type = v
		case "source", "src":
			m.Source = v
		case "target", "destination", "dst":
			m.Target = v
		case "readonly", "ro":
			b, err := optionBool(v, hasValue)
			if err != nil {
				return bad(k + ": " + err.Error())
			}
			m.ReadOnly = b
		case "volume-nocopy":
			b, err := optionBool(v, hasValue)
			if err != nil {
				return bad(k + ": " + err.Error())
			}
			m.NoCopy = b
		case "tmpfs-size":
			n, err := cgroup.ParseMemory(v)
			if err != nil || n <= 0 {
				return bad(fmt.Sprintf("tmpfs-size %q is not a size: give one like tmpfs-size=64m", v))
			}
			m.Size = n
		case "tmpfs-mode":
			n, err := strconv.ParseUint(v, 8, 32)
			if err != nil || n > 0o7777 {
				return bad(fmt.Sprintf("tmpfs-mode %q is not an octal mode: give one like tmpfs-mode=1777", v))
			}
			m.Mode = os.FileMode(n)
		case "bind-propagation", "volume-driver", "volume-opt", "volume-subpath", "bind-recursive":
			return bad(fmt.Sprintf("%s is not supported here: bind mounts are private and recursive, volumes are local", k))
		case "consistency":
		default:
			return bad(fmt.Sprintf("unknown key %q: use type, source, target, readonly, volume-nocopy, tmpfs-size or tmpfs-mode", k))
		}
	}
	if m.Type == MountVolume && m.Source == "" {
		m.Anonymous = true
	}
	return m, m.check("--mount " + s)
}

// ParseTmpfs reads a --tmpfs option: PATH[:OPTIONS] with size=, mode= and ro|rw.
func ParseTmpfs(s string) (Mount, error) {
	target, opts, _ := strings.Cut(s, ":")
	m := Mount{Type: MountTmpfs, Target: target}
	for _, o := range splitOptions(opts) {
		k, v, _ := strings.Cut(o, "=")
		switch k {
		case "size":
			n, err := cgroup.ParseMemory(v)
			if err != nil || n <= 0 {
				return m, fmt.Errorf("--tmpfs %q: size %q is not a size: give one like size=64m", s, v)
			}
			m.Size = n
		case "mode":
			n, err := strconv.ParseUint(v, 8, 32)
			if err != nil || n > 0o7777 {
				return m, fmt.Errorf("--tmpfs %q: mode %q is not an octal mode: give one like mode=1777", s, v)
			}
			m.Mode = os.FileMode(n)
		case "ro":
			m.ReadOnly = true
		case "rw", "noexec", "nosuid", "nodev":
		default:
			return m, fmt.Errorf("--tmpfs %q: option %q is not supported: use size=, mode=, ro or rw", s, o)
		}
	}
	return m, m.check("--tmpfs " + s)
}

// check refuses a mount that names no target, a relative target, or a volume name
// Docker would refuse.
func (m Mount) check(flag string) error {
	if m.Target == "" || !strings.HasPrefix(m.Target, "/") {
		return fmt.Errorf("%s: the container's path %q must be absolute, e.g. /data", flag, m.Target)
	}
	if path.Clean(m.Target) == "/" {
		return fmt.Errorf("%s: a mount cannot replace the container's / (use --read-only for a read-only root)", flag)
	}
	switch m.Type {
	case MountBind:
		if !strings.HasPrefix(m.Source, "/") {
			return fmt.Errorf("%s: a bind needs the machine's absolute path as source", flag)
		}
	case MountVolume:
		if !m.Anonymous {
			if err := CheckVolumeName(m.Source); err != nil {
				return fmt.Errorf("%s: %w", flag, err)
			}
		}
	case MountTmpfs:
		if m.Source != "" {
			return fmt.Errorf("%s: a tmpfs has no source", flag)
		}
	}
	return nil
}

// CheckVolumeName accepts Docker's volume names: [a-zA-Z0-9][a-zA-Z0-9_.-]+.
func CheckVolumeName(name string) error {
	ok := len(name) >= 2 && len(name) <= 128
	for i := 0; ok && i < len(name); i++ {
		c := name[i]
		ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || i > 0 && (c == '_' || c == '.' || c == '-')
	}
	if !ok {
		return fmt.Errorf("volume name %q is invalid: use 2 to 128 letters, digits, '_', '.' and '-', starting with a letter or digit", name)
	}
	return nil
}

func splitOptions(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

func optionBool(v string, hasValue bool) (bool, error) {
	if !hasValue {
		return true, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, fmt.Errorf("%q is not true or false", v)
	}
	return b, nil
}

// Ulimit is a resource limit set on a container's command (--ulimit).
type Ulimit struct {
	// Name is the resource as Docker names it (nofile, nproc, core, ...).
	Name string
	// Soft and Hard are the limits; -1 is unlimited.
	Soft, Hard int64
}

// ulimitResources are the resources --ulimit knows, by Docker's names.
var ulimitResources = map[string]int{
	"core": unix.RLIMIT_CORE, "cpu": unix.RLIMIT_CPU, "data": unix.RLIMIT_DATA, "fsize": unix.RLIMIT_FSIZE,
	"locks": unix.RLIMIT_LOCKS, "memlock": unix.RLIMIT_MEMLOCK, "msgqueue": unix.RLIMIT_MSGQUEUE,
	"nice": unix.RLIMIT_NICE, "nofile": unix.RLIMIT_NOFILE, "nproc": unix.RLIMIT_NPROC,
	"rss": unix.RLIMIT_RSS, "rtprio": unix.RLIMIT_RTPRIO, "rttime": unix.RLIMIT_RTTIME,
	"sigpending": unix.RLIMIT_SIGPENDING, "stack": unix.RLIMIT_STACK,
}

// ParseUlimit reads NAME=SOFT[:HARD] (a hard limit defaults to the soft one).
func ParseUlimit(s string) (Ulimit, error) {
	name, values, ok := strings.Cut(s, "=")
	if _, known := ulimitResources[name]; !ok || !known {
		return Ulimit{}, fmt.Errorf("--ulimit %q is not NAME=SOFT[:HARD] with a known NAME (nofile, nproc, core, memlock, stack, ...): e.g. --ulimit nofile=1024:2048", s)
	}
	soft, hard, hasHard := strings.Cut(values, ":")
	u := Ulimit{Name: name}
	var err error
	if u.Soft, err = strconv.ParseInt(soft, 10, 64); err == nil && hasHard {
		u.Hard, err = strconv.ParseInt(hard, 10, 64)
	} else {
		u.Hard = u.Soft
	}
	if err != nil || u.Soft < -1 || u.Hard < -1 || u.Hard != -1 && (u.Soft == -1 || u.Soft > u.Hard) {
		return Ulimit{}, fmt.Errorf("--ulimit %q: limits are whole numbers (or -1 for none), the soft one at most the hard one, e.g. nofile=1024:2048", s)
	}
	return u, nil
}
