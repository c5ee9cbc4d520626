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

// Tunnel overheads on the LAN's 1500-byte frames: VXLAN adds 50 bytes (outer IPv4, UDP,
// VXLAN header, inner Ethernet), gretap 38 (outer IPv4, GRE with key-less header,
// inner Ethernet). Every link of such a network takes the smaller MTU, so a full-size
// packet from a container is not dropped inside the tunnel.
const (
	lanMTU   = 1500
	vxlanMTU = lanMTU - 50
	greMTU   = lanMTU - 38
)

// mtu is the MTU of a network's links.
func (n *Network) mtu() int {
	switch n.CrossHost {
	case CrossHostVXLAN:
		return vxlanMTU
	case CrossHostGRE:
		return greMTU
	}
	return lanMTU
}

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
	path := NetnsPath(m.inst, n.Host)
	h, err := openNs(path)
	if err != nil {
		return err
	}
	defer h.Close()
	if n.CrossHost == CrossHostVXLAN {
		self := s.host(n.Host)
		vx := &netlink.Vxlan{LinkAttrs: netlink.LinkAttrs{Name: vxlanName(n), MTU: n.mtu()}, VxlanId: vni(n.Name),
			SrcAddr: net.ParseIP(lanIP(self.Index)), Port: vxlanPort, Learning: true}
		if err := h.LinkAdd(vx); err != nil {
			return fmt.Errorf("make VXLAN %s on %s: %w", vx.Name, n.Host, err)
		}
		m.logIP(path, "link", "add", vx.Name, "type", "vxlan", "id", strconv.Itoa(vx.VxlanId), "local", lanIP(self.Index), "dstport", strconv.Itoa(vxlanPort))
		if err := m.bridgePort(h, path, n, vx, false); err != nil {
			return err
		}
	}
	for p, ph := range peers(s, n) {
		if err := m.linkPeer(h, s, n, p, ph); err != nil {
			return err
		}
	}
	return nil
}

// linkPeer joins this host's part n to one peer's part p.
func (m *Manager) linkPeer(h *nsHandle, s *labState, n, p *Network, peer *Host) error {
	path := NetnsPath(m.inst, n.Host)
	self := s.host(n.Host)
	switch n.CrossHost {
	case CrossHostGW:
		eth0, err := h.LinkByName("eth0")
		if err != nil {
			return fmt.Errorf("find eth0 of %s: %w", n.Host, err)
		}
		dst := netip.MustParsePrefix(p.Pool)
		r := &netlink.Route{LinkIndex: eth0.Attrs().Index, Dst: ipNet(dst), Gw: net.ParseIP(lanIP(peer.Index))}
		if err := h.RouteAdd(r); err != nil {
			return fmt.Errorf("route %s via %s on %s: %w", dst, lanIP(peer.Index), n.Host, err)
		}
		m.logIP(path, "route", "add", dst.String(), "via", lanIP(peer.Index), "dev", "eth0")
	case CrossHostVXLAN:
		vx, err := h.LinkByName(vxlanName(n))
		if err != nil {
			return fmt.Errorf("find %s on %s: %w", vxlanName(n), n.Host, err)
		}
		if err := h.NeighAppend(floodEntry(vx, peer)); err != nil {
			return fmt.Errorf("flood entry for %s on %s: %w", peer.Name, vxlanName(n), err)
		}
		m.log.AddArgs(CommandIn(path, "bridge", "fdb", "append", "00:00:00:00:00:00", "dev", vxlanName(n), "dst", lanIP(peer.Index))...)
	case CrossHostGRE:
		gt := &netlink.Gretap{LinkAttrs: netlink.LinkAttrs{Name: greName(n, peer), MTU: n.mtu()},
			Local: net.ParseIP(lanIP(self.Index)), Remote: net.ParseIP(lanIP(peer.Index))}
		if err := h.LinkAdd(gt); err != nil {
			if errors.Is(err, unix.EOPNOTSUPP) || errors.Is(err, unix.ENOTSUP) {
				return fmt.Errorf("this kernel has no GRE support (gretap): use --crosshost vxlan or host-gw")
			}
			return fmt.Errorf("make gretap %s on %s: %w", gt.Name, n.Host, err)
		}
		m.logIP(path, "link", "add", gt.Name, "type", "gretap", "local", lanIP(self.Index), "remote", lanIP(peer.Index))
		// Isolated ports never forward to each other, so a full mesh of tunnels
		// between three or more hosts makes no loop.
		return m.bridgePort(h, path, n, gt, true)
	}
	return nil
}

