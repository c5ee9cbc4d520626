package network

import (
	"fmt"
	"net/netip"

	"github.com/vishvananda/netlink"
)

// DefaultNetwork is the name of each host's default bridge network (its docker0).
const DefaultNetwork = "bridge"

// defaultBridge is the bridge interface of each host's default network.
const defaultBridge = "wb0"

// NetworkOptions describe a network to create.
type NetworkOptions struct {
	// Name is the network's name.
	Name string
	// Host is the lab host it lives on ("" = host1); ignored for a cross-host network,
	// which spans every lab host.
	Host string
	// Subnet is its CIDR; "" picks a free 172.x.0.0/16 (10.10.0.0/16 across hosts).
	Subnet string
	// Gateway is the bridge's address; "" is the subnet's first address.
	Gateway string
	// Driver is "bridge" (or "").
	Driver string
	// CrossHost joins the network's parts on several hosts: "host-gw", "vxlan", "gre".
	CrossHost string
}

// defaultSubnet is the default bridge network's subnet of the host with that index:
// 172.18.0.0/16 for host1, 172.19.0.0/16 for host2..., 172.17.0.0/16 for the machine.
func defaultSubnet(index int) string {
	if index <= 14 {
		return fmt.Sprintf("172.%d.0.0/16", 17+index)
	}
	return fmt.Sprintf("10.%d.0.0/16", 100+index)
}

// overlapping returns a network on that host (or a cross-host network anywhere) whose
// subnet overlaps p, or nil.
func overlapping(s *labState, host string, p netip.Prefix) *Network {
	for _, n := range s.Networks {
		if n.Host != host && n.Cluster == "" {
			continue
		}
		other := netip.MustParsePrefix(n.Subnet)
		if n.Cluster != "" {
			other = netip.MustParsePrefix(n.Cluster)
		}
		if other.Overlaps(p) {
			return n
		}
	}
	return nil
}

// freeSubnet picks a /16 of 172.20-31 (then 10.x) that no network of the host uses.
func freeSubnet(s *labState, host string) (netip.Prefix, error) {
	for i := 20; i < 32; i++ {
		p := netip.MustParsePrefix(fmt.Sprintf("172.%d.0.0/16", i))
		if overlapping(s, host, p) == nil {
			return p, nil
		}
	}
	for i := 11; i < 100; i++ {
		p := netip.MustParsePrefix(fmt.Sprintf("10.%d.0.0/16", i))
		if overlapping(s, host, p) == nil {
			return p, nil
		}
	}
	return netip.Prefix{}, fmt.Errorf("no free subnet left on host %s: give one with --subnet", host)
}

// planNetwork checks opts for one host and returns the network to make.
func planNetwork(s *labState, opts NetworkOptions) (*Network, error) {
	n := &Network{Name: opts.Name, Host: opts.Host, Driver: "bridge", Bridge: "br-" + opts.Name}
	h := s.host(opts.Host)
	if opts.Name == DefaultNetwork {
		n.Default, n.Bridge = true, defaultBridge
		if opts.Subnet == "" {
			opts.Subnet = defaultSubnet(h.Index)
		}
	}
	var subnet netip.Prefix
	var err error
	if opts.Subnet == "" {
		subnet, err = freeSubnet(s, opts.Host)
	} else {
		subnet, err = ParseSubnet(opts.Subnet)
	}
	if err != nil {
		return nil, err
	}
	if other := overlapping(s, opts.Host, subnet); other != nil {
		return nil, fmt.Errorf("subnet %s overlaps network %s (%s) on host %s: pick another subnet", subnet, other.Name, other.Subnet, other.Host)
	}
	n.Subnet, n.Pool = subnet.String(), subnet.String()
	gw := fromU32(toU32(subnet.Addr()) + 1)
	if opts.Gateway != "" {
		if gw, err = ParseGateway(opts.Gateway, subnet); err != nil {
			return nil, err
		}
	}
	n.Gateway = gw.String()
	return n, nil
}

// checkBridgeFree refuses a network whose bridge name a link of its host already has
// (one made by hand, say): removing the network would remove that link too.
func (m *Manager) checkBridgeFree(n *Network) error {
	return m.withNs(n.Host, func(h *nsHandle) error {
		if _, err := h.LinkByName(n.Bridge); err == nil {
			return fmt.Errorf("an interface %s already exists on %s: remove it or pick another network name", n.Bridge, n.Host)
		}
		return nil
	})
}

// makeNetwork makes one host's part of a recorded network: its bridge and its rules.
func (m *Manager) makeNetwork(n *Network) error {
	path := NetnsPath(m.inst, n.Host)
	if err := m.makeBridge(path, n); err != nil {
		return fmt.Errorf("make network %s on %s: %w", n.Name, n.Host, err)
	}
	if err := m.applyRules(path, networkRules(n)); err != nil {
		return fmt.Errorf("make network %s on %s: %w", n.Name, n.Host, err)
	}
	return nil
}

