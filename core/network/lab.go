package network

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"

	"github.com/vishvananda/netlink"

	"workbench/cmdlog"
	"workbench/nsutil"
)

// The lab's fixed addresses: the simulated LAN, the peer `outside` on it, and the
// "outside world" behind that peer. Documentation ranges, so nothing collides with a
// real network.
const (
	lanSubnet    = "198.51.100.0/24"
	outsideIndex = 100
	worldAddr    = "203.0.113.1/24"
	worldSubnet  = "203.0.113.0/24"
	lanBridge    = "lan0"
	worldLink    = "world0"
	// OutsideHost is the LAN peer that plays the remote client and the outside server.
	OutsideHost = "outside"
	// lanNetns is the name (after the instance prefix) of the LAN's own namespace.
	lanNetns = "lan"
)

func (m *Manager) lanPath() string { return m.inst.HostNetnsPath(lanNetns) }

// lanAddr is the LAN address (CIDR) of the host with that index.
func lanAddr(index int) string { return fmt.Sprintf("198.51.100.%d/24", index) }

// lanIP is the LAN address of the host with that index, without the prefix length.
func lanIP(index int) string { return fmt.Sprintf("198.51.100.%d", index) }

// EnsureLab makes what is missing of the lab: the LAN, host1, the peer `outside` and
// host1's default bridge network. It first removes what commands that died left half
// made or half removed (reconcile.go); what is whole it leaves alone. A leftover it
// cannot remove is a warning (see Warnings) unless it is host1 or `outside`.
func (m *Manager) EnsureLab(ctx context.Context) error {
	s, err := m.load()
	if err != nil {
		return err
	}
	return m.ensureLab(ctx, s)
}

// ensureLab is EnsureLab on state already read.
func (m *Manager) ensureLab(ctx context.Context, s *labState) error {
	if err := m.reconcile(s); err != nil {
		return err
	}
	for _, name := range []string{OutsideHost, DefaultHost} {
		h := s.host(name)
		if h != nil && h.Pending {
			return fmt.Errorf("the lab cannot be made while host %s is left half made (see the warning): `workbench reset` starts over", name)
		}
		if h != nil && exists(NetnsPath(m.inst, name)) {
			continue
		}
		if h != nil {
			// Recorded whole, but its namespace is gone: made again from scratch.
			if err := m.removeHost(s, h); err != nil {
				return fmt.Errorf("make host %s again: %w", name, err)
			}
		}
		if err := m.addHost(ctx, s, name); err != nil {
			return err
		}
	}
	return nil
}

// ensureLAN makes what is missing of the LAN: its namespace (in place of anything at
// its path that is not one, such as the empty file of a namespace whose making was
// killed) and its bridge, up.
func (m *Manager) ensureLAN() error {
	path := m.lanPath()
	h, err := openNs(path)
	if err != nil {
		name := m.inst.HostNetnsName(lanNetns)
		if err := m.removeNetns(name); err != nil {
			return err
		}
		if err := addNamedNetns(name); err != nil {
			return err
		}
		m.log.AddArgs("ip", "netns", "add", name)
		if h, err = openNs(path); err != nil {
			return err
		}
	}
	defer h.Close()
	br, err := h.LinkByName(lanBridge)
	if err != nil {
		if err := m.ipv4Only(path); err != nil {
			return err
		}
		br = &netlink.Bridge{LinkAttrs: netlink.LinkAttrs{Name: lanBridge}}
		if err := h.LinkAdd(br); err != nil {
			return fmt.Errorf("make the LAN bridge %s: %w", lanBridge, err)
		}
		m.logIP(path, "link", "add", lanBridge, "type", "bridge")
	}
	if br.Attrs().Flags&net.FlagUp == 0 {
		if err := h.LinkSetUp(br); err != nil {
			return fmt.Errorf("set %s up: %w", lanBridge, err)
		}
		m.logIP(path, "link", "set", lanBridge, "up")
	}
	return nil
}

