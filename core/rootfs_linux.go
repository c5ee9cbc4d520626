package core

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"

	"workbench/cmdlog"
)

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

var devices = []device{
	{"null", 1, 3}, {"zero", 1, 5}, {"full", 1, 7}, {"random", 1, 8}, {"urandom", 1, 9}, {"tty", 5, 0},
}

// rootfsBuilder mounts a container's root filesystem from inside its new mount
// namespace and records each step as a shell command.
type rootfsBuilder struct {
	cfg *initConfig
	// root is where the rootfs is: the overlay's mount point, then / after pivot_root.
	root string
	log  []string
}

func (b *rootfsBuilder) record(args ...string) { b.log = append(b.log, cmdlog.Quote(args...)) }

// mount mounts and records the equivalent mount(8) command.
func (b *rootfsBuilder) mount(source, target, fstype string, flags uintptr, data string) error {
	b.log = append(b.log, mountCommand(source, target, fstype, flags, data))
	if err := unix.Mount(source, target, fstype, flags, data); err != nil {
		return fmt.Errorf("mount %s on %s: %w", fstype+source, target, err)
	}
	return nil
}

// mountCommand spells a mount(2) call as the mount(8) command that makes it.
func mountCommand(source, target, fstype string, flags uintptr, data string) string {
	if flags&unix.MS_PRIVATE != 0 {
		return cmdlog.Quote("mount", "--make-rprivate", target)
	}
	args := []string{"mount"}
	if fstype != "" {
		args = append(args, "-t", fstype)
	}
	if opts := mountOptions(flags, data); opts != "" {
		args = append(args, "-o", opts)
	}
	if source != "" {
		args = append(args, source)
	}
	return cmdlog.Quote(append(args, target)...)
}

// build makes the whole root filesystem and moves into it with pivot_root.
func (b *rootfsBuilder) build() error {
	c := b.cfg
	if err := b.mount("", "/", "", unix.MS_REC|unix.MS_PRIVATE, ""); err != nil {
		return err
	}
	if c.OverlayMounted {
		// A mount copied from the machine's namespace into a user namespace's is locked
		// and cannot be pivoted to: bind it on itself to get one of the namespace's own.
		if err := b.mount(c.Merged, c.Merged, "", unix.MS_BIND|unix.MS_REC, ""); err != nil {
			return err
		}
	} else {
		b.log = append(b.log, overlayCommand(c.Layers, c.Upper, c.Work, c.Merged))
		if err := mountOverlay(c.Layers, c.Upper, c.Work, c.Merged); err != nil {
			return err
		}
	}
	steps := []func() error{b.mountProc, b.mountDev, b.bindFiles, b.pivot}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return b.maskPaths("/proc/")
}

// finish mounts /sys, which shows the network namespace of its mounter, once the
// init is in the container's, and hides what runc hides there.
func (b *rootfsBuilder) finish() error {
	if err := b.mountSys(); err != nil {
		return err
	}
	return b.maskPaths("/sys/")
}

func (b *rootfsBuilder) path(p string) string { return filepath.Join(b.root, p) }

func (b *rootfsBuilder) mountProc() error {
	dir := b.path("/proc")
	if err := os.MkdirAll(dir, 0o555); err != nil {
		return fmt.Errorf("make /proc in the rootfs: %w", err)
	}
	return b.mount("proc", dir, "proc", unix.MS_NOSUID|unix.MS_NODEV|unix.MS_NOEXEC, "")
}

func (b *rootfsBuilder) mountSys() error {
	dir := b.path("/sys")
	if err := os.MkdirAll(dir, 0o555); err != nil {
		return fmt.Errorf("make /sys in the rootfs: %w", err)
	}
	flags := uintptr(unix.MS_NOSUID | unix.MS_NODEV | unix.MS_NOEXEC | unix.MS_RDONLY)
	err := b.mount("sysfs", dir, "sysfs", flags, "")
	if err == nil || !errors.Is(err, unix.EPERM) {
		return err
	}
	// A user namespace may not mount sysfs for a network namespace it does not own:
	// bind the machine's, read-only, as runc does.
	if err := b.mount("/sys", dir, "", unix.MS_BIND|unix.MS_REC, ""); err != nil {
		return err
	}
	return b.mount("", dir, "", unix.MS_BIND|unix.MS_REMOUNT|unix.MS_RDONLY|flags, "")
}

func (b *rootfsBuilder) mountDev() error {
	dev := b.path("/dev")
	if err := os.MkdirAll(dev, 0o755); err != nil {
		return fmt.Errorf("make /dev in the rootfs: %w", err)
	}
	if err := b.mount("tmpfs", dev, "tmpfs", unix.MS_NOSUID|unix.MS_STRICTATIME, "mode=755,size=65536k"); err != nil {
		return err
	}
	for _, d := range devices {
		if err := b.makeDevice(dev, d); err != nil {
			return err
		}
	}
	links := [][2]string{{"pts/ptmx", "ptmx"}, {"/proc/self/fd", "fd"}, {"/proc/self/fd/0", "stdin"},
		{"/proc/self/fd/1", "stdout"}, {"/proc/self/fd/2", "stderr"}, {"/proc/kcore", "core"}}
	for _, l := range links {
		if err := os.Symlink(l[0], filepath.Join(dev, l[1])); err != nil {
			return fmt.Errorf("link /dev/%s: %w", l[1], err)
		}
	}
	for _, d := range []string{"pts", "shm", "mqueue"} {
		if err := os.Mkdir(filepath.Join(dev, d), 0o755); err != nil {
			return fmt.Errorf("make /dev/%s: %w", d, err)
		}
	}
	if err := b.mount("devpts", filepath.Join(dev, "pts"), "devpts", unix.MS_NOSUID|unix.MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620,gid=5"); err != nil {
		return err
	}
	if err := b.mount("shm", filepath.Join(dev, "shm"), "tmpfs", unix.MS_NOSUID|unix.MS_NODEV|unix.MS_NOEXEC, "mode=1777,size=65536k"); err != nil {
		return err
	}
	return b.mount("mqueue", filepath.Join(dev, "mqueue"), "mqueue", unix.MS_NOSUID|unix.MS_NODEV|unix.MS_NOEXEC, "")
}

