package network

import (
	"fmt"
	"net/netip"
	"os"
	"sort"
	"strings"
)

// hostsHeader starts every hosts file the workbench writes.
const hostsHeader = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"

// refreshHosts rewrites the hosts files a change on n touches: on a user network (not
// a host's default one, where, as in Docker, containers are not known by name) every
// endpoint's; on a default network only that of the endpoint just made, if any.
func (m *Manager) refreshHosts(s *labState, n *Network, made Endpoint) error {
	if n.Default {
		if made.HostsFile == "" {
			return nil
		}
		return m.writeHostsFile(s, made.ContainerID, made.HostsFile)
	}
	if err := m.fillEndpoints(n); err != nil {
		return err
	}
	for _, e := range n.Endpoints {
		if e.HostsFile == "" {
			continue
		}
		if err := m.writeHostsFile(s, e.ContainerID, e.HostsFile); err != nil {
			return err
		}
	}
	return nil
}

// writeHostsFile rewrites one container's hosts file: its own address on each of its
// networks, and its peers on each user network. The file is truncated and written in
// place, since it is bind-mounted into the container; a file that is gone (its
// container is being removed) is skipped.
func (m *Manager) writeHostsFile(s *labState, containerID, file string) error {
	var b strings.Builder
	header := ""
	seen := map[string]bool{}
	var peers []string
	for _, n := range s.Networks {
		keys, err := m.endpointKeys(n)
		if err != nil {
			return err
		}
		var selfIP netip.Addr
		for ip, id := range keys {
			if id == containerID {
				selfIP = ip
			}
		}
		if !selfIP.IsValid() {
			continue
		}
		self, err := m.readEndpoint(n, selfIP, containerID)
		if err != nil {
			return err
		}
		if header == "" {
			header = self.HostsHeader
		}
		fmt.Fprintf(&b, "%s\t%s\n", selfIP, hostNames(self))
		if n.Default {
			continue
		}
		for ip, id := range keys {
			if id == containerID {
				continue
			}
			e, err := m.readEndpoint(n, ip, id)
			if err != nil {
				return err
			}
			if line := fmt.Sprintf("%s\t%s", ip, hostNames(e)); !seen[line] {
				seen[line] = true
				peers = append(peers, line)
			}
		}
	}
	sort.Strings(peers)
	for _, l := range peers {
		b.WriteString(l + "\n")
	}
	if header == "" {
		header = hostsHeader
	}
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_TRUNC, 0)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("rewrite hosts file %s: %w", file, err)
	}
	defer f.Close()
	if _, err := f.WriteString(header + b.String()); err != nil {
		return fmt.Errorf("rewrite hosts file %s: %w", file, err)
	}
	return nil
}

// hostNames are the names an endpoint answers to: its container's name, its aliases
// and its short ID.
func hostNames(e Endpoint) string {
	names := []string{}
	if e.ContainerName != "" && e.ContainerName != shortID(e.ContainerID) {
		names = append(names, e.ContainerName)
	}
	names = append(append(names, e.Aliases...), shortID(e.ContainerID))
	return strings.Join(names, " ")
}

// addrOf strips the prefix length of a CIDR.
func addrOf(cidr string) string {
	if p, err := netip.ParsePrefix(cidr); err == nil {
		return p.Addr().String()
	}
	return cidr
}
