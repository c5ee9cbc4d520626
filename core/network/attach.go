package network

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net"
	"net/netip"
	"strconv"

	"github.com/vishvananda/netlink"

	"workbench/errkind"
)

// Attach makes an endpoint for a container on a network: a veth pair whose inner end is
// created straight in the container's namespace (no move) as eth0 (or the next free
// ethN) with a docker-like MAC, the outer end vethXXXXXXX on the bridge, an address from
// the pool or the static one asked for, a default route via the bridge on the first
// network, lo up, and the hosts files of the network's containers brought up to date.
// A failure removes the pair again.
func (m *Manager) Attach(ctx context.Context, req AttachRequest) (Attachment, error) {
	if req.ContainerID == "" || req.NetnsPath == "" {
		return Attachment{}, fmt.Errorf("attach needs a container ID and its network namespace")
	}
	host := req.Host
	if host == "" {
		host = DefaultHost
	}
	s, err := m.load()
	if err != nil {
		return Attachment{}, err
	}
	if host != RealHost {
		if err := m.ensureLab(ctx, s); err != nil {
			return Attachment{}, err
		}
	}
	if _, err := m.ensureHost(ctx, s, host); err != nil {
		return Attachment{}, err
	}
	n := s.network(host, req.Network)
	if n == nil {
		if others := s.networksNamed(req.Network); len(others) > 0 {
			return Attachment{}, fmt.Errorf("network %s is on host %s, not %s: add --host %s", req.Network, others[0].Host, host, others[0].Host)
		}
		return Attachment{}, errkind.New(errkind.NotFound, "network", req.Network, "unknown network %q on host %s", req.Network, host)
	}
	taken, err := m.endpointKeys(n)
	if err != nil {
		return Attachment{}, err
	}
	for _, id := range taken {
		if id == req.ContainerID {
			return Attachment{}, fmt.Errorf("container %s is already on network %s", nameOr(Endpoint{ContainerID: id, ContainerName: req.ContainerName}), n.Name)
		}
	}
	ip, err := allocate(n, taken, req.IP)
	if err != nil {
		return Attachment{}, err
	}
	a, err := m.makeEndpoint(n, req, ip)
	if err != nil {
		return Attachment{}, err
	}
	e := Endpoint{ContainerID: req.ContainerID, ContainerName: req.ContainerName,
		NetnsPath: req.NetnsPath, HostsFile: req.HostsFile, HostsHeader: req.HostsHeader,
		Aliases: req.Aliases, Attachment: a}
	err = m.putEndpoint(n, e)
	if err == nil {
		err = m.refreshHosts(s, n, e)
	}
	if err != nil {
		_ = m.dropEndpoint(n, e)
		m.deleteLink(NetnsPath(m.inst, host), a.HostVeth)
		_ = m.refreshHosts(s, n, Endpoint{})
		return Attachment{}, err
	}
	return a, nil
}

// dockerMAC is the MAC Docker gives an endpoint: 02:42 and the four bytes of its IPv4.
func dockerMAC(ip netip.Addr) net.HardwareAddr {
	b := ip.As4()
	return net.HardwareAddr{0x02, 0x42, b[0], b[1], b[2], b[3]}
}

// hostVethName names the outer end of an endpoint: veth and 7 hex digits of a hash of
// the container and the network, as Docker does.
func hostVethName(h *nsHandle, containerID, network string) string {
	for i := 0; ; i++ {
		sum := sha256.Sum256([]byte(containerID + "/" + network + "/" + strconv.Itoa(i)))
		name := "veth" + hex.EncodeToString(sum[:])[:7]
		if _, err := h.LinkByName(name); err != nil {
			return name
		}
	}
}

