package core

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"

	"workbench/core/launch"
)

// A container's root filesystem is made in two halves. On the machine, before the
// clone: the overlay of the image's layers under the container's writable layer, and
// every mount point inside it, resolved within the rootfs so that no symlink of the
// image leads a write out of it (rootfsPlan). In the clone: the mounts onto those
// points, pivot_root and the masks (rootfsSteps).

// maskedPaths are hidden from the container as runc and Docker hide them: files get
// /dev/null bound over them, directories an empty read-only tmpfs.
var maskedPaths = []string{
	"/proc/asound", "/proc/acpi", "/proc/interrupts", "/proc/kcore", "/proc/keys",
	"/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
	"/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap",
}

// readonlyPaths are visible but read-only inside the container.
var readonlyPaths = []string{
	"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
}

// device is one node made in the container's /dev.
type device struct {
	name         string
	major, minor uint32
}

// devices are the nodes of a container's /dev: Docker's defaults.
var devices = []device{
	{"null", 1, 3}, {"zero", 1, 5}, {"full", 1, 7}, {"random", 1, 8}, {"urandom", 1, 9}, {"tty", 5, 0},
}

// initPath is where --init's reaper is bound inside a container.
const initPath = "/dev/init"

// rootfsPlan is the machine-side half: where the clone mounts what.
type rootfsPlan struct {
	// merged is the overlay's mount point on the machine.
	merged string
	// binds are files of the container's directory bound over files of the rootfs
	// (targets are machine paths under merged).
	binds [][2]string
	// userns says the clone is root of a user namespace only: it binds device nodes
	// and /sys instead of making them.
	userns bool
	// init is the reaper's binary on the machine (this one), bound at initPath, or "".
	init string
	// tty makes /dev/console a mount point for the container's terminal.
	tty bool
	// mounts are the container's own mounts, their targets resolved.
	mounts []plannedMount
	// readOnly remounts the root read-only once pivoted into.
	readOnly bool
	// privileged binds the machine's /dev, leaves /sys writable and masks nothing.
	privileged bool
	// shmSize is /dev/shm's size in bytes.
	shmSize int64
}

// plannedMount is a Mount with its source on the machine and its target resolved
// inside the rootfs (a machine path under merged).
type plannedMount struct {
	typ, source, target, data string
	readOnly                  bool
}

// planRootfs resolves the mount points of a container whose overlay is mounted: /proc,
// /sys and /dev must be directories of the rootfs itself, the bound /etc files are
// made (following symlinks only inside the rootfs), and the working directory is made
// as runc makes it. It returns the plan and the working directory inside.
func (e *Engine) planRootfs(c *Container) (rootfsPlan, string, error) {
	plan := rootfsPlan{merged: c.Rootfs, userns: c.Userns, tty: c.Tty, readOnly: c.ReadOnly,
		privileged: c.Privileged, shmSize: c.ShmSize}
	if c.Init {
		// A path, not /proc/self/exe: a bind's source must be in the clone's own mount
		// namespace, and the magic link names this process's.
		exe, err := os.Executable()
		if err != nil {
			return plan, "", fmt.Errorf("find this binary for --init: %w", err)
		}
		plan.init = exe
	}
	root, err := openRoot(c.Rootfs)
	if err != nil {
		return plan, "", err
	}
	defer root.Close()
	for _, d := range []string{"/proc", "/sys", "/dev"} {
		if _, err := realDirInRoot(root, c.Rootfs, d); err != nil {
			return plan, "", err
		}
	}
	dir := e.Dir(c.ID)
	for _, f := range []struct{ inside, file string }{
		{"/etc/hostname", hostnameFile}, {"/etc/hosts", hostsFile}, {"/etc/resolv.conf", resolvFile},
	} {
		target, err := mountPointInRoot(root, f.inside)
		if err != nil {
			return plan, "", err
		}
		plan.binds = append(plan.binds, [2]string{filepath.Join(dir, f.file), target})
	}
	for _, m := range c.Mounts {
		pm, err := e.planMount(root, m)
		if err != nil {
			return plan, "", err
		}
		plan.mounts = append(plan.mounts, pm)
	}
	cwd, err := mkdirInRoot(root, c.WorkingDir, 0o755)
	if err != nil {
		return plan, "", err
	}
	if cwd, err = inside(c.Rootfs, cwd); err != nil {
		return plan, "", err
	}
	return plan, cwd, nil
}

