package network

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"workbench/nsutil"
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
	if err := m.EnsureLab(ctx); err != nil {
		return Host{}, err
	}
	s, err := m.load()
	if err != nil {
		return Host{}, err
	}
	if s.host(name) != nil {
		return Host{}, fmt.Errorf("host %s already exists: see `workbench host ls`", name)
	}
	if err := m.addHost(ctx, s, name); err != nil {
		return Host{}, err
	}
	return *s.host(name), nil
}

// ensureHost returns a known host, making the machine's own ("real") on first use.
func (m *Manager) ensureHost(ctx context.Context, s *labState, name string) (*Host, error) {
	if name == "" {
		name = DefaultHost
	}
	if h := s.host(name); h != nil {
		return h, nil
	}
	if name == RealHost || name == DefaultHost || name == OutsideHost {
		if name != RealHost {
			if err := m.ensureLAN(); err != nil {
				return nil, err
			}
		}
		if err := m.addHost(ctx, s, name); err != nil {
			return nil, err
		}
		return s.host(name), nil
	}
	return nil, fmt.Errorf("unknown host %q: see `workbench host ls`, or make it with `workbench host add %s`", name, name)
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

// addHost makes a host's namespace, uplink, forwarding, chains and default network,
// and records it; on failure the namespace goes, and everything inside with it.
func (m *Manager) addHost(ctx context.Context, s *labState, name string) error {
	index, err := hostIndex(s, name)
	if err != nil {
		return err
	}
	h := &Host{Name: name, Index: index, Peer: name == OutsideHost}
	path := m.hostPath(name)
	if name != RealHost {
		h.LANAddr = lanAddr(index)
		nsName := m.inst.HostNetnsName(name)
		if exists(path) {
			m.dropNetns(nsName)
		}
		if err := addNamedNetns(nsName); err != nil {
			return err
		}
		m.log.AddArgs("ip", "netns", "add", nsName)
		if err := m.setupHost(path, h); err != nil {
			m.dropNetns(nsName)
			return fmt.Errorf("make host %s: %w", name, err)
		}
	} else {
		if err := m.applyRules(path, hostChains(false)); err != nil {
			return fmt.Errorf("prepare the machine's iptables: %w", err)
		}
		if err := m.sysctl(path, "net.ipv4.ip_forward", "1"); err != nil {
			return err
		}
	}
	s.Hosts = append(s.Hosts, h)
	if !h.Peer {
		if _, err := m.createNetwork(ctx, s, NetworkOptions{Host: name, Name: DefaultNetwork}, nil); err != nil {
			s.Hosts = s.Hosts[:len(s.Hosts)-1]
			if name != RealHost {
				m.dropNetns(m.inst.HostNetnsName(name))
			} else {
				_ = m.applyRules(path, undo(hostChains(false)))
			}
			return err
		}
		if err := m.extendCrossHost(ctx, s, h); err != nil {
			m.forgetHost(s, name)
			return err
		}
	}
	return m.save(s)
}

// forgetHost undoes a host that could not be made whole: the other hosts' links to its
// cross-host parts, its namespace, and its records.
func (m *Manager) forgetHost(s *labState, name string) {
	for _, n := range s.Networks {
		if n.Host == name && n.CrossHost != "" {
			_ = m.unjoin(s, n)
		}
	}
	if name != RealHost {
		m.dropNetns(m.inst.HostNetnsName(name))
	}
	var keep []*Network
	for _, n := range s.Networks {
		if n.Host != name {
			keep = append(keep, n)
		}
	}
	s.Networks = keep
	var hosts []*Host
	for _, x := range s.Hosts {
		if x.Name != name {
			hosts = append(hosts, x)
		}
	}
	s.Hosts = hosts
	os.RemoveAll(filepath.Join(m.stateDir(), "endpoints", name))
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
	h := s.host(name)
	if h == nil {
		return fmt.Errorf("unknown host %q: see `workbench host ls`", name)
	}
	if name == DefaultHost || name == OutsideHost {
		return fmt.Errorf("host %s is part of the lab and cannot be removed: `workbench reset` removes the whole lab", name)
	}
	for _, n := range s.Networks {
		if n.Host == name && len(n.Endpoints) > 0 {
			return fmt.Errorf("host %s has containers on network %s: remove them first", name, n.Name)
		}
		if n.Host == name && !n.Default && n.CrossHost == "" {
			return fmt.Errorf("host %s carries network %s: remove it first with `workbench network rm %s`", name, n.Name, n.Name)
		}
	}
	if name == RealHost {
		if err := m.removeNetwork(s, s.network(name, DefaultNetwork)); err != nil {
			return err
		}
		if err := m.applyRules(nsutil.MachinePath, undo(hostChains(false))); err != nil {
			return err
		}
	}
	m.forgetHost(s, name)
	return m.save(s)
}

// Hosts lists the lab's hosts.
func (m *Manager) Hosts() ([]Host, error) {
	s, err := m.load()
	if err != nil {
		return nil, err
	}
	out := make([]Host, 0, len(s.Hosts))
	for _, h := range s.Hosts {
		out = append(out, *h)
	}
	return out, nil
}