// freeIfName is the first ethN the container's namespace does not have yet.
func freeIfName(c *nsHandle) (string, error) {
	links, err := c.LinkList()
	if err != nil {
		return "", fmt.Errorf("list the container's interfaces: %w", err)
	}
	used := map[string]bool{}
	for _, l := range links {
		used[l.Attrs().Name] = true
	}
	for i := 0; ; i++ {
		if name := "eth" + strconv.Itoa(i); !used[name] {
			return name, nil
		}
	}
}

// makeEndpoint makes the veth pair and configures both ends.
func (m *Manager) makeEndpoint(n *Network, req AttachRequest, ip netip.Addr) (a Attachment, err error) {
	path := NetnsPath(m.inst, n.Host)
	h, c, release, err := openPair(path, req.NetnsPath)
	if err != nil {
		return a, err
	}
	defer release()
	ifName := req.IfName
	if ifName == "" {
		if ifName, err = freeIfName(c); err != nil {
			return a, err
		}
	} else if _, err := c.LinkByName(ifName); err == nil {
		return a, fmt.Errorf("the container already has an interface %s: pick another name", ifName)
	}
	if len(ifName) > 15 {
		return a, fmt.Errorf("interface name %q is longer than Linux's 15 characters", ifName)
	}
	subnet := netip.MustParsePrefix(n.Subnet)
	a = Attachment{Host: n.Host, Network: n.Name, IfName: ifName, IP: netip.PrefixFrom(ip, subnet.Bits()).String(),
		Gateway: n.Gateway, MAC: dockerMAC(ip).String(), HostVeth: hostVethName(h, req.ContainerID, n.Host+"/"+n.Name)}
	veth := &netlink.Veth{
		LinkAttrs:        netlink.LinkAttrs{Name: a.HostVeth, MTU: n.mtu()},
		PeerName:         ifName,
		PeerNamespace:    netlink.NsFd(c.ns),
		PeerHardwareAddr: dockerMAC(ip),
		PeerMTU:          uint32(n.mtu()),
	}
	if err := h.LinkAdd(veth); err != nil {
		return a, fmt.Errorf("make veth %s for %s: %w", a.HostVeth, nameOr(Endpoint{ContainerID: req.ContainerID, ContainerName: req.ContainerName}), err)
	}
	m.logIP(path, "link", "add", a.HostVeth, "mtu", strconv.Itoa(n.mtu()), "type", "veth", "peer", "name", ifName, "address", a.MAC, "netns", req.NetnsPath)
	defer func() {
		if err != nil {
			m.deleteLink(path, a.HostVeth)
		}
	}()
	br, err := h.LinkByName(n.Bridge)
	if err != nil {
		return a, fmt.Errorf("find bridge %s on %s: %w", n.Bridge, n.Host, err)
	}
	if err := h.LinkSetMaster(veth, br); err != nil {
		return a, fmt.Errorf("put %s on %s: %w", a.HostVeth, n.Bridge, err)
	}
	m.logIP(path, "link", "set", a.HostVeth, "master", n.Bridge)
	// A container reaching its own published port: the frame comes back out of the
	// port it came in on once br_netfilter has DNATed it.
	if err := h.LinkSetHairpin(veth, true); err != nil {
		return a, fmt.Errorf("hairpin on %s: %w", a.HostVeth, err)
	}
	m.log.AddArgs(CommandIn(path, "bridge", "link", "set", "dev", a.HostVeth, "hairpin", "on")...)
	if err := h.LinkSetUp(veth); err != nil {
		return a, fmt.Errorf("set %s up: %w", a.HostVeth, err)
	}
	m.logIP(path, "link", "set", a.HostVeth, "up")
	return a, m.configureInside(c, req.NetnsPath, a)
}