// unlinkPeer undoes linkPeer; what is already gone is skipped.
func (m *Manager) unlinkPeer(h *nsHandle, n, p *Network, peer *Host) {
	path := NetnsPath(m.inst, n.Host)
	switch n.CrossHost {
	case CrossHostGW:
		dst := netip.MustParsePrefix(p.Pool)
		if err := h.RouteDel(&netlink.Route{Dst: ipNet(dst)}); err == nil {
			m.logIP(path, "route", "del", dst.String())
		}
	case CrossHostVXLAN:
		if vx, err := h.LinkByName(vxlanName(n)); err == nil && h.NeighDel(floodEntry(vx, peer)) == nil {
			m.log.AddArgs(CommandIn(path, "bridge", "fdb", "del", "00:00:00:00:00:00", "dev", vxlanName(n), "dst", lanIP(peer.Index))...)
		}
	case CrossHostGRE:
		m.deleteLink(path, greName(n, peer))
	}
}

// floodEntry is the all-zero FDB entry that sends broadcast and unknown frames on a
// VXLAN to a peer (head-end replication, no multicast needed).
func floodEntry(vx netlink.Link, peer *Host) *netlink.Neigh {
	return &netlink.Neigh{LinkIndex: vx.Attrs().Index, Family: unix.AF_BRIDGE, State: netlink.NUD_PERMANENT,
		Flags: netlink.NTF_SELF, IP: net.ParseIP(lanIP(peer.Index)), HardwareAddr: make(net.HardwareAddr, 6)}
}

// crossHostPart is a host's part of the cross-host network like: its /24 slice of the
// cluster range (10.10.INDEX.0/24), the bridge taking the slice's first address.
func crossHostPart(like *Network, h *Host) *Network {
	cluster := netip.MustParsePrefix(like.Cluster)
	slice := netip.PrefixFrom(fromU32(toU32(cluster.Addr())+uint32(h.Index)<<8), 24)
	n := &Network{Name: like.Name, Host: h.Name, Driver: "bridge", Bridge: "br-" + like.Name,
		Subnet: cluster.String(), Pool: slice.String(), Gateway: fromU32(toU32(slice.Addr()) + 1).String(),
		CrossHost: like.CrossHost, Cluster: cluster.String()}
	if like.CrossHost == CrossHostGW {
		n.Subnet = slice.String()
	}
	return n
}

// withNs runs fn with a netlink handle in a host's namespace.
func (m *Manager) withNs(host string, fn func(*nsHandle) error) error {
	return withNsAt(NetnsPath(m.inst, host), fn)
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
		m.log.AddArgs(CommandIn(path, "bridge", "link", "set", "dev", name, "isolated", "on")...)
	}
	if err := h.LinkSetUp(l); err != nil {
		return fmt.Errorf("set %s up: %w", name, err)
	}
	m.logIP(path, "link", "set", name, "up")
	return nil
}

// unjoin removes this host's routes and tunnels of a cross-host network, and the other
// hosts' routes and tunnels to it.
func (m *Manager) unjoin(s *labState, n *Network) {
	if n.CrossHost == "" {
		return
	}
	for p, ph := range peers(s, n) {
		_ = m.withNs(n.Host, func(h *nsHandle) error { m.unlinkPeer(h, n, p, ph); return nil })
		_ = m.withNs(p.Host, func(h *nsHandle) error { m.unlinkPeer(h, p, n, s.host(n.Host)); return nil })
	}
	if n.CrossHost == CrossHostVXLAN {
		m.deleteLink(NetnsPath(m.inst, n.Host), vxlanName(n))
	}
}

// ipNet converts a prefix for netlink.
func ipNet(p netip.Prefix) *net.IPNet {
	return &net.IPNet{IP: p.Addr().AsSlice(), Mask: net.CIDRMask(p.Bits(), 32)}
}