// makeBridge makes the network's bridge with the gateway address, up.
func (m *Manager) makeBridge(path string, n *Network) error {
	h, err := openNs(path)
	if err != nil {
		return err
	}
	defer h.Close()
	br := &netlink.Bridge{LinkAttrs: netlink.LinkAttrs{Name: n.Bridge, MTU: n.mtu()}}
	if err := h.LinkAdd(br); err != nil {
		return fmt.Errorf("make bridge %s: %w", n.Bridge, err)
	}
	m.logIP(path, "link", "add", n.Bridge, "type", "bridge")
	subnet := netip.MustParsePrefix(n.Subnet)
	cidr := fmt.Sprintf("%s/%d", n.Gateway, subnet.Bits())
	addr, err := netlink.ParseAddr(cidr)
	if err != nil {
		return err
	}
	if err := h.AddrAdd(br, addr); err != nil {
		return fmt.Errorf("address %s on %s: %w", cidr, n.Bridge, err)
	}
	m.logIP(path, "addr", "add", cidr, "dev", n.Bridge)
	if err := h.LinkSetUp(br); err != nil {
		return fmt.Errorf("set %s up: %w", n.Bridge, err)
	}
	m.logIP(path, "link", "set", n.Bridge, "up")
	// The host's own 127.0.0.1:PORT reaches a published port: loopback sources may be
	// routed out of the bridge, then masqueraded.
	return m.sysctl(path, "net.ipv4.conf."+n.Bridge+".route_localnet", "1")
}

// deleteLink removes a link if it exists (a veth takes its peer with it).
func (m *Manager) deleteLink(path, name string) {
	_ = withNsAt(path, func(h *nsHandle) error {
		if l, err := h.LinkByName(name); err == nil && h.LinkDel(l) == nil {
			m.logIP(path, "link", "del", name)
		}
		return nil
	})
}

// unplugLink takes a link down and off its bridge, when it is there.
func (m *Manager) unplugLink(path, name string) {
	_ = withNsAt(path, func(h *nsHandle) error {
		l, err := h.LinkByName(name)
		if err != nil {
			return err
		}
		if h.LinkSetDown(l) == nil {
			m.logIP(path, "link", "set", name, "down")
		}
		if h.LinkSetNoMaster(l) == nil {
			m.logIP(path, "link", "set", name, "nomaster")
		}
		return nil
	})
}

// networkComment starts the comment of every rule of the network of that name.
func networkComment(name string) string { return "workbench " + name + ": " }

// networkRules are the iptables rules of one network: its outbound NAT, the FORWARD
// path to and from its bridge, and its isolation from the host's other networks.
func networkRules(n *Network) []rule {
	br := n.Bridge
	c := func(why string) []string {
		return []string{"-m", "comment", "--comment", networkComment(n.Name) + why}
	}
	var rules []rule
	if n.Cluster != "" {
		rules = append(rules,
			rule{"nat", append([]string{"-I", chainPost, "-s", n.Cluster, "-d", n.Cluster, "-j", "RETURN"}, c("traffic inside the cluster keeps its source")...)},
			rule{"filter", append([]string{"-A", chainForward, "-s", n.Cluster, "-o", br, "-j", "ACCEPT"}, c("containers of other hosts reach this one")...)})
	}
	return append(rules,
		rule{"nat", append([]string{"-I", chainPost, "-s", n.Subnet, "-d", n.Subnet, "-o", br, "-m", "conntrack", "--ctstate", "DNAT", "-j", "MASQUERADE"}, c("hairpin: a container reaching a published port of its own network")...)},
		rule{"nat", append([]string{"-A", chainPost, "-s", n.Subnet, "!", "-o", br, "-j", "MASQUERADE"}, c("containers leave with the host's address")...)},
		rule{"nat", append([]string{"-A", chainPost, "-s", "127.0.0.0/8", "-o", br, "-j", "MASQUERADE"}, c("the host's localhost reaches published ports")...)},
		rule{"filter", append([]string{"-A", chainForward, "-o", br, "-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED", "-j", "ACCEPT"}, c("replies come back in")...)},
		rule{"filter", append([]string{"-A", chainForward, "-i", br, "-j", "ACCEPT"}, c("containers go out and reach each other")...)},
		rule{"filter", append([]string{"-A", chainForward, "-o", br, "-m", "conntrack", "--ctstate", "DNAT", "-j", "ACCEPT"}, c("published ports come in")...)},
		rule{"filter", append([]string{"-A", chainIsolation1, "-i", br, "!", "-o", br, "-j", chainIsolation2}, c("traffic leaving the network...")...)},
		rule{"filter", append([]string{"-A", chainIsolation2, "-o", br, "-j", "DROP"}, c("...may not enter another network")...)},
	)
}

// removeNetwork removes one host's part of a network, whatever of it is there (its
// tunnels and the other hosts' routes and tunnels to it, every rule with its comment,
// its bridge), and forgets it.
func (m *Manager) removeNetwork(s *labState, n *Network) error {
	m.unjoin(s, n)
	if path := NetnsPath(m.inst, n.Host); exists(path) {
		if err := m.deleteSaved(path, savedComment(networkComment(n.Name))); err != nil {
			return fmt.Errorf("remove the rules of network %s on %s: %w", n.Name, n.Host, err)
		}
		m.deleteLink(path, n.Bridge)
	}
	m.dropEndpointDir(n)
	s.forget(n)
	return nil
}
