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

// containerLabels are a container's labels. core.Container keeps no labels yet, so a
// container has none.
func containerLabels(core.Container) map[string]string { return nil }

// containerMounts are a container's volumes and bind mounts, as inspect lists them.
// core.Container keeps no mounts yet, so a container has none.
func containerMounts(core.Container) []dockerMount { return nil }

// containerPaused says whether a container's processes are frozen. core.Container
// keeps no paused state yet, so no container is paused.
func containerPaused(core.Container) bool { return false }

// stateName is a container's state as Docker names it: created, running, paused,
// restarting or exited.
func stateName(c core.Container, paused bool) string {
	if paused {
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
	m, unlock, err := labManager(cmd)
	if err != nil {
		return nil, err
	}
	defer unlock()
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

// hasPorts says whether any of the containers publishes a port.
func hasPorts(cs []core.Container) bool {
	for _, c := range cs {
		if len(c.Ports) > 0 {
			return true
		}
	}
	return false
}
