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

// writeHostsFiles rewrites the hosts file of every container on n: its own names, and
// on user networks (not a host's default one, as in Docker) the names of its peers on
// every network it shares with them. A file is truncated and written in place, since
// it is bind-mounted into the container; a file that is gone (its container is being
// removed) is skipped.
func writeHostsFiles(s *labState, n *Network) error {
	for _, e := range n.Endpoints {
		if e.HostsFile == "" {
			continue
		}
		if err := writeHostsFile(s, e.ContainerID, e.HostsFile); err != nil {
			return err
		}
	}
	return nil
}

// writeHostsFile writes one container's hosts file.
func writeHostsFile(s *labState, containerID, file string) error {
	var b strings.Builder
	b.WriteString(hostsHeader)
	seen := map[string]bool{}
	var peers []string
	for _, n := range s.Networks {
		var self *Endpoint
		for i := range n.Endpoints {
			if n.Endpoints[i].ContainerID == containerID {
				self = &n.Endpoints[i]
			}
		}
		if self == nil {
			continue
		}
		fmt.Fprintf(&b, "%s\t%s\n", addrOf(self.Attachment.IP), hostNames(*self))
		if n.Default {
			continue
		}
		for _, e := range n.Endpoints {
			line := fmt.Sprintf("%s\t%s", addrOf(e.Attachment.IP), hostNames(e))
			if e.ContainerID != containerID && !seen[line] {
				seen[line] = true
				peers = append(peers, line)
			}
		}
	}
	sort.Strings(peers)
	for _, l := range peers {
		b.WriteString(l + "\n")
	}
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_TRUNC, 0)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("rewrite hosts file %s: %w", file, err)
	}
	defer f.Close()
	if _, err := f.WriteString(b.String()); err != nil {
		return fmt.Errorf("rewrite hosts file %s: %w", file, err)
	}
	return nil
}

// hostNames are the names an endpoint answers to: its container's name and short ID.
func hostNames(e Endpoint) string {
	if e.ContainerName != "" && e.ContainerName != shortID(e.ContainerID) {
		return e.ContainerName + " " + shortID(e.ContainerID)
	}
	return shortID(e.ContainerID)
}

// addrOf strips the prefix length of a CIDR.
func addrOf(cidr string) string {
	if p, err := netip.ParsePrefix(cidr); err == nil {
		return p.Addr().String()
	}
	return cidr
}