// removeNetns removes a named namespace (and so every link inside it) if it is there,
// with every process still running in it, and records it.
func (m *Manager) removeNetns(name string) error {
	path := filepath.Join(netnsDir, name)
	if !exists(path) {
		return nil
	}
	if pids := nsutil.KillIn(path); len(pids) > 0 {
		m.log.Add(cmdlog.Quote("ip", "netns", "pids", name) + " | xargs kill -9")
	}
	if err := deleteNamedNetns(name); err != nil {
		return err
	}
	m.log.AddArgs("ip", "netns", "delete", name)
	return nil
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// setupUplink joins a host's namespace to the LAN: a veth pair made in the LAN's
// namespace with its other end created straight in the host's as eth0.
func (m *Manager) setupUplink(hostPath, name string, index int) error {
	lan, host, release, err := openPair(m.lanPath(), hostPath)
	if err != nil {
		return err
	}
	defer release()
	veth := &netlink.Veth{
		LinkAttrs:     netlink.LinkAttrs{Name: name, MTU: lanMTU},
		PeerName:      "eth0",
		PeerNamespace: netlink.NsFd(host.ns),
	}
	if err := lan.LinkAdd(veth); err != nil {
		return fmt.Errorf("make the uplink of %s: %w", name, err)
	}
	m.logIP(m.lanPath(), "link", "add", name, "type", "veth", "peer", "name", "eth0", "netns", m.inst.HostNetnsName(name))
	br, err := lan.LinkByName(lanBridge)
	if err != nil {
		return fmt.Errorf("find the LAN bridge: %w", err)
	}
	if err := lan.LinkSetMaster(veth, br); err != nil {
		return fmt.Errorf("put %s on the LAN bridge: %w", name, err)
	}
	m.logIP(m.lanPath(), "link", "set", name, "master", lanBridge)
	if err := lan.LinkSetUp(veth); err != nil {
		return fmt.Errorf("set %s up: %w", name, err)
	}
	m.logIP(m.lanPath(), "link", "set", name, "up")
	eth0, err := host.LinkByName("eth0")
	if err != nil {
		return fmt.Errorf("find eth0 of %s: %w", name, err)
	}
	addr, _ := netlink.ParseAddr(lanAddr(index))
	if err := host.AddrAdd(eth0, addr); err != nil {
		return fmt.Errorf("address eth0 of %s: %w", name, err)
	}
	m.logIP(hostPath, "addr", "add", lanAddr(index), "dev", "eth0")
	if err := host.LinkSetUp(eth0); err != nil {
		return fmt.Errorf("set eth0 of %s up: %w", name, err)
	}
	m.logIP(hostPath, "link", "set", "eth0", "up")
	if index == outsideIndex {
		return m.setupWorld(host, hostPath)
	}
	route := &netlink.Route{LinkIndex: eth0.Attrs().Index, Gw: net.ParseIP(lanIP(outsideIndex))}
	if err := host.RouteAdd(route); err != nil {
		return fmt.Errorf("default route of %s: %w", name, err)
	}
	m.logIP(hostPath, "route", "add", "default", "via", lanIP(outsideIndex), "dev", "eth0")
	return nil
}

// setupWorld gives `outside` the "outside world" address on a link of its own (a bridge
// without ports: kernels without the dummy driver have bridges).
func (m *Manager) setupWorld(h *nsHandle, path string) error {
	d := &netlink.Bridge{LinkAttrs: netlink.LinkAttrs{Name: worldLink}}
	if err := h.LinkAdd(d); err != nil {
		return fmt.Errorf("make %s on outside: %w", worldLink, err)
	}
	m.logIP(path, "link", "add", worldLink, "type", "bridge")
	addr, _ := netlink.ParseAddr(worldAddr)
	if err := h.AddrAdd(d, addr); err != nil {
		return fmt.Errorf("address %s: %w", worldLink, err)
	}
	m.logIP(path, "addr", "add", worldAddr, "dev", worldLink)
	if err := h.LinkSetUp(d); err != nil {
		return fmt.Errorf("set %s up: %w", worldLink, err)
	}
	m.logIP(path, "link", "set", worldLink, "up")
	return nil
}
