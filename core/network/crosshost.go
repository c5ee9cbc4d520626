package network

import (
	"errors"
	"fmt"
	"hash/fnv"
	"net"
	"net/netip"
	"strconv"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// vxlanPort is the IANA VXLAN port.
const vxlanPort = 4789

// peers returns the other hosts' parts of a cross-host network with those hosts.
func peers(s *labState, n *Network) map[*Network]*Host {
	out := map[*Network]*Host{}
	for _, p := range s.networksNamed(n.Name) {
		if p != n {
			out[p] = s.host(p.Host)
		}
	}
	return out
}

// vxlanName and greName name the tunnel links of a network (at most 15 characters:
// network names have at most 11).
func vxlanName(n *Network) string           { return "vx-" + n.Name }
func greName(n *Network, peer *Host) string { return "g" + n.Name + "-" + strconv.Itoa(peer.Index) }

// vni is the VXLAN network identifier of a network, the same on every host.
func vni(name string) int {
	h := fnv.New32a()
	h.Write([]byte(name))
	return int(h.Sum32()%(1<<24-2)) + 1
}

// join connects this host's part of a cross-host network to the others: host-gw adds a
// route to each other host's slice via its LAN address, vxlan adds a VXLAN port to the
// bridge with a flooding entry per peer, gre adds a gretap port per peer.
func (m *Manager) join(s *labState, n *Network) error {
	path := m.hostPath(n.Host)
	h, err := openNs(path)
	if err != nil {
		return err
	}
	defer h.Close()
	self := s.host(n.Host)
	switch n.CrossHost {
	case CrossHostGW:
		eth0, err := h.LinkByName("eth0")
		if err != nil {
			return fmt.Errorf("find eth0 of %s: %w", n.Host, err)
		}
		for p, ph := range peers(s, n) {
			dst := netip.MustParsePrefix(p.Pool)
			r := &netlink.Route{LinkIndex: eth0.Attrs().Index, Dst: ipNet(dst), Gw: net.ParseIP(lanIP(ph.Index))}
			if err := h.RouteAdd(r); err != nil {
				return fmt.Errorf("route %s via %s on %s: %w", dst, lanIP(ph.Index), n.Host, err)
			}
			m.logIP(path, "route", "add", dst.String(), "via", lanIP(ph.Index), "dev", "eth0")
		}
	case CrossHostVXLAN:
		vx := &netlink.Vxlan{LinkAttrs: netlink.LinkAttrs{Name: vxlanName(n), MTU: 1450}, VxlanId: vni(n.Name),
			SrcAddr: net.ParseIP(lanIP(self.Index)), Port: vxlanPort, Learning: true}
		if err := h.LinkAdd(vx); err != nil {
			return fmt.Errorf("make VXLAN %s on %s: %w", vx.Name, n.Host, err)
		}
		m.logIP(path, "link", "add", vx.Name, "type", "vxlan", "id", strconv.Itoa(vx.VxlanId), "local", lanIP(self.Index), "dstport", strconv.Itoa(vxlanPort))
		if err := m.bridgePort(h, path, n, vx, false); err != nil {
			return err
		}
		for _, ph := range peers(s, n) {
			fdb := &netlink.Neigh{LinkIndex: vx.Attrs().Index, Family: unix.AF_BRIDGE, State: netlink.NUD_PERMANENT,
				Flags: netlink.NTF_SELF, IP: net.ParseIP(lanIP(ph.Index)), HardwareAddr: make(net.HardwareAddr, 6)}
			if err := h.NeighAppend(fdb); err != nil {
				return fmt.Errorf("flood entry for %s on %s: %w", ph.Name, vx.Name, err)
			}
			m.log.AddArgs(inNsArgs(path, "bridge", "fdb", "append", "00:00:00:00:00:00", "dev", vx.Name, "dst", lanIP(ph.Index))...)
		}
	case CrossHostGRE:
		for _, ph := range peers(s, n) {
			gt := &netlink.Gretap{LinkAttrs: netlink.LinkAttrs{Name: greName(n, ph), MTU: 1462},
				Local: net.ParseIP(lanIP(self.Index)), Remote: net.ParseIP(lanIP(ph.Index))}
			if err := h.LinkAdd(gt); err != nil {
				if errors.Is(err, unix.EOPNOTSUPP) || errors.Is(err, unix.ENOTSUP) {
					return fmt.Errorf("this kernel has no GRE support (gretap): use --crosshost vxlan or host-gw")
				}
				return fmt.Errorf("make gretap %s on %s: %w", gt.Name, n.Host, err)
			}
			m.logIP(path, "link", "add", gt.Name, "type", "gretap", "local", lanIP(self.Index), "remote", lanIP(ph.Index))
			// Isolated ports never forward to each other, so a full mesh of tunnels
			// between three or more hosts makes no loop.
			if err := m.bridgePort(h, path, n, gt, true); err != nil {
				return err
			}
		}
	}
	return nil
}

// bridgePort puts a tunnel link on the network's bridge and sets it up.
func (m *Manager) bridgePort(h *nsHandle, path string, n *Network, l netlink.Link, isolated bool) error {
	br, err := h.LinkByName(n.Bridge)
	if err != nil {
		return fmt.Errorf("find bridge %s: %w", n.Bridge, err)
	}
	name := l.Attrs().Name
	if err := h.LinkSetMaster(l, br); err != nil {
		return fmt.Errorf("put %s on %s: %w", name, n.Bridge, err)
	}
	m.logIP(path, "link", "set", name, "master", n.Bridge)
	if isolated {
		if err := h.LinkSetIsolated(l, true); err != nil {
			return fmt.Errorf("isolate bridge port %s: %w", name, err)
		}
		m.log.AddArgs(inNsArgs(path, "bridge", "link", "set", "dev", name, "isolated", "on")...)
	}
	if err := h.LinkSetUp(l); err != nil {
		return fmt.Errorf("set %s up: %w", name, err)
	}
	m.logIP(path, "link", "set", name, "up")
	return nil
}

// unjoin removes this host's routes and tunnels of a cross-host network.
func (m *Manager) unjoin(s *labState, n *Network) error {
	if n.CrossHost == "" {
		return nil
	}
	path := m.hostPath(n.Host)
	h, err := openNs(path)
	if err != nil {
		return err
	}
	defer h.Close()
	for p, ph := range peers(s, n) {
		switch n.CrossHost {
		case CrossHostGW:
			dst := netip.MustParsePrefix(p.Pool)
			if err := h.RouteDel(&netlink.Route{Dst: ipNet(dst)}); err == nil {
				m.logIP(path, "route", "del", dst.String())
			}
		case CrossHostGRE:
			m.deleteLink(path, greName(n, ph))
		}
	}
	if n.CrossHost == CrossHostVXLAN {
		m.deleteLink(path, vxlanName(n))
	}
	return nil
}

// ipNet converts a prefix for netlink.
func ipNet(p netip.Prefix) *net.IPNet {
	return &net.IPNet{IP: p.Addr().AsSlice(), Mask: net.CIDRMask(p.Bits(), 32)}
}