// planMount resolves one of the container's mounts: its source on the machine and its
// target inside the rootfs (a file for a bind of a file, else a directory), made when
// missing.
func (e *Engine) planMount(root *os.File, m Mount) (plannedMount, error) {
	pm := plannedMount{typ: m.Type, readOnly: m.ReadOnly}
	file := false
	switch m.Type {
	case MountBind:
		pm.source = e.MountSource(m)
		st, err := os.Stat(m.Source)
		if err != nil {
			return pm, fmt.Errorf("bind source %s: %w", m.Source, err)
		}
		file = !st.IsDir()
	case MountVolume:
		pm.source = e.MountSource(m)
	case MountTmpfs:
		pm.data = "mode=" + strconv.FormatUint(uint64(m.Mode.Perm()|m.Mode&os.ModeSticky), 8)
		if m.Mode == 0 {
			pm.data = "mode=1777"
		}
		if m.Size > 0 {
			pm.data += ",size=" + strconv.FormatInt(m.Size, 10)
		}
	}
	var err error
	if file {
		pm.target, err = mountPointInRoot(root, m.Target)
	} else {
		pm.target, err = mkdirInRoot(root, m.Target, 0o755)
	}
	return pm, err
}

// rootfsSteps adds the clone's half: a private mount tree, the overlay as a mount of
// its own, /proc, /dev with Docker's nodes, /dev/pts, /dev/shm, /dev/mqueue, the bound
// files, /sys (which shows the network namespace of its mounter: the clone is in the
// container's already), pivot_root into the overlay, then the masked and read-only
// paths.
func rootfsSteps(p *launch.Program, r rootfsPlan) {
	at := func(name string) string { return r.merged + name }
	p.Mount("", "/", "", unix.MS_REC|unix.MS_PRIVATE, "")
	// A mount copied into a user namespace's is locked and cannot be pivoted to: a
	// bind of it on itself is one of the namespace's own.
	p.Mount(r.merged, r.merged, "", unix.MS_BIND|unix.MS_REC, "")
	p.Mount("proc", at("/proc"), "proc", unix.MS_NOSUID|unix.MS_NODEV|unix.MS_NOEXEC, "")
	devSteps(p, r)
	p.Umask(0o022)
	for _, b := range r.binds {
		p.Mount(b[0], b[1], "", unix.MS_BIND, "")
	}
	for _, m := range r.mounts {
		mountSteps(p, m)
	}
	sysSteps(p, r)
	p.Chdir(r.merged)
	p.PivotRoot()
	p.Unmount(".")
	p.Chdir("/")
	if r.readOnly {
		p.Mount("", "/", "", unix.MS_BIND|unix.MS_REMOUNT|unix.MS_RDONLY, "")
	}
	if !r.privileged {
		maskSteps(p)
	}
}

