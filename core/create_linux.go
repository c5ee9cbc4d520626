package core

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"workbench/core/cgroup"
	"workbench/core/network"
	"workbench/images"
)

// create makes a new container's directory and state, the files bound into it and the
// overlay's directories, and plans its network; with provision it also makes the
// network namespace and endpoints and the cgroup (otherwise start makes them while the
// init boots). The caller holds the instance lock. On failure everything made is
// removed again.
func (e *Engine) create(ctx context.Context, spec RunSpec, provision bool) (c Container, err error) {
	if err := checkOverlay(); err != nil {
		return c, err
	}
	if err := spec.Limits.Validate(); err != nil {
		return c, err
	}
	all, err := e.loadAll()
	if err != nil {
		return c, err
	}
	c, err = e.newContainer(spec, all)
	if err != nil {
		return c, err
	}
	img, err := e.resolveImage(ctx, spec.Image)
	if err != nil {
		return c, err
	}
	c.ImageID, c.Layers = img.ID, img.Layers
	c.Cmd = commandLine(img.Config, spec.Args)
	if len(c.Cmd) == 0 {
		return c, fmt.Errorf("no command: image %s has no default command; give one after the image, e.g. workbench run %s sh", spec.Image, spec.Image)
	}
	c.Env = containerEnv(img.Config, c.Hostname, spec.Tty, spec.Env)
	c.WorkingDir = firstNonEmpty(spec.WorkingDir, img.Config.WorkingDir, "/")
	c.User = firstNonEmpty(spec.User, img.Config.User)
	if err := e.makeDir(&c); err != nil {
		return c, err
	}
	defer func() {
		if err != nil {
			e.release(ctx, &c)
			os.RemoveAll(e.Dir(c.ID))
		}
	}()
	if err := e.planNetwork(&c, spec.Net, all); err != nil {
		return c, err
	}
	if err := e.save(c); err != nil {
		return c, err
	}
	if !provision {
		return c, nil
	}
	if err := e.provision(ctx, &c, spec.Net, 0); err != nil {
		return c, err
	}
	if c.Userns {
		// The init, root of its user namespace only, may not read the image's layers:
		// mount the rootfs for it here; its mount namespace gets a copy.
		dir := e.Dir(c.ID)
		e.log.Add(overlayCommand(c.Layers, c.UpperDir, filepath.Join(dir, workDir), c.Rootfs))
		if err := mountOverlay(c.Layers, c.UpperDir, filepath.Join(dir, workDir), c.Rootfs); err != nil {
			return c, err
		}
	}
	return c, e.save(c)
}

// provision makes a container's network and its cgroup, side by side, and puts pid
// (when not 0) in the cgroup.
func (e *Engine) provision(ctx context.Context, c *Container, n NetSpec, pid int) error {
	netErr := make(chan error, 1)
	go func() { netErr <- e.makeNetwork(ctx, c, n) }()
	g, cgErr := cgroup.Create(e.inst, c.CgroupID, c.Limits, e.log)
	if cgErr == nil && pid > 0 {
		cgErr = g.AddProcess(pid)
	}
	return errors.Join(<-netErr, cgErr)
}

// newContainer fills in a container's identity and options; it makes nothing.
func (e *Engine) newContainer(spec RunSpec, all []Container) (Container, error) {
	taken := func(name string) bool {
		for _, o := range all {
			if o.Name == name {
				return true
			}
		}
		return false
	}
	c := Container{ID: NewID(), Name: spec.Name, Image: spec.Image, State: StateCreated,
		Tty: spec.Tty, Interactive: spec.Interactive, AutoRemove: spec.AutoRemove,
		Userns: spec.Userns, Limits: spec.Limits, Created: time.Now()}
	if c.Name == "" {
		c.Name = RandomName(taken)
	} else if err := CheckName(c.Name); err != nil {
		return c, err
	} else if taken(c.Name) {
		return c, fmt.Errorf("container name %q is already in use: remove it (workbench rm %s) or choose another name", c.Name, c.Name)
	}
	c.Hostname = spec.Hostname
	if c.Hostname == "" {
		c.Hostname = c.ShortID()
	} else if err := checkHostname(c.Hostname); err != nil {
		return c, err
	}
	c.CgroupID = c.ID
	dir := e.Dir(c.ID)
	c.Rootfs, c.UpperDir = filepath.Join(dir, mergedDir), filepath.Join(dir, upperDir)
	return c, nil
}

// checkHostname accepts an RFC 1123 host name of at most 64 characters.
func checkHostname(h string) error {
	ok := len(h) <= 64
	for i := 0; ok && i < len(h); i++ {
		ch := h[i]
		ok = ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || (ch == '-' || ch == '.') && i > 0
	}
	if !ok {
		return fmt.Errorf("host name %q is invalid: use letters, digits, '-' and '.', at most 64 characters", h)
	}
	return nil
}