// configureInside addresses the container's end, sets it and lo up, and adds the
// default route via the gateway unless the container already has one.
func (m *Manager) configureInside(c *nsHandle, path string, a Attachment) error {
	link, err := c.LinkByName(a.IfName)
	if err != nil {
		return fmt.Errorf("find %s in the container: %w", a.IfName, err)
	}
	addr, err := netlink.ParseAddr(a.IP)
	if err != nil {
		return err
	}
	if err := c.AddrAdd(link, addr); err != nil {
		return fmt.Errorf("address %s on %s: %w", a.IP, a.IfName, err)
	}
	m.logIP(path, "addr", "add", a.IP, "dev", a.IfName)
	if err := c.LinkSetUp(link); err != nil {
		return fmt.Errorf("set %s up: %w", a.IfName, err)
	}
	m.logIP(path, "link", "set", a.IfName, "up")
	if lo, err := c.LinkByName("lo"); err == nil && lo.Attrs().Flags&net.FlagUp == 0 {
		if err := c.LinkSetUp(lo); err != nil {
			return fmt.Errorf("set lo up in the container: %w", err)
		}
		m.logIP(path, "link", "set", "lo", "up")
	}
	routes, err := c.RouteList(nil, netlink.FAMILY_V4)
	if err != nil {
		return fmt.Errorf("read the container's routes: %w", err)
	}
	for _, r := range routes {
		if r.Dst == nil || r.Dst.IP.IsUnspecified() && isZeroMask(r.Dst.Mask) {
			return nil
		}
	}
	route := &netlink.Route{LinkIndex: link.Attrs().Index, Gw: net.ParseIP(a.Gateway)}
	if err := c.RouteAdd(route); err != nil {
		return fmt.Errorf("default route via %s: %w", a.Gateway, err)
	}
	m.logIP(path, "route", "add", "default", "via", a.Gateway, "dev", a.IfName)
	return nil
}

func isZeroMask(m net.IPMask) bool {
	ones, _ := m.Size()
	return ones == 0
}

// Detach removes an endpoint: its veth pair (gone already if the container's namespace
// is), its address (free again), the port mappings to it, and its name from its peers'
// hosts files.
func (m *Manager) Detach(ctx context.Context, a Attachment) error {
	return m.detach(a, m.deleteLink)
}

// Release is Detach for an endpoint whose container is being removed: the host's end of
// the veth pair goes down and off the bridge, and the kernel deletes the pair when the
// container's namespace goes. Deleting a veth waits on the kernel's netdev teardown
// (about 25 ms here), which namespace teardown does in the background. A namespace that
// outlives the container (shared with --net container:NAME) keeps a veth that is off
// every bridge until it goes.
func (m *Manager) Release(ctx context.Context, a Attachment) error {
	return m.detach(a, m.unplugLink)
}

// detach does Detach and Release; drop takes the host's end of the veth away.
func (m *Manager) detach(a Attachment, drop func(nsPath, name string)) error {
	s, err := m.load()
	if err != nil {
		return err
	}
	n := s.network(a.Host, a.Network)
	if n == nil {
		return fmt.Errorf("unknown network %q on host %s: nothing to detach", a.Network, a.Host)
	}
	ip, err := netip.ParsePrefix(a.IP)
	if err != nil {
		return fmt.Errorf("attachment address %q is not a CIDR", a.IP)
	}
	keys, err := m.endpointKeys(n)
	if err != nil {
		return err
	}
	id, ok := keys[ip.Addr()]
	if !ok {
		return fmt.Errorf("no endpoint %s on network %s: nothing to detach", a.IP, a.Network)
	}
	e, err := m.readEndpoint(n, ip.Addr(), id)
	if err != nil {
		return err
	}
	cip := ip.Addr().String()
	var mine []PortBinding
	for _, b := range s.host(a.Host).Ports {
		if b.ContainerIP == cip {
			mine = append(mine, b)
		}
	}
	if err := m.unpublish(s, mine); err != nil {
		return err
	}
	drop(NetnsPath(m.inst, a.Host), e.Attachment.HostVeth)
	if err := m.dropEndpoint(n, e); err != nil {
		return err
	}
	if len(mine) > 0 {
		if err := m.save(s); err != nil {
			return err
		}
	}
	return m.refreshHosts(s, n, Endpoint{})
}