// devSteps makes the container's /dev: a tmpfs with Docker's nodes, or the machine's
// own /dev with --privileged; then /dev/pts of its own, /dev/shm and /dev/mqueue.
func devSteps(p *launch.Program, r rootfsPlan) {
	at := func(name string) string { return r.merged + name }
	p.Umask(0)
	if r.privileged {
		p.Mount("/dev", at("/dev"), "", unix.MS_BIND|unix.MS_REC, "")
	} else {
		p.Mount("tmpfs", at("/dev"), "tmpfs", unix.MS_NOSUID|unix.MS_STRICTATIME, "mode=755,size=65536k")
		nodeSteps(p, r)
	}
	for _, d := range []string{"pts", "shm", "mqueue"} {
		p.Mkdir(at("/dev/"+d), 0o755)
	}
	p.Mount("devpts", at("/dev/pts"), "devpts", unix.MS_NOSUID|unix.MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620,gid=5")
	p.Mount("shm", at("/dev/shm"), "tmpfs", unix.MS_NOSUID|unix.MS_NODEV|unix.MS_NOEXEC, "mode=1777,size="+strconv.FormatInt(r.shmSize, 10))
	p.Mount("mqueue", at("/dev/mqueue"), "mqueue", unix.MS_NOSUID|unix.MS_NODEV|unix.MS_NOEXEC, "")
	if r.tty {
		p.CreateFile(at("/dev/console"), 0o620)
	}
	if r.init != "" {
		p.CreateFile(at(initPath), 0o755)
		p.Mount(r.init, at(initPath), "", unix.MS_BIND, "")
		p.Mount("", at(initPath), "", unix.MS_BIND|unix.MS_REMOUNT|unix.MS_RDONLY|unix.MS_NOSUID|unix.MS_NODEV, "")
	}
}

// nodeSteps makes Docker's device nodes in a new /dev, and its links.
func nodeSteps(p *launch.Program, r rootfsPlan) {
	at := func(name string) string { return r.merged + name }
	for _, d := range devices {
		node := at("/dev/" + d.name)
		if r.userns {
			// mknod is not allowed in a user namespace: bind the machine's node.
			p.CreateFile(node, 0o666)
			p.Mount("/dev/"+d.name, node, "", unix.MS_BIND, "")
		} else {
			p.Mknod(node, 0o666, d.major, d.minor)
		}
	}
	for _, l := range [][2]string{{"pts/ptmx", "ptmx"}, {"/proc/self/fd", "fd"}, {"/proc/self/fd/0", "stdin"},
		{"/proc/self/fd/1", "stdout"}, {"/proc/self/fd/2", "stderr"}, {"/proc/kcore", "core"}} {
		p.Symlink(l[0], at("/dev/"+l[1]))
	}
}

// mountSteps mounts one of the container's own mounts on its resolved target.
func mountSteps(p *launch.Program, m plannedMount) {
	if m.typ == MountTmpfs {
		flags := uintptr(unix.MS_NOSUID | unix.MS_NODEV | unix.MS_NOEXEC)
		if m.readOnly {
			flags |= unix.MS_RDONLY
		}
		p.Mount("tmpfs", m.target, "tmpfs", flags, m.data)
		return
	}
	p.Mount(m.source, m.target, "", unix.MS_BIND|unix.MS_REC, "")
	if m.readOnly {
		p.Mount("", m.target, "", unix.MS_BIND|unix.MS_REMOUNT|unix.MS_RDONLY, "")
	}
}

// sysSteps mounts /sys (read-only unless --privileged), which shows the network
// namespace of its mounter: the clone is in the container's already.
func sysSteps(p *launch.Program, r rootfsPlan) {
	sys := r.merged + "/sys"
	flags := uintptr(unix.MS_NOSUID | unix.MS_NODEV | unix.MS_NOEXEC)
	if !r.privileged {
		flags |= unix.MS_RDONLY
	}
	i := p.Mount("sysfs", sys, "sysfs", flags, "")
	p.Otherwise(i, func() {
		// A user namespace may not mount sysfs for a network namespace it does not
		// own: bind the machine's, read-only, as runc does.
		p.Mount("/sys", sys, "", unix.MS_BIND|unix.MS_REC, "")
		p.Mount("", sys, "", unix.MS_BIND|unix.MS_REMOUNT|flags|unix.MS_RDONLY, "")
	})
}

// maskSteps hides maskedPaths and makes readonlyPaths read-only.
func maskSteps(p *launch.Program) {
	for _, m := range maskedPaths {
		i := p.Mount("tmpfs", m, "tmpfs", unix.MS_RDONLY, "size=0")
		p.Tolerate(i, unix.ENOENT)
		p.Otherwise(i, func() { p.Mount("/dev/null", m, "", unix.MS_BIND, "") })
	}
	for _, m := range readonlyPaths {
		i := p.Mount(m, m, "", unix.MS_BIND|unix.MS_REC, "")
		p.Tolerate(i, unix.ENOENT)
		i = p.Mount("", m, "", unix.MS_BIND|unix.MS_REMOUNT|unix.MS_RDONLY|unix.MS_NOSUID|unix.MS_NODEV|unix.MS_NOEXEC, "")
		p.Tolerate(i, unix.ENOENT)
	}
}

// layerDir is the tmpfs of a container's writable layer: upper and work directories,
// bounded at the container's StorageSize.
func (e *Engine) layerDir(id string) string { return filepath.Join(e.Dir(id), layerDirName) }

// mountLayer mounts the tmpfs of a container's writable layer and makes its upper and
// work directories (owned by the user namespace's root with --userns). The layer
// lives as long as the container: start after stop finds it as it was.
func (e *Engine) mountLayer(c *Container) error {
	dir := e.layerDir(c.ID)
	if err := os.Mkdir(dir, 0o700); err != nil && !os.IsExist(err) {
		return fmt.Errorf("make the writable layer's directory: %w", err)
	}
	data := fmt.Sprintf("size=%d,mode=0700", c.StorageSize)
	e.log.Add(launch.MountCommand("tmpfs", dir, "tmpfs", unix.MS_NOSUID|unix.MS_NODEV, data))
	if err := unix.Mount("tmpfs", dir, "tmpfs", unix.MS_NOSUID|unix.MS_NODEV, data); err != nil {
		return fmt.Errorf("mount the writable layer of %s: %w", c.Name, err)
	}
	for _, d := range []string{upperDir, workDir} {
		p := filepath.Join(dir, d)
		if err := os.Mkdir(p, 0o755); err != nil {
			return fmt.Errorf("make %s: %w", p, err)
		}
		if c.Userns {
			if err := os.Chown(p, usernsBase, usernsBase); err != nil {
				return fmt.Errorf("give %s to the user namespace: %w", p, err)
			}
		}
	}
	return nil
}

// mountRootfs mounts the overlay of a container's image layers under its writable
// layer on its mount point.
func (e *Engine) mountRootfs(c *Container) error {
	layer := e.layerDir(c.ID)
	upper, work := filepath.Join(layer, upperDir), filepath.Join(layer, workDir)
	e.log.Add(overlayCommand(c.Layers, upper, work, c.Rootfs))
	return mountOverlay(c.Layers, upper, work, c.Rootfs)
}

// unmount detaches a mount if there is one; nothing mounted is not an error.
func (e *Engine) unmount(target string) error {
	err := unix.Unmount(target, unix.MNT_DETACH)
	switch {
	case err == nil:
		e.log.AddArgs("umount", "-l", target)
		return nil
	case err == unix.EINVAL || err == unix.ENOENT:
		return nil
	}
	return fmt.Errorf("unmount %s: %w", strings.TrimSpace(target), err)
}
