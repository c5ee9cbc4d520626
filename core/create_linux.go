package core

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"workbench/core/network"
	"workbench/errkind"
	"workbench/images"
)

// create makes a new container: its state first (naming this process as the one
// making it, so that a command killed half-way is reconciled), then its directory's
// files and its writable layer. The network and the cgroup are made at start. The
// caller holds the lock. On failure everything made is removed again.
func (e *Engine) create(ctx context.Context, spec RunSpec) (c Container, err error) {
	if err := checkOverlay(); err != nil {
		return c, err
	}
	if err := spec.Limits.Validate(); err != nil {
		return c, err
	}
	if spec.AutoRemove && spec.Restart.Name != "" && spec.Restart.Name != "no" {
		return c, errors.New("--restart and --rm conflict: a container removed when it exits cannot be restarted; drop one")
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
	c.Cmd = commandLine(img.Config, spec.Entrypoint, spec.Args)
	if len(c.Cmd) == 0 {
		return c, fmt.Errorf("no command: image %s has no default command; give one after the image, e.g. workbench run %s sh", spec.Image, spec.Image)
	}
	c.Env = containerEnv(img.Config, c.Hostname, spec.Tty, spec.Env)
	c.WorkingDir = firstNonEmpty(spec.WorkingDir, img.Config.WorkingDir, "/")
	c.User = firstNonEmpty(spec.User, img.Config.User)
	if err := e.planNetwork(ctx, &c, spec.Net, all); err != nil {
		return c, err
	}
	if spec.Net.PublishAll {
		if err := publishExposed(&c, img.Config.ExposedPorts); err != nil {
			return c, err
		}
	}
	if err := e.makeDir(&c, spec); err != nil {
		return c, err
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, e.destroy(ctx, &c, true))
		}
	}()
	return c, e.mountLayer(&c)
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
		Userns: spec.Userns, Limits: spec.Limits, Created: time.Now(), Init: spec.Init,
		Restart: spec.Restart, StorageSize: spec.StorageSize,
		Security: Security{Caps: append([]string(nil), DefaultCaps...), Seccomp: firstNonEmpty(spec.Seccomp, SeccompDefault)},
		OwnerPid: os.Getpid(), OwnerStart: procStart(os.Getpid())}
	if c.StorageSize == 0 {
		c.StorageSize = DefaultStorageSize
	}
	if err := c.applyRunOptions(spec); err != nil {
		return c, err
	}
	if c.Name == "" {
		c.Name = RandomName(taken)
	} else if err := CheckName(c.Name); err != nil {
		return c, err
	} else if taken(c.Name) {
		return c, errkind.New(errkind.Exists, "container", c.Name, "container name %q is already in use", c.Name)
	}
	c.Hostname = spec.Hostname
	if c.Hostname == "" {
		c.Hostname = c.ShortID()
	} else if err := checkHostname(c.Hostname); err != nil {
		return c, err
	}
	c.CgroupID = c.ID
	dir := e.Dir(c.ID)
	c.Rootfs, c.UpperDir = filepath.Join(dir, mergedDir), filepath.Join(dir, layerDirName, upperDir)
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

// makeDir makes the container's directory with its state, then the files bound into
// it and the overlay's mount point. The directory is root's only; with --userns the
// user namespace's root may pass through it, to mount from it.
func (e *Engine) makeDir(c *Container, spec RunSpec) error {
	dir := e.Dir(c.ID)
	if err := e.ensureStateFs(); err != nil {
		return err
	}
	mode := os.FileMode(0o700)
	if c.Userns {
		mode = 0o711
	}
	if err := os.Mkdir(dir, mode); err != nil {
		return fmt.Errorf("make the container directory: %w", err)
	}
	if err := os.Chmod(dir, mode); err != nil {
		return fmt.Errorf("make the container directory: %w", err)
	}
	if err := e.save(*c); err != nil {
		os.RemoveAll(dir)
		return err
	}
	hosts, _ := hostsText(c.ExtraHosts)
	files := map[string]string{
		hostnameFile: c.Hostname + "\n",
		hostsFile:    hosts,
		resolvFile:   resolvText(c.DNS),
	}
	for name, text := range files {
		// Seen inside the container (and by its non-root users): readable by all.
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			return fmt.Errorf("write %s: %w", name, err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, logFile), nil, 0o600); err != nil {
		return fmt.Errorf("make the container log: %w", err)
	}
	if c.Security.Seccomp == SeccompCustom {
		if err := os.WriteFile(filepath.Join(dir, seccompFile), spec.SeccompProfile, 0o600); err != nil {
			return fmt.Errorf("keep the seccomp profile: %w", err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, mergedDir), 0o755); err != nil {
		return fmt.Errorf("make the rootfs mount point: %w", err)
	}
	return nil
}

// planNetwork decides where a container's network namespace is, as its mode asks:
// its own file, a lab host's (host) or another container's (container:NAME). The
// default host is part of the lab, made here if this is the lab's first command.
func (e *Engine) planNetwork(ctx context.Context, c *Container, n NetSpec, all []Container) error {
	c.NetMode, c.Host = firstNonEmpty(n.Mode, "bridge"), firstNonEmpty(n.Host, network.DefaultHost)
	c.StaticIP, c.PortSpecs = n.IP, n.Ports
	switch {
	case c.NetMode == "host":
		if c.Host == network.DefaultHost {
			if err := e.net.EnsureLab(ctx); err != nil {
				return err
			}
		}
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
	case c.NetMode != network.DefaultNetwork && c.NetMode != "none":
		parts, err := e.net.Inspect(c.NetMode)
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(parts, func(n network.Network) bool { return n.Host == c.Host }) {
			return fmt.Errorf("network %s has no part on host %s: give --host %s, or make it there with `workbench network create --host %s %s`",
				c.NetMode, c.Host, parts[0].Host, c.Host, c.NetMode)
		}
	}
	c.NetnsPath = filepath.Join(e.Dir(c.ID), netnsFile)
	return nil
}

// ownsNetns says whether the container's network namespace is its own.
func (e *Engine) ownsNetns(c *Container) bool {
	return c.NetnsPath == filepath.Join(e.Dir(c.ID), netnsFile)
}

// makeNetwork makes what planNetwork decided: the lab host of host mode, or the
// container's own namespace with its loopback, Docker's sysctls, its endpoint, the
// networks it was connected to and its published ports.
func (e *Engine) makeNetwork(ctx context.Context, c *Container) error {
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
	if err := e.net.ContainerSysctls(c.NetnsPath); err != nil {
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
	a, err := e.attach(ctx, c, netName, c.StaticIP)
	if err != nil {
		return err
	}
	for _, extra := range c.ExtraNetworks {
		if _, err := e.attach(ctx, c, extra, ""); err != nil {
			return err
		}
	}
	if len(c.PortSpecs) > 0 {
		b, err := e.net.Publish(ctx, a, c.PortSpecs)
		if err != nil {
			return err
		}
		c.Ports = b
	}
	return nil
}

// attach makes an endpoint of the container on a network and records it in c.
func (e *Engine) attach(ctx context.Context, c *Container, netName, ip string) (network.Attachment, error) {
	header, _ := hostsText(c.ExtraHosts)
	a, err := e.net.Attach(ctx, network.AttachRequest{Host: c.Host, Network: netName,
		ContainerID: c.ID, ContainerName: c.Name, NetnsPath: c.NetnsPath, IP: ip,
		HostsFile: filepath.Join(e.Dir(c.ID), hostsFile), HostsHeader: header, Aliases: c.Aliases})
	if err == nil {
		c.Networks = append(c.Networks, a)
	}
	return a, err
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