// makeDir makes the container's directory with its state and the files bound into it.
func (e *Engine) makeDir(c *Container) error {
	dir := e.Dir(c.ID)
	if err := e.ensureStateFs(); err != nil {
		return err
	}
	if err := os.Mkdir(dir, 0o711); err != nil {
		return fmt.Errorf("make the container directory: %w", err)
	}
	if err := e.save(*c); err != nil {
		os.RemoveAll(dir)
		return err
	}
	files := map[string]string{
		hostnameFile: c.Hostname + "\n",
		hostsFile:    "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n",
		resolvFile:   "# The lab has no name server: the names of peers are in /etc/hosts.\n",
		logFile:      "",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			return fmt.Errorf("write %s: %w", name, err)
		}
	}
	for _, d := range []string{upperDir, workDir, mergedDir} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o755); err != nil {
			return fmt.Errorf("make %s: %w", d, err)
		}
		if c.Userns {
			if err := os.Chown(filepath.Join(dir, d), usernsBase, usernsBase); err != nil {
				return fmt.Errorf("give %s to the user namespace: %w", d, err)
			}
		}
	}
	return nil
}

// planNetwork decides where a container's network namespace is, as its mode asks:
// its own file, a lab host's (host) or another container's (container:NAME).
func (e *Engine) planNetwork(c *Container, n NetSpec, all []Container) error {
	c.NetMode, c.Host = firstNonEmpty(n.Mode, "bridge"), firstNonEmpty(n.Host, network.DefaultHost)
	switch {
	case c.NetMode == "host":
		p, err := e.net.HostNetnsPath(c.Host)
		c.NetnsPath = p
		return err
	case strings.HasPrefix(c.NetMode, "container:"):
		other, err := lookupIn(all, strings.TrimPrefix(c.NetMode, "container:"))
		if err != nil {
			return fmt.Errorf("--net %s: %w", c.NetMode, err)
		}
		if other.State != StateRunning {
			return fmt.Errorf("--net %s: container %s is not running: start a container that is", c.NetMode, other.Name)
		}
		c.NetnsPath, c.Host = other.NetnsPath, other.Host
		return nil
	}
	c.NetnsPath = filepath.Join(e.Dir(c.ID), netnsFile)
	return nil
}

// ownsNetns says whether the container's network namespace is its own.
func (e *Engine) ownsNetns(c *Container) bool {
	return c.NetnsPath == filepath.Join(e.Dir(c.ID), netnsFile)
}

// makeNetwork makes what planNetwork decided: the lab host of host mode, or the
// container's own namespace with its loopback, endpoint and published ports.
func (e *Engine) makeNetwork(ctx context.Context, c *Container, n NetSpec) error {
	if !e.ownsNetns(c) {
		if c.NetMode == "host" && c.Host != network.RealHost {
			return e.net.EnsureLab(ctx)
		}
		return nil
	}
	if err := e.makeNetns(c.NetnsPath); err != nil {
		return err
	}
	if err := network.LoopbackUp(c.NetnsPath); err != nil {
		return err
	}
	if c.NetMode == "none" {
		return nil
	}
	if err := e.net.EnsureLab(ctx); err != nil {
		return err
	}
	netName := c.NetMode
	if netName == "bridge" {
		netName = ""
	}
	a, err := e.net.Attach(ctx, network.AttachRequest{Host: c.Host, Network: netName,
		ContainerID: c.ID, ContainerName: c.Name, NetnsPath: c.NetnsPath, IP: n.IP,
		HostsFile: filepath.Join(e.Dir(c.ID), hostsFile)})
	if err != nil {
		return err
	}
	c.Networks = append(c.Networks, a)
	if len(n.Ports) > 0 {
		b, err := e.net.Publish(ctx, a, n.Ports)
		if err != nil {
			return err
		}
		c.Ports = b
	}
	return nil
}

// resolveImage finds an image in the instance's store.
func (e *Engine) resolveImage(ctx context.Context, ref string) (*images.Image, error) {
	if ref == "" {
		return nil, errors.New("no image: give one, e.g. workbench run busybox sh")
	}
	store, err := images.Open(e.inst.ImagesDir(), e.log)
	if err != nil {
		return nil, err
	}
	return store.Resolve(ctx, ref)
}

// checkOverlay fails when the kernel has no overlayfs.
func checkOverlay() error {
	b, err := os.ReadFile("/proc/filesystems")
	if err != nil || strings.Contains(string(b), "\toverlay\n") {
		return nil
	}
	var u unix.Utsname
	if unix.Uname(&u) == nil {
		mods, _ := filepath.Glob("/lib/modules/" + unix.ByteSliceToString(u.Release[:]) + "/kernel/fs/overlayfs/overlay.ko*")
		if len(mods) > 0 {
			return nil // loaded on the first mount
		}
	}
	return errors.New("this kernel has no overlayfs, which every container's root filesystem needs: load it with `modprobe overlay`")
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
