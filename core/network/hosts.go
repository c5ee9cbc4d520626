package network

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"workbench/errkind"
)

// AddHost makes a new lab host on the LAN with its default bridge network (making the
// LAN and `outside` first when they are missing).
func (m *Manager) AddHost(ctx context.Context, name string) (Host, error) {
	if err := CheckHostName(name); err != nil {
		return Host{}, err
	}
	if name == RealHost || name == lanNetns {
		return Host{}, fmt.Errorf("host name %q is reserved: pick another name, e.g. host2", name)
	}
	s, err := m.load()
	if err != nil {
		return Host{}, err
	}
	if err := m.ensureLab(ctx, s); err != nil {
		return Host{}, err
	}
	if h := s.host(name); h != nil {
		return Host{}, hostExists(h)
	}
	if err := m.addHost(ctx, s, name); err != nil {
		return Host{}, err
	}
	return *s.host(name), nil
}

// hostExists is the error for a host that is already recorded.
func hostExists(h *Host) error {
	if h.Pending {
		return fmt.Errorf("host %s is left half made by a command that died and could not be removed (see the warning): `workbench reset` starts over", h.Name)
	}
	return errkind.New(errkind.Exists, "host", h.Name, "host %s already exists", h.Name)
}

// ensureHost returns a known host, making the machine's own ("real") on first use.
func (m *Manager) ensureHost(ctx context.Context, s *labState, name string) (*Host, error) {
	if name == "" {
		name = DefaultHost
	}
	h := s.host(name)
	switch {
	case h != nil && h.Pending:
		return nil, hostExists(h)
	case h != nil:
		return h, nil
	case name == RealHost || name == DefaultHost || name == OutsideHost:
		if err := m.addHost(ctx, s, name); err != nil {
			return nil, err
		}
		return s.host(name), nil
	}
	return nil, errkind.New(errkind.NotFound, "host", name, "unknown host %q", name)
}

// hostIndex picks the number of a new host: N for hostN when free, else the lowest free.
func hostIndex(s *labState, name string) (int, error) {
	used := map[int]bool{}
	for _, h := range s.Hosts {
		used[h.Index] = true
	}
	switch name {
	case OutsideHost:
		return outsideIndex, nil
	case RealHost:
		return 0, nil
	}
	if n, err := strconv.Atoi(strings.TrimPrefix(name, "host")); err == nil && strings.HasPrefix(name, "host") && n >= 1 && n < outsideIndex && !used[n] {
		return n, nil
	}
	for i := 1; i < outsideIndex; i++ {
		if !used[i] {
			return i, nil
		}
	}
	return 0, fmt.Errorf("the LAN is full (%d hosts): remove one with `workbench host rm NAME`", outsideIndex-1)
}

// addHost records a host with its default network and its parts of the cross-host
// networks as pending, makes them, and records them whole. A failure removes what was
// made; a kill leaves the pending records for the next command to remove.
func (m *Manager) addHost(ctx context.Context, s *labState, name string) error {
	index, err := hostIndex(s, name)
	if err != nil {
		return err
	}
	h := &Host{Name: name, Index: index, Peer: name == OutsideHost, Pending: true}
	if name != RealHost {
		h.LANAddr = lanAddr(index)
	}
	s.Hosts = append(s.Hosts, h)
	nets, err := planHostNetworks(s, h)
	if err != nil {
		s.Hosts = s.Hosts[:len(s.Hosts)-1]
		return err
	}
	s.Networks = append(s.Networks, nets...)
	if err := m.save(s); err != nil {
		return err
	}
	if err := m.makeHost(ctx, s, h, nets); err != nil {
		if rerr := m.removeHost(s, h); rerr != nil {
			err = fmt.Errorf("%w (and removing what was made of it: %v)", err, rerr)
		}
		if serr := m.save(s); serr != nil {
			err = fmt.Errorf("%w (and %v)", err, serr)
		}
		return err
	}
	settle(false, h, nets)
	return m.save(s)
}

// planHostNetworks plans a new host's networks as pending: its default bridge network
// (unless it is `outside`), and its part of each cross-host network of the lab hosts.
func planHostNetworks(s *labState, h *Host) ([]*Network, error) {
	if h.Peer {
		return nil, nil
	}
	n, err := planNetwork(s, NetworkOptions{Host: h.Name, Name: DefaultNetwork})
	if err != nil {
		return nil, err
	}
	nets := []*Network{n}
	if h.Name != RealHost {
		done := map[string]bool{}
		for _, first := range s.Networks {
			if first.CrossHost != "" && !first.Pending && !done[first.Name] {
				done[first.Name] = true
				nets = append(nets, crossHostPart(first, h))
			}
		}
	}
	settle(true, nil, nets)
	return nets, nil
}

