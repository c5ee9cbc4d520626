package core

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"

	pathrs "github.com/cyphar/filepath-securejoin/pathrs-lite"
	"golang.org/x/sys/unix"

	"workbench/atomicfile"
)

// Volume is a named volume: a directory of the instance's data directory,
// volumes/NAME/_data, as Docker keeps them, that containers mount (-v NAME:/path) and
// that outlives them.
type Volume struct {
	// Name names it.
	Name string
	// Mountpoint is its directory on the machine.
	Mountpoint string
	// CreatedAt is when it was made.
	CreatedAt time.Time
	// Anonymous marks a volume made for one container (-v /path), removed with it
	// under --rm and by volume prune.
	Anonymous bool `json:",omitempty"`
	// UsedBy names the containers that mount it (filled in when listed).
	UsedBy []string `json:",omitempty"`
}

func (e *Engine) volumesDir() string { return filepath.Join(e.inst.DataDir, "volumes") }

// MountSource is where a mount's files are on the machine: a bind mount's source, a
// volume's _data directory; "" for a tmpfs, which has none.
func (e *Engine) MountSource(m Mount) string {
	switch m.Type {
	case MountBind:
		return m.Source
	case MountVolume:
		return filepath.Join(e.volumesDir(), m.Source, "_data")
	}
	return ""
}

func (e *Engine) volumeFile(name string) string {
	return filepath.Join(e.volumesDir(), name, "volume.json")
}

// CreateVolume makes a named volume; one that exists already is returned as it is.
func (e *Engine) CreateVolume(ctx context.Context, name string) (Volume, error) {
	if err := CheckVolumeName(name); err != nil {
		return Volume{}, err
	}
	unlock, err := e.lock(ctx)
	if err != nil {
		return Volume{}, err
	}
	defer unlock()
	v, _, err := e.ensureVolume(name, false)
	return v, err
}

// ensureVolume makes a volume unless it exists; made says it was made now. The caller
// holds the lock.
func (e *Engine) ensureVolume(name string, anonymous bool) (v Volume, made bool, err error) {
	if v, err := e.loadVolume(name); err == nil {
		return v, false, nil
	}
	dir := filepath.Join(e.volumesDir(), name)
	v = Volume{Name: name, Mountpoint: filepath.Join(dir, "_data"), CreatedAt: time.Now(), Anonymous: anonymous}
	if err := os.MkdirAll(e.volumesDir(), 0o700); err != nil {
		return v, false, fmt.Errorf("make the volumes directory: %w", err)
	}
	if err := os.Mkdir(dir, 0o711); err != nil && !os.IsExist(err) {
		return v, false, fmt.Errorf("make volume %s: %w", name, err)
	}
	if err := os.Mkdir(v.Mountpoint, 0o755); err != nil && !os.IsExist(err) {
		return v, false, fmt.Errorf("make volume %s: %w", name, err)
	}
	b, _ := json.MarshalIndent(v, "", "  ")
	if err := atomicfile.Write(e.volumeFile(name), b); err != nil {
		return v, false, fmt.Errorf("record volume %s: %w", name, err)
	}
	e.log.AddArgs("mkdir", "-p", v.Mountpoint)
	e.volumeEvent("create", name)
	return v, true, nil
}

func (e *Engine) loadVolume(name string) (Volume, error) {
	var v Volume
	b, err := os.ReadFile(e.volumeFile(name))
	if err != nil {
		return v, fmt.Errorf("no such volume: %s (see workbench volume ls)", name)
	}
	if err := json.Unmarshal(b, &v); err != nil || v.Name != name {
		return v, fmt.Errorf("volume %s is damaged: remove it with workbench volume rm -f %s", name, name)
	}
	return v, nil
}