// makeDevice makes one node; in a user namespace, where mknod is not allowed, it binds
// the machine's node instead.
func (b *rootfsBuilder) makeDevice(dev string, d device) error {
	p := filepath.Join(dev, d.name)
	if !b.cfg.Userns {
		b.record("mknod", "-m", "666", p, "c", itoa(int(d.major)), itoa(int(d.minor)))
		if err := unix.Mknod(p, unix.S_IFCHR|0o666, int(unix.Mkdev(d.major, d.minor))); err != nil {
			return fmt.Errorf("make /dev/%s: %w", d.name, err)
		}
		return unix.Chmod(p, 0o666)
	}
	f, err := os.OpenFile(p, os.O_CREATE|os.O_WRONLY, 0o666)
	if err != nil {
		return fmt.Errorf("make /dev/%s: %w", d.name, err)
	}
	f.Close()
	return b.mount("/dev/"+d.name, p, "", unix.MS_BIND, "")
}

// bindFiles binds /etc/hostname, /etc/hosts and /etc/resolv.conf from the container's
// directory, so the engine can rewrite them while it runs.
func (b *rootfsBuilder) bindFiles() error {
	for _, inside := range sortedKeys(b.cfg.Files) {
		target := b.path(inside)
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return fmt.Errorf("make %s in the rootfs: %w", filepath.Dir(inside), err)
		}
		if _, err := os.Lstat(target); err != nil {
			f, err := os.OpenFile(target, os.O_CREATE|os.O_WRONLY, 0o644)
			if err != nil {
				return fmt.Errorf("make %s in the rootfs: %w", inside, err)
			}
			f.Close()
		}
		if err := b.mount(b.cfg.Files[inside], target, "", unix.MS_BIND, ""); err != nil {
			return err
		}
	}
	return nil
}

// pivot makes the overlay the root with pivot_root and detaches the old root, runc's
// way: pivot_root . . then umount the old root stacked underneath.
func (b *rootfsBuilder) pivot() error {
	b.record("cd", b.cfg.Merged)
	if err := unix.Chdir(b.cfg.Merged); err != nil {
		return fmt.Errorf("enter the rootfs %s: %w", b.cfg.Merged, err)
	}
	b.record("pivot_root", ".", ".")
	if err := unix.PivotRoot(".", "."); err != nil {
		return fmt.Errorf("pivot_root into %s: %w", b.cfg.Merged, err)
	}
	b.record("umount", "-l", ".")
	if err := unix.Unmount(".", unix.MNT_DETACH); err != nil {
		return fmt.Errorf("detach the old root: %w", err)
	}
	b.root = "/"
	return unix.Chdir("/")
}

// maskPaths hides maskedPaths and makes readonlyPaths read-only, those under prefix.
func (b *rootfsBuilder) maskPaths(prefix string) error {
	for _, p := range maskedPaths {
		if !strings.HasPrefix(p, prefix) {
			continue
		}
		fi, err := os.Stat(p)
		if err != nil {
			continue
		}
		if fi.IsDir() {
			err = b.mount("tmpfs", p, "tmpfs", unix.MS_RDONLY, "size=0")
		} else {
			err = b.mount("/dev/null", p, "", unix.MS_BIND, "")
		}
		if err != nil {
			return err
		}
	}
	for _, p := range readonlyPaths {
		if !strings.HasPrefix(p, prefix) {
			continue
		}
		if _, err := os.Stat(p); err != nil {
			continue
		}
		if err := b.mount(p, p, "", unix.MS_BIND|unix.MS_REC, ""); err != nil {
			return err
		}
		flags := uintptr(unix.MS_BIND | unix.MS_REMOUNT | unix.MS_RDONLY | unix.MS_NOSUID | unix.MS_NODEV | unix.MS_NOEXEC)
		if err := b.mount("", p, "", flags, ""); err != nil {
			return err
		}
	}
	return nil
}

// mountOptions spells mount flags and data as mount(8)'s -o does.
func mountOptions(flags uintptr, data string) string {
	names := []struct {
		flag uintptr
		name string
	}{{unix.MS_REMOUNT, "remount"}, {unix.MS_BIND | unix.MS_REC, "rbind"}, {unix.MS_BIND, "bind"},
		{unix.MS_RDONLY, "ro"}, {unix.MS_NOSUID, "nosuid"}, {unix.MS_NODEV, "nodev"},
		{unix.MS_NOEXEC, "noexec"}, {unix.MS_STRICTATIME, "strictatime"}}
	var opts []string
	for _, n := range names {
		if flags&n.flag == n.flag {
			opts = append(opts, n.name)
			flags &^= n.flag
		}
	}
	if data != "" {
		opts = append(opts, data)
	}
	return strings.Join(opts, ",")
}
