package core

import (
	"fmt"
	"net/netip"
	"os"
	"path"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"

	"workbench/core/network"
)

// defaultShmSize is /dev/shm's size unless --shm-size says otherwise (Docker's).
const defaultShmSize = 64 << 20

// applyRunOptions records the options of run that shape the container beyond its
// command: mounts, capabilities, privileges, labels, limits of its command, how it is
// stopped.
func (c *Container) applyRunOptions(spec RunSpec) error {
	caps, err := containerCaps(spec.CapAdd, spec.CapDrop, spec.Privileged)
	if err != nil {
		return err
	}
	c.Security.Caps, c.Privileged = caps, spec.Privileged
	if spec.Privileged {
		c.Security.Seccomp, c.Limits.AllDevices = SeccompUnconfined, true
	}
	targets := map[string]bool{}
	for _, m := range spec.Mounts {
		t := path.Clean(m.Target)
		if targets[t] {
			return fmt.Errorf("two mounts at %s: give each container path once", t)
		}
		targets[t] = true
		m.Target = t
		if m.Type == MountVolume && m.Anonymous {
			m.Source = NewID()
		}
		if m.Type == MountBind {
			if err := checkBindSource(m); err != nil {
				return err
			}
		}
		c.Mounts = append(c.Mounts, m)
	}
	c.ReadOnly, c.Labels, c.Ulimits = spec.ReadOnly, spec.Labels, spec.Ulimits
	c.ShmSize = spec.ShmSize
	if c.ShmSize == 0 {
		c.ShmSize = defaultShmSize
	}
	c.StopSignal, c.StopTimeout = spec.StopSignal, spec.StopTimeout
	if c.StopSignal == 0 {
		c.StopSignal = int(unix.SIGTERM)
	}
	if c.StopTimeout < 0 {
		c.StopTimeout = 10
	}
	c.Aliases, c.ExtraHosts = spec.Net.Aliases, spec.Net.ExtraHosts
	for _, d := range spec.Net.DNS {
		if _, err := netip.ParseAddr(d); err != nil {
			return fmt.Errorf("--dns %q is not an address: give a name server's IP, e.g. --dns 198.51.100.53", d)
		}
	}
	c.DNS = spec.Net.DNS
	_, err = hostsText(c.ExtraHosts)
	return err
}

// checkBindSource makes sure a bind's source is there: -v makes a missing directory,
// as Docker does; --mount refuses it.
func checkBindSource(m Mount) error {
	if _, err := os.Stat(m.Source); err == nil {
		return nil
	} else if !os.IsNotExist(err) {
		return fmt.Errorf("bind source %s: %w", m.Source, err)
	}
	if !m.CreateSource {
		return fmt.Errorf("bind source %s does not exist: make it first, or use -v, which makes a missing directory", m.Source)
	}
	if err := os.MkdirAll(m.Source, 0o755); err != nil {
		return fmt.Errorf("make bind source %s: %w", m.Source, err)
	}
	return nil
}

// publishExposed publishes every port the image exposes ("80/tcp") on a free host
// port (-P), besides those -p publishes already.
func publishExposed(c *Container, exposed []string) error {
	given := map[string]bool{}
	for _, p := range c.PortSpecs {
		given[strconv.Itoa(p.ContainerPort)+"/"+p.Proto] = true
	}
	for _, e := range exposed {
		if given[e] {
			continue
		}
		p, err := network.ParsePort(e)
		if err != nil {
			return fmt.Errorf("the image exposes %q: %w", e, err)
		}
		if c.NetMode == "none" || c.NetMode == "host" || strings.HasPrefix(c.NetMode, "container:") {
			return fmt.Errorf("-P needs a bridge network: the container uses --net %s", c.NetMode)
		}
		c.PortSpecs = append(c.PortSpecs, p)
	}
	return nil
}

// hostsText is a container's /etc/hosts before its networks add their names:
// localhost, and the lines of --add-host (NAME:ADDRESS).
func hostsText(extra []string) (string, error) {
	var b strings.Builder
	b.WriteString("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n")
	for _, h := range extra {
		name, addr, ok := strings.Cut(h, ":")
		if !ok || name == "" || addr == "" || strings.ContainsAny(h, " \t\n") {
			return "", fmt.Errorf("--add-host %q is not NAME:ADDRESS: e.g. --add-host db:198.51.100.7", h)
		}
		fmt.Fprintf(&b, "%s\t%s\n", addr, name)
	}
	return b.String(), nil
}

// resolvText is a container's /etc/resolv.conf: the name servers of --dns, or a note
// that the lab has none.
func resolvText(dns []string) string {
	if len(dns) == 0 {
		return "# The lab has no name server: the names of peers are in /etc/hosts.\n"
	}
	var b strings.Builder
	for _, d := range dns {
		fmt.Fprintf(&b, "nameserver %s\n", d)
	}
	return b.String()
}
