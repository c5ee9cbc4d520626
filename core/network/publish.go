package network

import (
	"context"
	"fmt"
	"net/netip"
	"strconv"
)

// The range free host ports are chosen from for `-p CTRPORT`.
const (
	ephemeralFirst = 49153
	ephemeralLast  = 65535
)

// Publish maps host ports to an endpoint: a DNAT rule each, reached from PREROUTING and
// OUTPUT for the host's local addresses. All rules go in one iptables-restore batch.
func (m *Manager) Publish(ctx context.Context, a Attachment, ports []PortSpec) ([]PortBinding, error) {
	s, err := m.load()
	if err != nil {
		return nil, err
	}
	h := s.host(a.Host)
	n := s.network(a.Host, a.Network)
	if h == nil || n == nil {
		return nil, fmt.Errorf("unknown network %q on host %q: attach the container before publishing", a.Network, a.Host)
	}
	cip := addrOf(a.IP)
	path := NetnsPath(m.inst, a.Host)
	taken := map[string]bool{}
	for _, b := range h.Ports {
		taken[portKey(b.Proto, b.HostPort)] = true
	}
	next := ephemeralFirst
	var out []PortBinding
	var rules []rule
	for _, p := range ports {
		if p.Proto == "" {
			p.Proto = "tcp"
		}
		if p.Proto != "tcp" && p.Proto != "udp" {
			return nil, fmt.Errorf("port %s: protocol %q is not supported: use tcp or udp", p, p.Proto)
		}
		if p.ContainerPort < 1 || p.ContainerPort > 65535 || p.HostPort < 0 || p.HostPort > 65535 {
			return nil, fmt.Errorf("port %s is out of range: use 1 to 65535", p)
		}
		if p.HostIP == "0.0.0.0" {
			p.HostIP = ""
		}
		if p.HostIP != "" {
			if err := m.checkHostIP(path, a.Host, p.HostIP); err != nil {
				return nil, err
			}
		}
		if p.HostPort == 0 {
			for next <= ephemeralLast && taken[portKey(p.Proto, next)] {
				next++
			}
			if next > ephemeralLast {
				return nil, fmt.Errorf("no free host port left on %s for %s: unpublish some ports", a.Host, p)
			}
			p.HostPort = next
		} else if taken[portKey(p.Proto, p.HostPort)] {
			return nil, fmt.Errorf("host port %d/%s is already published on %s: pick another host port (see `workbench port`)", p.HostPort, p.Proto, a.Host)
		}
		taken[portKey(p.Proto, p.HostPort)] = true
		b := PortBinding{Host: a.Host, HostIP: p.HostIP, HostPort: p.HostPort, ContainerIP: cip, ContainerPort: p.ContainerPort, Proto: p.Proto}
		out = append(out, b)
		rules = append(rules, portRules(b)...)
	}
	if err := m.applyRules(path, rules); err != nil {
		return nil, fmt.Errorf("publish ports on %s: %w", a.Host, err)
	}
	h.Ports = append(h.Ports, out...)
	if err := m.save(s); err != nil {
		_ = m.applyRules(path, undo(rules))
		return nil, err
	}
	return out, nil
}

func portKey(proto string, port int) string { return proto + "/" + strconv.Itoa(port) }

// checkHostIP says whether ip is an address of the host.
func (m *Manager) checkHostIP(path, host, ip string) error {
	a, err := netip.ParseAddr(ip)
	if err != nil || !a.Is4() {
		return fmt.Errorf("host address %q is not an IPv4 address", ip)
	}
	h, err := openNs(path)
	if err != nil {
		return err
	}
	defer h.Close()
	addrs, err := h.AddrList(nil, 2) // AF_INET
	if err != nil {
		return fmt.Errorf("list the addresses of %s: %w", host, err)
	}
	for _, x := range addrs {
		if x.IP.String() == a.String() {
			return nil
		}
	}
	return fmt.Errorf("%s is not an address of host %s: leave the address out or use one of its own (see `workbench host exec %s ip addr`)", ip, host, host)
}