// Volumes lists every volume with the containers that mount it, by name.
func (e *Engine) Volumes(ctx context.Context) ([]Volume, error) {
	ents, err := os.ReadDir(e.volumesDir())
	if err != nil && !os.IsNotExist(err) {
		return nil, fmt.Errorf("list volumes: %w", err)
	}
	users, err := e.volumeUsers()
	if err != nil {
		return nil, err
	}
	var out []Volume
	for _, d := range ents {
		v, err := e.loadVolume(d.Name())
		if err != nil {
			continue
		}
		v.UsedBy = users[v.Name]
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// InspectVolume returns one volume with the containers that mount it.
func (e *Engine) InspectVolume(ctx context.Context, name string) (Volume, error) {
	v, err := e.loadVolume(name)
	if err != nil {
		return v, err
	}
	users, err := e.volumeUsers()
	v.UsedBy = users[name]
	return v, err
}

// volumeUsers maps each volume to the containers (running or not) that mount it.
func (e *Engine) volumeUsers() (map[string][]string, error) {
	cs, err := e.loadAll()
	if err != nil {
		return nil, err
	}
	users := map[string][]string{}
	for _, c := range cs {
		for _, m := range c.Mounts {
			if m.Type == MountVolume {
				users[m.Source] = append(users[m.Source], c.Name)
			}
		}
	}
	return users, nil
}

// RemoveVolume removes a volume and its data; one a container mounts is refused
// (with force too, as Docker refuses it).
func (e *Engine) RemoveVolume(ctx context.Context, name string, force bool) error {
	unlock, err := e.lock(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	return e.removeVolume(name, force)
}

func (e *Engine) removeVolume(name string, force bool) error {
	if _, err := e.loadVolume(name); err != nil && !(force && isDir(filepath.Join(e.volumesDir(), name))) {
		return err
	}
	users, err := e.volumeUsers()
	if err != nil {
		return err
	}
	if len(users[name]) > 0 {
		return fmt.Errorf("volume %s is in use by %v: remove those containers first (workbench rm)", name, users[name])
	}
	e.log.AddArgs("rm", "-rf", filepath.Join(e.volumesDir(), name))
	if err := os.RemoveAll(filepath.Join(e.volumesDir(), name)); err != nil {
		return fmt.Errorf("remove volume %s: %w", name, err)
	}
	e.volumeEvent("destroy", name)
	return nil
}

// PruneVolumes removes the volumes no container mounts: the anonymous ones, or every
// one with all. It returns the names removed and the bytes their files held.
func (e *Engine) PruneVolumes(ctx context.Context, all bool) ([]string, uint64, error) {
	unlock, err := e.lock(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer unlock()
	vs, err := e.Volumes(ctx)
	if err != nil {
		return nil, 0, err
	}
	var removed []string
	var freed uint64
	var errs []error
	for _, v := range vs {
		if len(v.UsedBy) > 0 || !(all || v.Anonymous) {
			continue
		}
		size := treeBytes(v.Mountpoint)
		if err := e.removeVolume(v.Name, false); err != nil {
			errs = append(errs, err)
			continue
		}
		removed = append(removed, v.Name)
		freed += size
	}
	return removed, freed, errors.Join(errs...)
}

// treeBytes is the disk space the files under dir take, as du counts it.
func treeBytes(dir string) uint64 {
	var n uint64
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		var st unix.Stat_t
		if err == nil && unix.Lstat(path, &st) == nil {
			n += uint64(st.Blocks) * 512
		}
		return nil
	})
	return n
}

// prepareVolumes makes the volumes a container mounts, at its start; a volume made
// now (or still empty) gets a copy of what the image has at its target, as Docker
// does, unless nocopy. The rootfs is mounted. The caller holds the lock.
func (e *Engine) prepareVolumes(c *Container) error {
	for _, m := range c.Mounts {
		if m.Type != MountVolume {
			continue
		}
		v, made, err := e.ensureVolume(m.Source, m.Anonymous)
		if err != nil {
			return err
		}
		if m.NoCopy || !(made || emptyDir(v.Mountpoint)) {
			continue
		}
		if err := e.copyUp(c, m.Target, v.Mountpoint); err != nil {
			return fmt.Errorf("fill volume %s from the image's %s: %w", v.Name, m.Target, err)
		}
	}
	return nil
}

// copyUp copies what the container's rootfs has at target (resolved inside it) into a
// volume's directory.
func (e *Engine) copyUp(c *Container, target, dir string) error {
	root, err := openRoot(c.Rootfs)
	if err != nil {
		return err
	}
	defer root.Close()
	h, err := pathrs.OpenatInRoot(root, target)
	if errors.Is(err, os.ErrNotExist) {
		return nil // nothing there to copy
	}
	if err != nil {
		return err
	}
	defer h.Close()
	src, err := pathrs.Reopen(h, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC)
	if err != nil {
		return nil // not a directory: nothing to copy into a volume
	}
	defer src.Close()
	dst, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer dst.Close()
	e.log.AddArgs("cp", "-a", filepath.Join(c.Rootfs, target)+"/.", dir)
	return copyTree(src, dst)
}

func emptyDir(dir string) bool {
	f, err := os.Open(dir)
	if err != nil {
		return false
	}
	defer f.Close()
	names, _ := f.Readdirnames(1)
	return len(names) == 0
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}