// makeHost makes a recorded host: its namespace, uplink, forwarding and chains (only
// forwarding and chains for the machine's own), then its networks, joining its parts
// of cross-host networks to the other hosts' parts.
func (m *Manager) makeHost(ctx context.Context, s *labState, h *Host, nets []*Network) error {
	path := NetnsPath(m.inst, h.Name)
	if h.Name == RealHost {
		if err := m.applyRules(path, hostChains(false)); err != nil {
			return fmt.Errorf("prepare the machine's iptables: %w", err)
		}
		if err := m.sysctl(path, "net.ipv4.ip_forward", "1"); err != nil {
			return err
		}
	} else {
		if err := m.ensureLAN(); err != nil {
			return err
		}
		// What no record owns under this name (its namespace and uplink) goes first.
		nsName := m.inst.HostNetnsName(h.Name)
		m.deleteLink(m.lanPath(), h.Name)
		if err := m.removeNetns(nsName); err != nil {
			return err
		}
		if err := addNamedNetns(nsName); err != nil {
			return err
		}
		m.log.AddArgs("ip", "netns", "add", nsName)
		if err := m.setupHost(path, h); err != nil {
			return fmt.Errorf("make host %s: %w", h.Name, err)
		}
	}
	for _, n := range nets {
		if err := m.makeNetwork(n); err != nil {
			return err
		}
	}
	for _, n := range nets {
		if n.CrossHost == "" {
			continue
		}
		if err := m.join(s, n); err != nil {
			return err
		}
		for p := range peers(s, n) {
			if err := m.withNs(p.Host, func(ph *nsHandle) error { return m.linkPeer(ph, s, p, n, h) }); err != nil {
				return err
			}
		}
	}
	return nil
}

// setupHost prepares a fresh lab host namespace: lo, the uplink, forwarding, chains.
func (m *Manager) setupHost(path string, h *Host) error {
	if err := LoopbackUp(path); err != nil {
		return err
	}
	m.logIP(path, "link", "set", "lo", "up")
	if err := m.ipv4Only(path); err != nil {
		return err
	}
	if err := m.setupUplink(path, h.Name, h.Index); err != nil {
		return err
	}
	if h.Peer {
		return nil
	}
	if err := m.sysctl(path, "net.ipv4.ip_forward", "1"); err != nil {
		return err
	}
	return m.applyRules(path, hostChains(true))
}

// ipv4Only turns IPv6 off in a lab namespace before its links are made: the lab is
// IPv4, and captures on it show the articles' packets without router solicitations,
// neighbour discovery and MLD reports of every new link.
func (m *Manager) ipv4Only(path string) error {
	for _, key := range []string{"net.ipv6.conf.all.disable_ipv6", "net.ipv6.conf.default.disable_ipv6"} {
		if err := m.sysctl(path, key, "1"); err != nil {
			return err
		}
	}
	return nil
}

// The chains of the workbench's own in each host's iptables.
const (
	chainForward    = "WB-FORWARD"
	chainIsolation1 = "WB-ISOLATION-1"
	chainIsolation2 = "WB-ISOLATION-2"
	chainDNAT       = "WB-DNAT"
	chainPost       = "WB-POSTROUTING"
)

// hostChains are the chains of a host and the jumps to them from the built-in chains.
// A lab host also drops forwarded traffic that no rule accepts, as Docker does; the
// machine's own policy is left alone.
func hostChains(lab bool) []rule {
	c := func(why string) []string { return []string{"-m", "comment", "--comment", why} }
	rules := []rule{
		{"filter", []string{"-N", chainForward}},
		{"filter", []string{"-N", chainIsolation1}},
		{"filter", []string{"-N", chainIsolation2}},
		{"filter", append([]string{"-I", "FORWARD", "-j", chainForward}, c("workbench: container traffic")...)},
		{"filter", append([]string{"-A", chainForward, "-j", chainIsolation1}, c("workbench: networks are isolated from each other")...)},
		{"nat", []string{"-N", chainDNAT}},
		{"nat", []string{"-N", chainPost}},
		{"nat", append([]string{"-A", "PREROUTING", "-m", "addrtype", "--dst-type", "LOCAL", "-j", chainDNAT}, c("workbench: published ports, from outside")...)},
		{"nat", append([]string{"-A", "OUTPUT", "-m", "addrtype", "--dst-type", "LOCAL", "-j", chainDNAT}, c("workbench: published ports, from the host itself")...)},
		{"nat", append([]string{"-A", "POSTROUTING", "-j", chainPost}, c("workbench: source NAT of containers")...)},
	}
	if lab {
		rules = append(rules, rule{"filter", []string{"-P", "FORWARD", "DROP"}})
	}
	return rules
}

// RemoveHost removes a lab host, refused while a container is attached to one of its
// networks. host1 and outside are part of the lab and stay.
func (m *Manager) RemoveHost(ctx context.Context, name string) error {
	s, err := m.loadAll()
	if err != nil {
		return err
	}
	if err := m.reconcile(s); err != nil {
		return err
	}
	h := s.host(name)
	if h == nil {
		return errkind.New(errkind.NotFound, "host", name, "unknown host %q", name)
	}
	if name == DefaultHost || name == OutsideHost {
		return fmt.Errorf("host %s is part of the lab and cannot be removed: `workbench reset` removes the whole lab", name)
	}
	nets := s.networksOn(name)
	for _, n := range nets {
		if len(n.Endpoints) > 0 {
			return errkind.New(errkind.InUse, "host", name, "host %s has containers on network %s", name, n.Name)
		}
		if !n.Default && n.CrossHost == "" {
			return errkind.New(errkind.InUse, "host network", n.Name, "host %s carries network %s", name, n.Name)
		}
	}
	settle(true, h, nets)
	if err := m.save(s); err != nil {
		return err
	}
	if err := m.removeHost(s, h); err != nil {
		_ = m.save(s)
		return fmt.Errorf("remove host %s: %w (the next command tries again)", name, err)
	}
	return m.save(s)
}

// Hosts lists the lab's hosts; half-made ones are left out.
func (m *Manager) Hosts() ([]Host, error) {
	s, err := m.load()
	if err != nil {
		return nil, err
	}
	return copies(s.Hosts, func(h *Host) bool { return !h.Pending }), nil
}
