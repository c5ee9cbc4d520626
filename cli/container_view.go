package cli

import (
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"workbench/core"
	"workbench/core/network"
)

// dockerMount is one entry of Docker's Mounts: a volume, bind mount or tmpfs.
type dockerMount struct {
	Type        string
	Name        string `json:",omitempty"`
	Source      string
	Destination string
	Driver      string `json:",omitempty"`
	Mode        string
	RW          bool
	Propagation string
}

// containerMounts are a container's volumes, bind mounts and tmpfs mounts as Docker
// lists them; sources are where each is on the machine (Inspection.MountSources), or
// nil when only names are wanted, as in ps.
func containerMounts(c core.Container, sources []string) []dockerMount {
	var ms []dockerMount
	for i, m := range c.Mounts {
		dm := dockerMount{Type: m.Type, Destination: m.Target, RW: !m.ReadOnly}
		if i < len(sources) {
			dm.Source = sources[i]
		}
		if m.ReadOnly {
			dm.Mode = "ro"
		}
		switch m.Type {
		case core.MountVolume:
			dm.Name, dm.Driver = m.Source, "local"
		case core.MountBind:
			dm.Source, dm.Propagation = m.Source, "rprivate"
		}
		ms = append(ms, dm)
	}
	return ms
}

// stateName is a container's state as Docker names it: created, running, paused,
// restarting or exited.
func stateName(c core.Container) string {
	if c.Paused && c.State == core.StateRunning {
		return "paused"
	}
	return c.State
}

// containerNetworks names the networks a container is on, sorted: its network mode
// (bridge, host, none or a network's name; a container sharing another's network has
// none of its own), the networks it was connected to, and those it has endpoints on.
func containerNetworks(c core.Container) []string {
	var names []string
	if c.NetMode != "" && !strings.HasPrefix(c.NetMode, "container:") {
		names = append(names, c.NetMode)
	}
	names = append(names, c.ExtraNetworks...)
	for _, a := range c.Networks {
		names = append(names, a.Network)
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// lanAddrs maps each lab host to its address on the LAN, where its published ports
// are reached from outside.
func lanAddrs(cmd *cobra.Command) (map[string]string, error) {
	m, err := readLab(cmd)
	if err != nil {
		return nil, err
	}
	hosts, err := m.Hosts()
	if err != nil {
		return nil, err
	}
	lan := map[string]string{}
	for _, h := range hosts {
		lan[h.Name] = addrOnly(h.LANAddr)
	}
	return lan, nil
}

// publishedAddr is the address a published port is reached at: the one it is bound
// to, or, bound to every address of a lab host, the host's LAN address (0.0.0.0 for
// the machine's own network).
func publishedAddr(p network.PortBinding, lan map[string]string) string {
	if p.HostIP != "" {
		return p.HostIP
	}
	if a := lan[p.Host]; a != "" {
		return a
	}
	return "0.0.0.0"
}

// portsLAN is lanAddrs when any of the containers publishes a port, and nil without
// reading the lab when none does.
func portsLAN(cmd *cobra.Command, cs []core.Container) (map[string]string, error) {
	for _, c := range cs {
		if len(c.Ports) > 0 {
			return lanAddrs(cmd)
		}
	}
	return nil, nil
}