// portComment is the comment of a published port's rule.
func portComment(b PortBinding) string {
	return fmt.Sprintf("workbench: published %d/%s -> %s:%d", b.HostPort, b.Proto, b.ContainerIP, b.ContainerPort)
}

// portRules are the rules of one published port: a DNAT. Its FORWARD accept and the
// MASQUERADE of the hairpin case are per network, for every DNATed connection
// (networkRules), so a port costs one rule.
func portRules(b PortBinding) []rule {
	c := []string{"-m", "comment", "--comment", portComment(b)}
	dnat := []string{"-A", chainDNAT}
	if b.HostIP != "" {
		dnat = append(dnat, "-d", b.HostIP+"/32")
	}
	dnat = append(dnat, "-p", b.Proto, "-m", b.Proto, "--dport", strconv.Itoa(b.HostPort), "-j", "DNAT",
		"--to-destination", b.ContainerIP+":"+strconv.Itoa(b.ContainerPort))
	return []rule{{"nat", append(dnat, c...)}}
}

// Unpublish removes port mappings made by Publish; mappings already gone are skipped.
func (m *Manager) Unpublish(ctx context.Context, b []PortBinding) error {
	s, err := m.load()
	if err != nil {
		return err
	}
	if err := m.unpublish(s, b); err != nil {
		return err
	}
	return m.save(s)
}

// unpublish removes the mappings' rules, one batch per host, and forgets them.
func (m *Manager) unpublish(s *labState, bindings []PortBinding) error {
	byHost := map[string][]rule{}
	drop := map[PortBinding]bool{}
	for _, b := range bindings {
		h := s.host(b.Host)
		if h == nil {
			continue
		}
		for _, known := range h.Ports {
			if known == b && !drop[b] {
				drop[b] = true
				byHost[b.Host] = append(byHost[b.Host], undo(portRules(b))...)
			}
		}
	}
	for host, rules := range byHost {
		h := s.host(host)
		var keep []PortBinding
		for _, b := range h.Ports {
			if !drop[b] {
				keep = append(keep, b)
			}
		}
		if len(rules) > rebuildAbove {
			rules = rebuildRules(s, host, keep)
		}
		if err := m.applyRules(NetnsPath(m.inst, host), rules); err != nil {
			return fmt.Errorf("unpublish ports on %s: %w", host, err)
		}
		h.Ports = keep
	}
	return nil
}

// rebuildAbove is the number of rule deletions above which a host's chains are flushed
// and written again instead: iptables finds each rule to delete by comparing it with
// every rule of its chain, so many deletions cost the square of the chain's length.
const rebuildAbove = 300

// rebuildRules flush the workbench's chains of a host and add back the rules of its
// networks and of the ports that stay, in one batch (one kernel transaction).
func rebuildRules(s *labState, host string, ports []PortBinding) []rule {
	var rules []rule
	for _, c := range []struct{ table, chain string }{{"nat", chainDNAT}, {"nat", chainPost}, {"filter", chainForward}, {"filter", chainIsolation1}, {"filter", chainIsolation2}} {
		rules = append(rules, rule{c.table, []string{"-F", c.chain}})
	}
	for _, r := range hostChains(false) {
		if r.args[0] == "-A" && r.args[1] == chainForward {
			rules = append(rules, r)
		}
	}
	for _, n := range s.Networks {
		if n.Host == host && !n.Pending {
			rules = append(rules, networkRules(n)...)
		}
	}
	for _, b := range ports {
		rules = append(rules, portRules(b)...)
	}
	return rules
}

// Ports lists the published ports of every host, or of the containers with the given
// addresses when ips is not empty.
func (m *Manager) Ports(ips ...string) ([]PortBinding, error) {
	s, err := m.load()
	if err != nil {
		return nil, err
	}
	want := map[string]bool{}
	for _, ip := range ips {
		want[addrOf(ip)] = true
	}
	var out []PortBinding
	for _, h := range s.Hosts {
		for _, b := range h.Ports {
			if len(ips) == 0 || want[b.ContainerIP] {
				out = append(out, b)
			}
		}
	}
	return out, nil
}
