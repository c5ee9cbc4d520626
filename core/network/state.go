package network

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"sort"

	"workbench/atomicfile"
)

// Host is a lab host as recorded in the state file.
type Host struct {
	// Name is the host's name (host1, outside...).
	Name string `json:"name"`
	// Index numbers the host: its LAN address is 198.51.100.INDEX and its default
	// bridge network 172.(17+INDEX).0.0/16.
	Index int `json:"index"`
	// LANAddr is the host's address on the LAN, with its prefix length.
	LANAddr string `json:"lanAddr"`
	// Peer is true for `outside`, which has no bridge networks of its own.
	Peer bool `json:"peer,omitempty"`
	// Ports are the host's published ports.
	Ports []PortBinding `json:"ports,omitempty"`
	// Pending marks a host recorded before its namespace was made, or before it is
	// removed: until it is saved whole again, what there is of it is half made, and
	// the next command removes it (reconcile.go).
	Pending bool `json:"pending,omitempty"`
}

// Network is one bridge network on one host, as recorded in the state file. A
// cross-host network is one Network per host sharing a name.
type Network struct {
	// Name is the network's name; "bridge" is each host's default network.
	Name string `json:"name"`
	// Host is the lab host the bridge lives on.
	Host string `json:"host"`
	// Driver is the network's kind; only "bridge" exists.
	Driver string `json:"driver"`
	// Bridge is the bridge interface in the host's namespace.
	Bridge string `json:"bridge"`
	// Subnet is the network's subnet as configured on its interfaces (CIDR).
	Subnet string `json:"subnet"`
	// Pool is the range endpoints get addresses from: the subnet, or this host's
	// slice of it on a cross-host network.
	Pool string `json:"pool"`
	// Gateway is the bridge's address.
	Gateway string `json:"gateway"`
	// CrossHost is how hosts are joined: "", "host-gw", "vxlan" or "gre".
	CrossHost string `json:"crossHost,omitempty"`
	// Cluster is the whole address range of a cross-host network, not masqueraded
	// inside itself.
	Cluster string `json:"cluster,omitempty"`
	// Default marks a host's default bridge network.
	Default bool `json:"default,omitempty"`
	// Endpoints are the containers on the network (kept in files of their own, filled
	// in when asked for).
	Endpoints []Endpoint `json:"endpoints,omitempty"`
	// Pending marks a network recorded before its bridge, rules, routes and tunnels
	// were made, or before they are removed: until it is saved whole again, what there
	// is of it is half made, and the next command removes it (reconcile.go).
	Pending bool `json:"pending,omitempty"`
}

// Endpoint is one container's attachment to a network, as recorded.
type Endpoint struct {
	// ContainerID and ContainerName say whose endpoint it is.
	ContainerID   string `json:"containerID"`
	ContainerName string `json:"containerName,omitempty"`
	// NetnsPath is the container's network namespace.
	NetnsPath string `json:"netnsPath"`
	// HostsFile is the container's hosts file kept current with its peers' names.
	HostsFile string `json:"hostsFile,omitempty"`
	// HostsHeader starts that file; "" is localhost alone.
	HostsHeader string `json:"hostsHeader,omitempty"`
	// Aliases are more names of the container on this network.
	Aliases []string `json:"aliases,omitempty"`
	// Attachment is the endpoint as made.
	Attachment Attachment `json:"attachment"`
}

// labState is everything the manager remembers about an instance's lab.
type labState struct {
	Hosts    []*Host    `json:"hosts"`
	Networks []*Network `json:"networks"`
}

func (m *Manager) stateDir() string  { return filepath.Join(m.inst.RunDir, "network") }
func (m *Manager) statePath() string { return filepath.Join(m.stateDir(), "state.json") }

// load reads the state file; a missing file is an empty lab.
func (m *Manager) load() (*labState, error) {
	b, err := os.ReadFile(m.statePath())
	if os.IsNotExist(err) {
		return &labState{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read network state: %w", err)
	}
	var s labState
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("network state %s is damaged (%v): run `workbench reset` to start over", m.statePath(), err)
	}
	return &s, nil
}

// save writes the state file atomically.
func (m *Manager) save(s *labState) error {
	if err := os.MkdirAll(m.stateDir(), 0o700); err != nil {
		return fmt.Errorf("make network state directory: %w", err)
	}
	// Endpoints live in files of their own (endpoints.go).
	bare := labState{Hosts: s.Hosts, Networks: make([]*Network, len(s.Networks))}
	for i, n := range s.Networks {
		c := *n
		c.Endpoints = nil
		bare.Networks[i] = &c
	}
	b, err := json.Marshal(bare)
	if err != nil {
		return fmt.Errorf("encode network state: %w", err)
	}
	if err := atomicfile.Write(m.statePath(), b); err != nil {
		return fmt.Errorf("write network state: %w", err)
	}
	return nil
}

// host returns the named host, or nil.
func (s *labState) host(name string) *Host {
	for _, h := range s.Hosts {
		if h.Name == name {
			return h
		}
	}
	return nil
}

// network returns the whole network of that name on that host, or nil. The name "" is
// the host's default network.
func (s *labState) network(host, name string) *Network {
	for _, n := range s.Networks {
		if !n.Pending && n.Host == host && (n.Name == name || name == "" && n.Default) {
			return n
		}
	}
	return nil
}

// networksNamed returns every per-host part of the network of that name, pending or
// whole.
func (s *labState) networksNamed(name string) []*Network {
	return chosen(s.Networks, func(n *Network) bool { return n.Name == name })
}

// forget drops the records of a network.
func (s *labState) forget(n *Network) {
	s.Networks = chosen(s.Networks, func(x *Network) bool { return x != n })
}

// networksOn returns every network of a host, pending or whole.
func (s *labState) networksOn(host string) []*Network {
	return chosen(s.Networks, func(n *Network) bool { return n.Host == host })
}

// chosen returns the records that choose picks, in order.
func chosen[T any](records []*T, choose func(*T) bool) []*T {
	var out []*T
	for _, r := range records {
		if choose(r) {
			out = append(out, r)
		}
	}
	return out
}

// copies returns a copy of each record that choose picks, in order, never nil.
func copies[T any](records []*T, choose func(*T) bool) []T {
	out := make([]T, 0, len(records))
	for _, r := range chosen(records, choose) {
		out = append(out, *r)
	}
	return out
}

// settle marks a host's or networks' records pending (about to be made or removed) or
// whole (made).
func settle(pending bool, h *Host, nets []*Network) {
	if h != nil {
		h.Pending = pending
	}
	for _, n := range nets {
		n.Pending = pending
	}
}

// sortEndpoints orders endpoints by address.
func sortEndpoints(es []Endpoint) {
	sort.Slice(es, func(i, j int) bool {
		a, _ := netip.ParsePrefix(es[i].Attachment.IP)
		b, _ := netip.ParsePrefix(es[j].Attachment.IP)
		return a.Addr().Less(b.Addr())
	})
}
